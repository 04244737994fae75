import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, notFound } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import { allowProposal, requireAccess } from '../../policies/index.ts';
import type { ActorContext } from '../alliance/service.ts';
import type { ScreeningConfig } from './config.ts';
import * as repo from './repo.ts';

const PROPOSAL = { zh: '“不是问题”申请', en: 'Not-a-problem request' };

/**
 * 「不是问题」: an editor marks a finding as a false hit; a chief editor approves it and the phrase
 * joins the unit's allow-list (with an audit row), or rejects it. Until then the finding stays.
 */
export class AllowProposalService {
  constructor(
    private readonly db: Db,
    private readonly config: ScreeningConfig,
    private readonly audit: AuditRecorder,
  ) {}

  async propose(ctx: ActorContext, input: { term: string; rule: string; excerpt?: string; note?: string }) {
    requireAccess(ctx.actor, allowProposal.propose);
    const term = input.term.trim();
    if (!term) throw badRequest('bad_term', '请填写要放行的词或短语', 'Give the phrase to allow');
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.insertProposal(trx, { unitId: ctx.actor.unitId, term, rule: input.rule, excerpt: input.excerpt?.trim() || null, note: input.note?.trim() || null, userId: ctx.actor.userId });
      if (!row) throw conflict('already_proposed', `“${term}”已在等待主编确认`, `“${term}” is already waiting for a chief editor`);
      await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: 'screening.allow_proposal.create', targetType: 'screening_allow_proposal', targetId: String(row.id), after: row });
      return row;
    });
  }

  async list(actor: Actor, status?: 'pending' | 'approved' | 'rejected') {
    requireAccess(actor, allowProposal.read);
    return repo.listProposals(this.db, actor.unitId, status);
  }

  /** Approve: the phrase joins the unit's allow-list in the same transaction; reject: it does not. */
  async decide(ctx: ActorContext, id: string, decision: 'approve' | 'reject') {
    requireAccess(ctx.actor, allowProposal.decide);
    const unitId = ctx.actor.unitId;
    const after = await this.db.transaction().execute(async (trx) => {
      const before = await repo.lockProposal(trx, unitId, id);
      if (!before) throw notFound(PROPOSAL, id);
      if (before.status !== 'pending') throw conflict('already_decided', '该申请已处理', 'The request is already decided');
      const row = await repo.decideProposal(trx, unitId, id, decision === 'approve' ? 'approved' : 'rejected', ctx.actor.userId);
      if (decision === 'approve') {
        await repo.addAllowTerms(trx, unitId, 'unit', [before.term], `不是问题：${before.note ?? before.rule}`, before.proposed_by);
        await repo.bumpGeneration(trx);
      }
      await this.audit(trx, ctx, { unitId, action: `screening.allow_proposal.${decision}`, targetType: 'screening_allow_proposal', targetId: id, before, after: row });
      return row;
    });
    if (decision === 'approve') await this.config.refresh();
    return after;
  }
}
