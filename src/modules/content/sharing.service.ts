import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict } from '../../platform/http/problem.ts';
import { isWithin } from '../../policies/index.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import { item as itemRules, requireAccess } from '../../policies/index.ts';
import * as repo from './repo.ts';
import { type ContentService, snapshotOf } from './service.ts';
import type { RelayDirection, ShareScope } from './tables.ts';

/**
 * 资源整合: opening items to other units (share scope), sending them up (上报) or down (下发), and
 * taking a copy into one's own hub (采用) with its provenance and a count for the originator.
 */
export class SharingService {
  constructor(
    private readonly db: Db,
    private readonly content: ContentService,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
  ) {}

  private async ownItemToShare(ctx: ActorContext, id: string) {
    const item = await this.content.get(ctx.actor, id);
    requireAccess(ctx.actor, itemRules.share, item);
    if (item.status === 'incoming') throw conflict('incoming', '汇聚待处理的稿件需先采用入库', 'Accept an incoming item into the hub first');
    return item;
  }

  async share(ctx: ActorContext, id: string, scope: ShareScope, unitIds: string[] = []) {
    const item = await this.ownItemToShare(ctx, id);
    if (scope === 'units' && unitIds.length === 0) {
      throw badRequest('units_required', '指定单位共享时请选择至少一个单位', 'Choose at least one unit to share with');
    }
    for (const unitId of unitIds) await this.alliance.getUnit(unitId);
    return this.db.transaction().execute(async (trx) => {
      const after = await repo.updateItem(trx, id, { share_scope: scope, share_unit_ids: scope === 'units' ? [...new Set(unitIds)] : [] });
      await this.audit(trx, ctx, {
        unitId: item.unit_id,
        action: 'content.share',
        targetType: 'content_item',
        targetId: id,
        before: { scope: item.share_scope, unitIds: item.share_unit_ids },
        after: { scope: after.share_scope, unitIds: after.share_unit_ids },
      });
      return after;
    });
  }

  /** 上报: to the parent unit's hub by default, or to any ancestor named. */
  async relayUp(ctx: ActorContext, id: string, note?: string, toUnitId?: string) {
    const item = await this.ownItemToShare(ctx, id);
    const own = await this.alliance.getUnit(ctx.actor.unitId);
    const targetId = toUnitId ?? own.parent_id;
    if (!targetId) throw badRequest('no_parent', '省级单位没有上级可报送', 'The province root has no parent to relay up to');
    const target = await this.alliance.getUnit(targetId);
    if (!isWithin(own, target) || target.id === own.id) {
      throw badRequest('not_ancestor', '只能上报给本单位的上级单位', "Relay up only to one of your unit's ancestors");
    }
    return this.relay(ctx, item, 'up', [target], note);
  }

  /** 下发: from a province or city unit to chosen units below it. */
  async relayDown(ctx: ActorContext, id: string, unitIds: string[], note?: string) {
    const item = await this.ownItemToShare(ctx, id);
    const own = await this.alliance.getUnit(ctx.actor.unitId);
    const targets = [];
    for (const unitId of new Set(unitIds)) {
      const unit = await this.alliance.getUnit(unitId);
      if (unit.id === own.id || !isWithin(unit, own)) {
        throw badRequest('not_descendant', `只能下发给本单位的下级单位：${unit.name}`, `Relay down only to units below yours: ${unit.name}`);
      }
      targets.push(unit);
    }
    return this.relay(ctx, item, 'down', targets, note);
  }

  /** One relay per unit and revision: sending the same revision again is refused, naming the unit, and writes nothing. */
  private relay(ctx: ActorContext, item: { id: string; revision: number }, direction: RelayDirection, targets: { id: string; name: string }[], note?: string) {
    return this.db.transaction().execute(async (trx) => {
      const rows = [];
      for (const target of targets) {
        const row = await repo.insertRelay(trx, { toUnitId: target.id, direction, itemId: item.id, revision: item.revision, fromUnitId: ctx.actor.unitId, note: note ?? null, sentBy: ctx.actor.userId });
        if (!row) {
          throw conflict('already_relayed', `第 ${item.revision} 版已${direction === 'up' ? '上报' : '下发'}给${target.name}，修改后可再次报送`, `Revision ${item.revision} was already relayed to ${target.name}; edit it to relay again`, {
            unitId: target.id,
            revision: item.revision,
          });
        }
        await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: `content.relay_${direction}`, targetType: 'content_item', targetId: item.id, after: { toUnitId: target.id, revision: item.revision, note } });
        rows.push(row);
      }
      return rows;
    });
  }

  inbox(ctx: ActorContext, filter: { itemId?: string } = {}, limit = 50) {
    requireAccess(ctx.actor, itemRules.read);
    return repo.listRelaysTo(this.db, ctx.actor.unitId, limit, filter.itemId);
  }

  /**
   * 采用: copies a visible item of another unit into the caller's hub as a draft, keeping where it
   * came from (origin unit, item, credit line). A unit adopts an item once; the originator's
   * count goes up by one.
   */
  async adopt(ctx: ActorContext, id: string) {
    requireAccess(ctx.actor, itemRules.pickUp);
    const origin = await this.content.get(ctx.actor, id);
    if (origin.unit_id === ctx.actor.unitId) throw conflict('own_item', '这是本单位的稿件，无需采用', 'This item already belongs to your unit');
    const prior = await repo.findAdoption(this.db, origin.unit_id, origin.id, ctx.actor.unitId);
    if (prior) {
      throw conflict('already_adopted', '本单位已采用过这篇稿件', 'Your unit has already adopted this item', { copyItemId: prior.copy_item_id });
    }
    const originUnit = await this.alliance.getUnit(origin.unit_id);
    const snapshot = snapshotOf(origin);
    const creditLine = origin.credit_line ?? `来源：${originUnit.name}`;
    return this.db.transaction().execute(async (trx) => {
      const copy = await this.content.create(
        ctx,
        { ...snapshot, type: origin.type === 'special' ? 'article' : origin.type, creditLine, note: `采用自${originUnit.name}` },
        { origin_unit_id: origin.origin_unit_id ?? origin.unit_id, origin_item_id: origin.origin_item_id ?? origin.id },
        trx,
      );
      await repo.recordAdoption(trx, { originUnitId: origin.unit_id, itemId: origin.id, adoptedByUnitId: ctx.actor.unitId, copyItemId: copy.id, adoptedBy: ctx.actor.userId });
      await repo.markRelaysAdopted(trx, ctx.actor.unitId, origin.id, copy.id);
      await this.audit(trx, ctx, { unitId: origin.unit_id, action: 'content.adopted', targetType: 'content_item', targetId: origin.id, after: { by: ctx.actor.unitId, copy: copy.id } });
      return copy;
    });
  }
}
