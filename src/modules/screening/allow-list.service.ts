import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext } from '../alliance/service.ts';
import type { ScreeningConfig } from './config.ts';
import { requireAccess, screeningConfig } from '../../policies/index.ts';
import * as repo from './repo.ts';
import { ownerOf } from './scope.ts';
import type { ScreeningScope } from './tables.ts';

/** 白名单: terms never reported, alliance-wide or for one unit. */
export class AllowListService {
  constructor(
    private readonly db: Db,
    private readonly config: ScreeningConfig,
    private readonly audit: AuditRecorder,
  ) {}

  async get(actor: Actor) {
    requireAccess(actor, screeningConfig.list);
    const { rootId: root } = await this.config.current();
    const [alliance, unit] = await Promise.all([repo.allowTermsOf(this.db, root), actor.unitId === root ? Promise.resolve([]) : repo.allowTermsOf(this.db, actor.unitId)]);
    return { alliance: alliance.filter((r) => r.scope === 'alliance'), unit: actor.unitId === root ? alliance.filter((r) => r.scope === 'unit') : unit };
  }

  async change(ctx: ActorContext, input: { scope: ScreeningScope; add?: string[]; remove?: string[]; note?: string }) {
    const unitId = ownerOf(input.scope, (await this.config.current()).rootId, ctx.actor);
    requireAccess(ctx.actor, screeningConfig.manage, { scope: input.scope, unit_id: unitId });
    const add = [...new Set((input.add ?? []).map((t) => t.trim()).filter(Boolean))];
    const remove = [...new Set((input.remove ?? []).map((t) => t.trim()).filter(Boolean))];
    if (!add.length && !remove.length) throw badRequest('nothing_to_change', '请填写要加入或移出白名单的词', 'Give terms to add or remove');
    const result = await this.db.transaction().execute(async (trx) => {
      const removed = await repo.removeAllowTerms(trx, unitId, remove);
      const added = await repo.addAllowTerms(trx, unitId, input.scope, add, input.note?.trim() || null, ctx.actor.userId);
      // An allow-list only silences findings, so it raises no new patrol alerts.
      await repo.bumpGeneration(trx);
      await this.audit(trx, ctx, { unitId, action: 'screening.allow_list.update', targetType: 'screening_allow_list', targetId: unitId, after: { scope: input.scope, add, remove, added, removed } });
      return { added, removed };
    });
    await this.config.refresh();
    return result;
  }
}
