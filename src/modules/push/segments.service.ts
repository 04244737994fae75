import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, forbidden } from '../../platform/http/problem.ts';
import type { Actor } from '../alliance/policy.ts';
import type { ActorContext } from '../alliance/service.ts';
import { canPush, canSeePush } from './policy.ts';
import * as repo from './push.repo.ts';
import type { Clock } from './quiet-hours.ts';
import type { PushScope } from './scope.ts';
import { countAudience, expandRegions, type SegmentDefinition } from './segment.ts';

const SEGMENT = { zh: '人群', en: 'Segment' };

/** 人群: saved definitions and the live count the console shows while one is being built. */
export class SegmentService {
  constructor(
    private readonly db: Db,
    private readonly scope: PushScope,
    private readonly audit: AuditRecorder,
    private readonly clock: Clock,
  ) {}

  /** Checks a definition's references (regions, apps in the unit's reach); throws a 400 naming the field. */
  async validate(def: SegmentDefinition, unit: { id: string; path: string }) {
    if (def.regions?.length) expandRegions(def.regions);
    if (def.apps?.length) {
      const scope = this.scope.readers(unit);
      const reachable = new Set((await repo.listApps(this.db, scope)).map((a) => a.id));
      def.apps.forEach((id, i) => {
        if (!reachable.has(id)) throw badRequest('unknown_app', `没有这个应用：${id}`, `No such app in your reach: ${id}`, { field: `definition/apps/${i}` });
      });
    }
  }

  /** The number of readers a draft definition reaches now, within the acting unit's readers. */
  async count(actor: Actor, def: SegmentDefinition, unitId?: string) {
    if (!canSeePush(actor)) throw forbidden('无权查看推送人群', 'You may not see push segments');
    const unit = await this.scope.unitFor(actor, unitId);
    await this.validate(def, unit);
    return { unitId: unit.id, count: await countAudience(this.db, def, this.scope.readers(unit), this.clock()) };
  }

  async list(actor: Actor) {
    if (!canSeePush(actor)) throw forbidden('无权查看推送人群', 'You may not see push segments');
    return repo.listSegments(this.db, actor.unitId);
  }

  async get(actor: Actor, id: string) {
    if (!canSeePush(actor)) throw forbidden('无权查看推送人群', 'You may not see push segments');
    return this.scope.own(actor, await repo.findSegment(this.db, id), SEGMENT, id);
  }

  async create(ctx: ActorContext, input: { name: string; definition: SegmentDefinition }) {
    if (!canPush(ctx.actor)) throw forbidden('无权建立推送人群', 'You may not build push segments');
    await this.validate(input.definition, { id: ctx.actor.unitId, path: ctx.actor.unitPath });
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.insertSegment(trx, { unit_id: ctx.actor.unitId, name: input.name, definition: input.definition, created_by: ctx.actor.userId });
      await this.audit(trx, ctx, { unitId: row.unit_id, action: 'push.segment.create', targetType: 'push_segment', targetId: row.id, after: input });
      return row;
    });
  }

  async update(ctx: ActorContext, id: string, input: { name: string; definition: SegmentDefinition }) {
    if (!canPush(ctx.actor)) throw forbidden('无权修改推送人群', 'You may not change push segments');
    const before = await this.scope.own(ctx.actor, await repo.findSegment(this.db, id), SEGMENT, id);
    await this.validate(input.definition, { id: ctx.actor.unitId, path: ctx.actor.unitPath });
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.updateSegment(trx, id, input);
      await this.audit(trx, ctx, { unitId: row.unit_id, action: 'push.segment.update', targetType: 'push_segment', targetId: id, before: { name: before.name, definition: before.definition }, after: input });
      return row;
    });
  }

  async remove(ctx: ActorContext, id: string) {
    if (!canPush(ctx.actor)) throw forbidden('无权删除推送人群', 'You may not delete push segments');
    const before = await this.scope.own(ctx.actor, await repo.findSegment(this.db, id), SEGMENT, id);
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteSegment(trx, id);
      await this.audit(trx, ctx, { unitId: before.unit_id, action: 'push.segment.delete', targetType: 'push_segment', targetId: id, before: { name: before.name } });
    });
  }
}
