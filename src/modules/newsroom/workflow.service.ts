import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { Problem, badRequest, conflict } from '../../platform/http/problem.ts';
import { roleLabels } from '../alliance/roles.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import { SYSTEM_USER_ID } from '../identity/system.ts';
import type { ContentService } from '../content/service.ts';
import type { ContentItemRow, ItemStatus } from '../content/tables.ts';
import type { AutomaticCheck } from './checks.ts';
import { findCheckResult, saveCheckResult } from './check-results.repo.ts';
import { actionLabels, statusLabels } from './labels.ts';
import type { Notifier } from './notifications.ts';
import { type Actor, type ChainMove, type ReviewPolicy, can, defaultPolicy, levelFrom, mayActAt, oversightInPolicy, oversightRoles, requireAccess, reviewChain } from '../../policies/index.ts';
import type { Finding } from './tables.ts';
import { type WorkflowAction, allowedActions, live, transitions, underReview } from './transitions.ts';
import * as repo from './workflow.repo.ts';

export interface ActInput {
  revision?: number;
  comment?: string;
  override?: { reason: string };
  publishAt?: string;
  /** schedule/publish: the channels to deliver to (distribution); omitted means the earlier choice or the unit's defaults. */
  channelIds?: string[];
}

/** A move that committed: listeners run inside its transaction (the distribution outbox is written there). */
export interface MoveEvent {
  item: ContentItemRow;
  action: WorkflowAction;
  from: ItemStatus;
  to: ItemStatus;
  comment: string | null;
  input: ActInput;
}
export type MoveListener = (trx: Db, ctx: ActorContext, event: MoveEvent) => Promise<void>;

const SYSTEM: ActorContext = {
  actor: { userId: SYSTEM_USER_ID, unitId: '', unitPath: '', role: 'alliance_admin' },
  actorUserId: SYSTEM_USER_ID,
  requestId: 'scheduler',
};

/**
 * 三审三校 and 签发: moves items through the state machine in transitions.ts, enforcing the unit's review
 * policy, running the automatic checks, and recording each move in the timeline and the audit log.
 */
export class WorkflowService {
  private readonly checks: AutomaticCheck[] = [];
  private readonly moveListeners: MoveListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly content: ContentService,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
    private readonly notifier: Notifier,
  ) {
    content.onSave((trx, item, ctx) => this.afterEdit(trx, item, ctx));
  }

  addCheck(check: AutomaticCheck) {
    this.checks.push(check);
  }

  /** Runs after every move, in the move's transaction: a listener that throws undoes the move. */
  onMove(listener: MoveListener) {
    this.moveListeners.push(listener);
  }

  async policy(unitId: string, db = this.db): Promise<ReviewPolicy> {
    return (await repo.findPolicy(db, unitId)) ?? defaultPolicy;
  }

  /** The chain of the actor's own unit. */
  readPolicy(actor: Actor) {
    requireAccess(actor, reviewChain.read);
    return this.policy(actor.unitId);
  }

  async savePolicy(ctx: ActorContext, policy: ReviewPolicy) {
    requireAccess(ctx.actor, reviewChain.setPolicy);
    const oversight = oversightInPolicy(policy);
    if (oversight) {
      const zh = oversight.roles.map((r) => roleLabels[r].zh).join('、');
      const en = oversight.roles.map((r) => roleLabels[r].en).join(', ');
      throw badRequest(
        'oversight_in_chain',
        `「${oversight.name}」不能由${zh}审核：监管和联合体管理员只监督审核流程，不参与审核`,
        `Level ${oversight.level} (${oversight.name}) names ${en}: oversight roles watch the review chain and never act in it`,
        { level: oversight.level, roles: oversight.roles },
      );
    }
    await this.db.transaction().execute(async (trx) => {
      const before = await this.policy(ctx.actor.unitId, trx);
      await repo.savePolicy(trx, ctx.actor.unitId, policy, ctx.actor.userId);
      await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: 'review_policy.update', targetType: 'unit', targetId: ctx.actor.unitId, before, after: policy });
    });
    return policy;
  }

  /** Runs every automatic check on the item's current revision and keeps the findings with that revision. */
  async runChecks(item: ContentItemRow): Promise<Finding[]> {
    const findings = (await Promise.all(this.checks.map((check) => check(item)))).flat();
    await saveCheckResult(this.db, item, findings);
    return findings;
  }

  /**
   * The findings of the current revision, as stored when it was submitted or approved. A revision
   * nobody submitted or approved yet (an edit made while in review, a revision older than the
   * stored results) is checked once, here; a draft's own findings are the editor's inline check.
   */
  async findings(item: ContentItemRow): Promise<Finding[]> {
    const stored = await findCheckResult(this.db, item);
    if (stored) return stored;
    return item.status === 'draft' ? [] : this.runChecks(item);
  }

  async act(ctx: ActorContext, itemId: string, action: WorkflowAction, input: ActInput = {}) {
    // Authorised first: the checks below may call out (the LLM reviewer waits up to 10 s), and nobody
    // who may not make the move should set them off. A move the status does not allow is refused in move().
    const current = await this.content.get(ctx.actor, itemId);
    const possible = transitions[action].from.includes(current.status);
    if (possible) await this.authorise(this.db, ctx.actor, current, action);
    // Checks may read the database and call out, so they run before the transaction, on the revision
    // the move is for; the transaction then confirms it is still current (and authorises again).
    const checked = possible && transitions[action].runsChecks ? { revision: current.revision, findings: await this.runChecks(current) } : null;
    return this.db.transaction().execute(async (trx) => {
      const item = await this.content.lockVisible(trx, ctx.actor, itemId);
      if (checked && checked.revision !== item.revision) {
        throw conflict('revision_changed', `稿件已更新为第 ${item.revision} 版，请重新审阅后再操作`, `The item is now at revision ${item.revision}; review it again first`, { currentRevision: item.revision });
      }
      return this.move(trx, ctx, item, action, input, checked?.findings ?? []);
    });
  }

  private async move(trx: Db, ctx: ActorContext, item: ContentItemRow, action: WorkflowAction, input: ActInput, findings: Finding[]) {
    const t = transitions[action];
    if (!t.from.includes(item.status)) throw invalidMove(item.status, action);
    if (input.revision !== undefined && input.revision !== item.revision) {
      throw conflict('revision_changed', `稿件已更新为第 ${item.revision} 版，请重新审阅后再操作`, `The item is now at revision ${item.revision}; review it again first`, { currentRevision: item.revision });
    }
    const policy = await this.policy(item.unit_id, trx);
    const state = await repo.ensureState(trx, item.unit_id, item.id);
    await this.authorise(trx, ctx.actor, item, action);
    const comment = input.comment?.trim() || null;
    if (t.needsComment && !comment) {
      throw badRequest('comment_required', `${actionLabels[action].zh}需要填写意见`, `A comment is required to ${actionLabels[action].en.toLowerCase()}`);
    }
    const blocking = findings.filter((f) => f.severity === 'block');
    const overrideReason = input.override?.reason?.trim() || null;
    if (blocking.length && !overrideReason) {
      throw conflict('blocked_by_checks', `自动审核发现 ${blocking.length} 个必须处理的问题`, `Automatic review found ${blocking.length} blocking problem(s)`, { findings });
    }
    if (blocking.length) requireAccess(ctx.actor, reviewChain.override);

    const first = levelFrom(policy, 1, item.type);
    let to: ItemStatus;
    let level: number | null = state.level;
    let round = state.round;
    const now = new Date();
    switch (action) {
      case 'submit':
        level = first;
        to = level === null ? 'signed_off' : 'submitted';
        break;
      case 'approve': {
        const next = levelFrom(policy, state.level + 1, item.type);
        level = next ?? state.level;
        to = next === null ? 'signed_off' : 'in_review';
        break;
      }
      case 'return':
        to = 'draft';
        round++;
        level = first;
        break;
      case 'reject':
        to = 'archived';
        round++;
        break;
      case 'schedule': {
        const at = input.publishAt ? new Date(input.publishAt) : null;
        if (!at || at <= now) throw badRequest('publish_at', '请给出将来的发布时间', 'Give a publication time in the future');
        if (item.embargo_until && at < new Date(item.embargo_until)) throw embargoed(item.embargo_until);
        await repo.updateState(trx, item.id, { publish_at: at });
        to = 'scheduled';
        break;
      }
      case 'unschedule':
        await repo.updateState(trx, item.id, { publish_at: null });
        to = 'signed_off';
        break;
      case 'publish': {
        if (item.embargo_until && new Date(item.embargo_until) > now) throw embargoed(item.embargo_until);
        if (state.signed_off_revision !== item.revision) {
          throw conflict('not_signed_off', '当前版本未经签发', 'The current revision has not been signed off');
        }
        const correcting = state.published_revision !== null;
        if (correcting && !comment) {
          throw badRequest('correction_note', '更正发布需要填写更正说明', 'Publishing a correction needs a correction note');
        }
        await repo.updateState(trx, item.id, {
          published_revision: state.signed_off_revision,
          published_at: now,
          publish_at: null,
          correction_note: correcting ? comment : null,
        });
        to = correcting ? 'corrected' : 'published';
        break;
      }
      case 'retract':
        to = 'retracted';
        break;
      case 'reopen':
        to = 'draft';
        round++;
        level = first;
        break;
    }
    if (to === 'signed_off' && (action === 'approve' || action === 'submit')) {
      await repo.updateState(trx, item.id, { signed_off_revision: item.revision, signed_off_by: ctx.actor.userId, signed_off_at: now });
    }
    if (level !== null) await repo.updateState(trx, item.id, { level, round });
    else await repo.updateState(trx, item.id, { round });
    await this.content.setStatus(trx, item.id, to);
    await repo.insertTransition(trx, {
      unitId: item.unit_id,
      itemId: item.id,
      action,
      from: item.status,
      to,
      level: action === 'approve' || action === 'return' || action === 'reject' ? state.level : level,
      round: state.round,
      revision: item.revision,
      actorId: ctx.actor.userId,
      comment,
      overrideReason: blocking.length ? overrideReason : null,
      findings,
    });
    await this.audit(trx, ctx, {
      unitId: item.unit_id,
      action: `workflow.${action}`,
      targetType: 'content_item',
      targetId: item.id,
      before: { status: item.status, level: state.level, revision: item.revision },
      after: { status: to, level, comment, override: blocking.length ? overrideReason : undefined },
    });
    await this.notifyMove(trx, item, action, to, level, policy, comment);
    for (const listener of this.moveListeners) await listener(trx, ctx, { item, action, from: item.status, to, comment, input });
    return { status: to, level, findings };
  }

  /** The scheduler acts for no one and is bound only by the state machine; everyone else by the 三审 rules. */
  private async authorise(db: Db, actor: Actor, item: ContentItemRow, action: WorkflowAction) {
    if (actor.userId === SYSTEM_USER_ID) return;
    requireAccess(actor, reviewChain.move, await this.chainMove(db, item, action));
  }

  /** What the 三审 rules need to know about a move: the item's place in its unit's chain and who has worked on it. */
  private async chainMove(db: Db, item: ContentItemRow, action: WorkflowAction, known?: { policy: ReviewPolicy; level: number; round: number }): Promise<ChainMove> {
    const by = transitions[action].by;
    const policy = known?.policy ?? (await this.policy(item.unit_id, db));
    const state = known ?? (await repo.findState(db, item.id)) ?? { level: 1, round: 1 };
    const reviewing = by === 'reviewer';
    return {
      item,
      by,
      approving: action === 'approve',
      policy,
      level: state.level,
      authors: reviewing ? await repo.revisionAuthors(db, item.id) : [],
      approvers: reviewing && action === 'approve' ? await repo.approversInRound(db, item.id, state.round) : [],
    };
  }

  private async notifyMove(trx: Db, item: ContentItemRow, action: WorkflowAction, to: ItemStatus, level: number | null, policy: ReviewPolicy, comment: string | null) {
    const link = `/items/${item.id}`;
    const author = item.created_by ? [item.created_by] : [];
    if ((to === 'submitted' || to === 'in_review') && level !== null) {
      const reviewers = await this.alliance.membersWithRoles(item.unit_id, policy.levels[level - 1]!.roles.filter((r) => !oversightRoles.includes(r)), trx);
      const userIds = reviewers.map((r) => r.user_id).filter((id) => id !== item.created_by);
      await this.notifier.notify(trx, { unitId: item.unit_id, userIds, kind: 'review_needed', title: `待${policy.levels[level - 1]!.name}：${item.title}`, link });
    }
    if (action === 'approve') {
      const kind = to === 'signed_off' ? 'signoff' : 'approval';
      await this.notifier.notify(trx, { unitId: item.unit_id, userIds: author, kind, title: `${to === 'signed_off' ? '已签发' : '已通过'}：${item.title}`, link });
    }
    if (action === 'return' || action === 'reject') {
      await this.notifier.notify(trx, { unitId: item.unit_id, userIds: author, kind: 'return', title: `${actionLabels[action].zh}：${item.title}`, body: comment, link });
    }
    if (action === 'publish') {
      await this.notifier.notify(trx, { unitId: item.unit_id, userIds: author, kind: 'publish', title: `${statusLabels[to].zh}：${item.title}`, link });
    }
  }

  /**
   * An edit to an item in review goes back to the level the unit's policy names; an edit to a live
   * item starts a correction (draft again, while the published revision stays what readers see).
   */
  private async afterEdit(trx: Db, item: ContentItemRow, ctx: ActorContext | undefined) {
    const inReview = underReview.includes(item.status);
    if (!inReview && !live.includes(item.status)) return;
    const policy = await this.policy(item.unit_id, trx);
    const state = await repo.ensureState(trx, item.unit_id, item.id);
    const first = levelFrom(policy, 1, item.type);
    let to: ItemStatus = 'draft';
    let level = first ?? 1;
    if (inReview && policy.editReturnsTo === 'first' && first !== null) to = 'submitted';
    if (inReview && policy.editReturnsTo === 'same' && first !== null) {
      level = item.status === 'signed_off' || item.status === 'scheduled' ? (levelFrom(policy, policy.levels.length, item.type) ?? state.level) : state.level;
      to = level === first ? 'submitted' : 'in_review';
    }
    await repo.updateState(trx, item.id, { level, round: state.round + 1, signed_off_revision: null, signed_off_by: null, signed_off_at: null, publish_at: null });
    await this.content.setStatus(trx, item.id, to);
    await repo.insertTransition(trx, {
      unitId: item.unit_id,
      itemId: item.id,
      action: live.includes(item.status) ? 'edit_correction' : 'edit_return',
      from: item.status,
      to,
      level,
      round: state.round,
      revision: item.revision,
      actorId: ctx?.actor.userId ?? null,
      comment: null,
    });
  }

  async timeline(actor: Actor, itemId: string) {
    requireAccess(actor, reviewChain.read);
    await this.content.get(actor, itemId);
    return repo.timeline(this.db, itemId);
  }

  async state(actor: Actor, itemId: string) {
    requireAccess(actor, reviewChain.read);
    const item = await this.content.get(actor, itemId);
    const policy = await this.policy(item.unit_id);
    const state = await repo.findState(this.db, itemId);
    const allowed = allowedActions(item.status);
    const known = { policy, level: state?.level ?? 1, round: state?.round ?? 1 };
    const yours: WorkflowAction[] = [];
    for (const action of allowed) {
      if (actor.userId === SYSTEM_USER_ID || can(actor, reviewChain.move, await this.chainMove(this.db, item, action, known))) yours.push(action);
    }
    return {
      item,
      policy,
      state: state ?? null,
      allowed,
      yours,
      mayOverride: can(actor, reviewChain.override),
      mayReview: (item.status === 'submitted' || item.status === 'in_review') && can(actor, reviewChain.reviewAtLevel, { unit_id: item.unit_id, policy, level: known.level }),
      findings: await this.findings(item),
      lastApproved: await repo.lastApprovedRevision(this.db, itemId),
    };
  }

  /** The review queue: items of the caller's unit waiting at levels the caller's role may act at. */
  async queue(actor: Actor) {
    requireAccess(actor, reviewChain.read);
    const policy = await this.policy(actor.unitId);
    const levels = policy.levels.map((_, i) => i + 1).filter((n) => mayActAt(policy, n, actor.role));
    const rows = await repo.reviewQueue(this.db, actor.unitId, levels);
    const actionable = [];
    for (const row of rows) {
      const move: ChainMove = {
        item: { unit_id: actor.unitId, created_by: row.created_by },
        by: 'reviewer',
        approving: true,
        policy,
        level: row.level,
        authors: await repo.revisionAuthors(this.db, row.id),
        approvers: await repo.approversInRound(this.db, row.id, row.round),
      };
      if (can(actor, reviewChain.move, move)) actionable.push(row);
    }
    return { policy, items: actionable };
  }

  /** What readers get: exactly the signed-off revision that was published, never the working copy. */
  async published(actor: Actor, itemId: string) {
    requireAccess(actor, reviewChain.read);
    await this.content.get(actor, itemId);
    const state = await repo.findState(this.db, itemId);
    if (!state?.published_revision) return null;
    const rev = await repo.revisionSnapshot(this.db, itemId, state.published_revision);
    return rev
      ? { revision: rev.number, snapshot: rev.snapshot, bodyText: rev.body_text, publishedAt: state.published_at, correctionNote: state.correction_note }
      : null;
  }

  /** The scheduler: publishes what is due, as the system, so embargoes and sign-off still hold. */
  async publishDue(now = new Date()) {
    const due = await repo.dueScheduled(this.db, now);
    let published = 0;
    for (const { id } of due) {
      await this.db.transaction().execute(async (trx) => {
        const item = await this.content.lockForSystem(trx, id);
        if (item?.status !== 'scheduled') return;
        await this.move(trx, SYSTEM, item, 'publish', {}, []);
        published++;
      });
    }
    return { published };
  }
}

function invalidMove(status: ItemStatus, action: WorkflowAction) {
  const allowed = allowedActions(status);
  return new Problem(
    409,
    'invalid_transition',
    `稿件当前状态为「${statusLabels[status].zh}」，不能${actionLabels[action].zh}；可执行：${allowed.map((a) => actionLabels[a].zh).join('、') || '无'}`,
    `The item is ${statusLabels[status].en.toLowerCase()}; it cannot ${actionLabels[action].en.toLowerCase()}. Allowed: ${allowed.join(', ') || 'none'}`,
    { currentStatus: status, allowedActions: allowed },
  );
}

function embargoed(until: Date | string) {
  const at = new Date(until).toISOString();
  return conflict('embargoed', `稿件禁发至 ${at}`, `The item is under embargo until ${at}`, { embargoUntil: at });
}
