import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, notFound } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext } from '../alliance/service.ts';
import { type WordingRule, parseWordingPack } from './checks/index.ts';
import type { ScreeningConfig } from './config.ts';
import type { PatrolService } from './patrol.service.ts';
import { can, requireAccess, screeningConfig } from '../../policies/index.ts';
import * as repo from './repo.ts';
import { ownerOf } from './scope.ts';
import type { ScreeningScope } from './tables.ts';

const PACK = { zh: '规范表述规则包', en: 'Wording pack' };

/** 规范表述: packs of wording rules (wrong → right, with the source), alliance-wide or for one unit. */
export class WordingPackService {
  constructor(
    private readonly db: Db,
    private readonly config: ScreeningConfig,
    private readonly audit: AuditRecorder,
    private readonly patrol: PatrolService,
  ) {}

  async list(actor: Actor) {
    requireAccess(actor, screeningConfig.list);
    const { rootId } = await this.config.current();
    const rows = await repo.packsFor(this.db, [rootId, actor.unitId]);
    return rows.filter((p) => can(actor, screeningConfig.read, p)).map((p) => ({ ...p, manageable: can(actor, screeningConfig.manage, p) }));
  }

  private async readable(actor: Actor, id: string) {
    const pack = await repo.findPack(this.db, id);
    if (!pack || !can(actor, screeningConfig.read, pack)) throw notFound(PACK, id);
    return pack;
  }

  async get(actor: Actor, id: string) {
    requireAccess(actor, screeningConfig.list);
    const pack = await this.readable(actor, id);
    return { ...pack, manageable: can(actor, screeningConfig.manage, pack) };
  }

  async create(ctx: ActorContext, input: { name: string; scope: ScreeningScope; rules: unknown[] }) {
    const unitId = ownerOf(input.scope, (await this.config.current()).rootId, ctx.actor);
    requireAccess(ctx.actor, screeningConfig.manage, { scope: input.scope, unit_id: unitId });
    const rules = validRules(input.rules);
    const name = input.name.trim();
    if (!name) throw badRequest('bad_name', '规则包名称不能为空', 'The pack needs a name');
    const pack = await this.db.transaction().execute(async (trx) => {
      if (await repo.packNameTaken(trx, unitId, name)) throw nameTaken(name);
      const row = await repo.insertPack(trx, { unitId, scope: input.scope, name, rules, userId: ctx.actor.userId });
      if (!row) throw nameTaken(name);
      await repo.bumpGeneration(trx);
      await this.patrol.enqueue(trx, row);
      await this.audit(trx, ctx, { unitId, action: 'screening.wording_pack.create', targetType: 'screening_wording_pack', targetId: row.id, after: row });
      return row;
    });
    await this.config.refresh();
    return pack;
  }

  async update(ctx: ActorContext, id: string, input: { name?: string; rules?: unknown[]; enabled?: boolean }) {
    const before = await this.readable(ctx.actor, id);
    requireAccess(ctx.actor, screeningConfig.manage, before);
    const rules = input.rules === undefined ? undefined : validRules(input.rules);
    const name = input.name?.trim();
    if (input.name !== undefined && !name) throw badRequest('bad_name', '规则包名称不能为空', 'The pack needs a name');
    const after = await this.db.transaction().execute(async (trx) => {
      if (name && (await repo.packNameTaken(trx, before.unit_id, name, id))) throw nameTaken(name);
      const row = await repo.updatePack(trx, id, { ...(name ? { name } : {}), ...(rules ? { rules } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}), userId: ctx.actor.userId });
      await repo.bumpGeneration(trx);
      if (row.enabled) await this.patrol.enqueue(trx, row);
      await this.audit(trx, ctx, { unitId: before.unit_id, action: 'screening.wording_pack.update', targetType: 'screening_wording_pack', targetId: id, before, after: row });
      return row;
    });
    await this.config.refresh();
    return after;
  }

  async delete(ctx: ActorContext, id: string) {
    const before = await this.readable(ctx.actor, id);
    requireAccess(ctx.actor, screeningConfig.manage, before);
    await this.db.transaction().execute(async (trx) => {
      await repo.deletePack(trx, id);
      await repo.bumpGeneration(trx);
      await this.audit(trx, ctx, { unitId: before.unit_id, action: 'screening.wording_pack.delete', targetType: 'screening_wording_pack', targetId: id, before });
    });
    await this.config.refresh();
  }
}

const nameTaken = (name: string) => conflict('name_taken', `已有名为“${name}”的规则包`, `A pack named “${name}” exists`);

function validRules(rules: unknown[]): WordingRule[] {
  const parsed = parseWordingPack({ rules });
  if (parsed.errors.length) {
    throw badRequest('bad_wording_rules', `规则有 ${parsed.errors.length} 处错误`, `The pack has ${parsed.errors.length} error(s)`, { errors: parsed.errors });
  }
  return parsed.rules;
}
