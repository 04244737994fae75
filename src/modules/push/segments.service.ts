import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext } from '../alliance/service.ts';
import { requireAccess, segment as segmentRules } from '../../policies/index.ts';
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
    requireAccess(actor, segmentRules.read);
    const unit = await this.scope.unitFor(actor, unitId);
    await this.validate(def, unit);
    return { unitId: unit.id, count: await countAudience(this.db, def, this.scope.readers(unit), this.clock()) };
  }

  async list(actor: Actor) {
    requireAccess(actor, segmentRules.read);
    return repo.listSegments(this.db, actor.unitId);
  }

  async get(actor: Actor, id: string) {
    requireAccess(actor, segmentRules.read);
    return this.scope.own(actor, await repo.findSegment(this.db, id), SEGMENT, id);
  }

  async create(ctx: ActorContext, input: { name: string; definition: SegmentDefinition }) {
    requireAccess(ctx.actor, segmentRules.create);
    await this.validate(input.definition, { id: ctx.actor.unitId, path: ctx.actor.unitPath });
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.insertSegment(trx, { unit_id: ctx.actor.unitId, name: input.name, definition: input.definition, created_by: ctx.actor.userId });
      await this.audit(trx, ctx, { unitId: row.unit_id, action: 'push.segment.create', targetType: 'push_segment', targetId: row.id, after: input });
      return row;
    });
  }

  async update(ctx: ActorContext, id: string, input: { name: string; definition: SegmentDefinition }) {
    requireAccess(ctx.actor, segmentRules.update);
    const before = await this.scope.own(ctx.actor, await repo.findSegment(this.db, id), SEGMENT, id);
    await this.validate(input.definition, { id: ctx.actor.unitId, path: ctx.actor.unitPath });
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.updateSegment(trx, id, input);
      await this.audit(trx, ctx, { unitId: row.unit_id, action: 'push.segment.update', targetType: 'push_segment', targetId: id, before: { name: before.name, definition: before.definition }, after: input });
      return row;
    });
  }

  async remove(ctx: ActorContext, id: string) {
    requireAccess(ctx.actor, segmentRules.delete);
    const before = await this.scope.own(ctx.actor, await repo.findSegment(this.db, id), SEGMENT, id);
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteSegment(trx, id);
      await this.audit(trx, ctx, { unitId: before.unit_id, action: 'push.segment.delete', targetType: 'push_segment', targetId: id, before: { name: before.name } });
    });
  }
}
