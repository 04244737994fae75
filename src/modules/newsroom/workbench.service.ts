import type { Db } from '../../platform/db/database.ts';
import { type Actor, activeUnit, requireAccess, workbench, workbenchSections } from '../../policies/index.ts';
import { roles } from '../alliance/roles.ts';
import type { AllianceService } from '../alliance/service.ts';
import * as repo from './workbench.repo.ts';
import type { WorkflowService } from './workflow.service.ts';

/** A channel delivery that failed, as the 工作台 lists it. */
export interface FailedDelivery {
  id: string;
  itemId: string;
  title: string;
  channelName: string;
  error: string | null;
  at: Date;
}

/**
 * What distribution contributes to the 工作台 (it sits after the newsroom in the flow, so the composition
 * root hands this over): a unit's failed deliveries not since delivered, how many and the latest few.
 */
export type DeliveryFailureSource = (unitId: string) => Promise<{ total: number; latest: FailedDelivery[] }>;

/** A story waits for review longer than this (since the last move on it) before it counts as overdue. */
export const REVIEW_OVERDUE_HOURS = 24;

/** 今天 starts at midnight in China (UTC+8, no daylight saving), wherever the server runs. */
export function startOfToday(now = new Date()): Date {
  const offset = 8 * 3600_000;
  const day = 86_400_000;
  return new Date(Math.floor((now.getTime() + offset) / day) * day - offset);
}

/**
 * 工作台: the console's landing page, one read per section the actor's role shows (policies/workbench.ts).
 * Every query is scoped to the active unit, or for oversight to its subtree.
 */
export class WorkbenchService {
  private deliveryFailures: DeliveryFailureSource = async () => ({ total: 0, latest: [] });

  constructor(
    private readonly db: Db,
    private readonly workflow: WorkflowService,
    private readonly alliance: AllianceService,
  ) {}

  useDeliveryFailures(source: DeliveryFailureSource) {
    this.deliveryFailures = source;
  }

  async read(actor: Actor, now = new Date()) {
    requireAccess(actor, workbench.read);
    const policy = await this.workflow.policy(actor.unitId);
    const sections = workbenchSections(actor, policy);
    const today = startOfToday(now);
    const unit = await this.alliance.getUnit(actor.unitId);
    return {
      unit,
      role: actor.role,
      sections,
      today,
      mine: sections.includes('mine') ? await this.mine(actor, today) : null,
      review: sections.includes('review') ? await this.review(actor, today, now) : null,
      pipeline: sections.includes('pipeline') ? await this.pipeline(actor, today) : null,
      subtree: sections.includes('subtree') ? await this.subtree(actor, today) : null,
      policy,
    };
  }

  private async mine(actor: Actor, today: Date) {
    const items = await repo.ownItems(this.db, actor.unitId, actor.userId, today);
    const moves = await repo.lastMoves(this.db, items.filter((i) => i.status === 'draft').map((i) => i.id));
    const withMove = (i: (typeof items)[number]) => ({ ...i, move: moves.get(i.id) ?? null });
    const drafts = items.filter((i) => i.status === 'draft').map(withMove);
    return {
      drafts: drafts.filter((i) => i.move?.action !== 'return'),
      returned: drafts.filter((i) => i.move?.action === 'return'),
      inReview: items.filter((i) => i.status === 'submitted' || i.status === 'in_review'),
      publishedToday: items.filter((i) => i.published_at && i.published_at >= today),
      tasks: await repo.ownTasks(this.db, actor.unitId, actor.userId),
    };
  }

  /** The same queue as the 审核 page (the chain's rules decide what is the actor's), with how long each has waited. */
  private async review(actor: Actor, today: Date, now: Date) {
    const { items } = await this.workflow.queue(actor);
    const moves = await repo.lastMoves(this.db, items.map((i) => i.id));
    const overdueBefore = new Date(now.getTime() - REVIEW_OVERDUE_HOURS * 3600_000);
    const waiting = items.map((i) => {
      const since = moves.get(i.id)?.at ?? i.updated_at;
      return { ...i, waitingSince: since, overdue: since < overdueBefore };
    });
    return { waiting, signedOffToday: await repo.signedOffSince(this.db, actor.unitId, today) };
  }

  private async pipeline(actor: Actor, today: Date) {
    const [counts, failures, staff] = await Promise.all([
      repo.pipelineCounts(this.db, actor.unitId, today),
      this.deliveryFailures(actor.unitId),
      this.alliance.membersWithRoles(actor.unitId, roles),
    ]);
    return { counts, failures, staff: staff.length };
  }

  private async subtree(actor: Actor, today: Date) {
    const place = activeUnit(actor);
    const [children, activity, published] = await Promise.all([
      this.alliance.listUnits({ parentId: actor.unitId }),
      repo.subtreeActivity(this.db, place, today),
      repo.publishedInSubtree(this.db, place, today),
    ]);
    const none = { inReview: 0, publishedToday: 0 };
    return {
      own: activity.get(actor.unitId) ?? none,
      children: children.map((c) => ({ unitId: c.id, name: c.name, ...(activity.get(c.id) ?? none) })),
      publishedToday: published,
    };
  }
}
