import type { Static } from 'typebox';
import type { CommentSchema, LockSchema, TaskSchema, TopicSchema, WebhookSchema } from '../../../src/modules/newsroom/planning.schema.ts';
import type { ActResult as ActResultSchema, FindingSchema, PolicySchema, QueueSchema, ReviewLevelSchema, TransitionSchema, WorkflowStateSchema } from '../../../src/modules/newsroom/workflow.schema.ts';
import type { NotificationSchema } from '../../../src/modules/newsroom/notifications.routes.ts';
import type { WorkbenchEntrySchema, WorkbenchSchema } from '../../../src/modules/newsroom/workbench.schema.ts';
import { type Label, workflowActionLabels } from '../../../src/shared/labels.ts';
import { pick, statusLabels } from '../content/model.ts';
import type { I18n } from '../shared/i18n.ts';
import type { ItemStatus, ItemType } from '../shared/types.ts';

/**
 * 采编流程 newsroom: the shapes of the newsroom API (src/modules/newsroom/*.schema.ts on the server)
 * and the labels the console shows for them.
 */

type Pair = Label;

export const workflowActions = ['submit', 'approve', 'return', 'reject', 'schedule', 'unschedule', 'publish', 'retract', 'reopen'] as const;
export type WorkflowAction = (typeof workflowActions)[number];

export type Finding = Static<typeof FindingSchema>;

export type ReviewLevel = Static<typeof ReviewLevelSchema>;

export type ReviewPolicy = Static<typeof PolicySchema>;
export type EditReturnsTo = ReviewPolicy['editReturnsTo'];

export type WorkflowState = Static<typeof WorkflowStateSchema>;

export type ActResult = Static<typeof ActResultSchema>;

/** A step of the timeline; its action is a workflow action, or edit_return / edit_correction when an edit sent the item back. */
export type Transition = Static<typeof TransitionSchema>;

export type QueueItem = Static<typeof QueueSchema>['items'][number];

export const topicStatuses = ['proposed', 'approved', 'returned', 'rejected', 'done'] as const;
export type TopicStatus = (typeof topicStatuses)[number];

/** The server types status as a string; the console reads it as one of the statuses it labels. */
export type Topic = Omit<Static<typeof TopicSchema>, 'status'> & { status: TopicStatus };

export const taskStatuses = ['open', 'accepted', 'declined', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** The server types status as a string; the console reads it as one of the statuses it labels. */
export type Task = Omit<Static<typeof TaskSchema>, 'status'> & { status: TaskStatus };

export interface TopicDetail extends Topic {
  tasks: Task[];
}

export type EditLock = Static<typeof LockSchema>;

export type ItemComment = Static<typeof CommentSchema>;

export const notificationKinds = ['assignment', 'return', 'approval', 'signoff', 'mention', 'deadline', 'review_needed', 'lock_taken', 'topic', 'publish'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export type AppNotification = Static<typeof NotificationSchema>;

export type Webhook = Static<typeof WebhookSchema>;

/* ── labels ─────────────────────────────────────────────────────────────────────────── */

export { workflowActionLabels as actionLabels };

/** Timeline wording: what happened, including the moves an edit causes. */
export const transitionLabels: Record<string, Pair> = {
  ...workflowActionLabels,
  edit_return: ['修改后重新送审', 'Edited: back into review'],
  edit_correction: ['修改已发布稿件（更正）', 'Edited after publication (correction)'],
};

export const topicStatusLabels: Record<TopicStatus, Pair> = {
  proposed: ['待审定', 'Proposed'],
  approved: ['已通过', 'Approved'],
  returned: ['已退回', 'Returned'],
  rejected: ['未通过', 'Rejected'],
  done: ['已完成', 'Done'],
};
export const topicStatusColors: Record<TopicStatus, string> = { proposed: 'gold', approved: 'green', returned: 'orange', rejected: 'red', done: 'blue' };

export const taskStatusLabels: Record<TaskStatus, Pair> = {
  open: ['待接单', 'Open'],
  accepted: ['进行中', 'Accepted'],
  declined: ['已拒绝', 'Declined'],
  done: ['已完成', 'Done'],
  cancelled: ['已撤销', 'Cancelled'],
};
export const taskStatusColors: Record<TaskStatus, string> = { open: 'gold', accepted: 'blue', declined: 'red', done: 'green', cancelled: 'default' };

export const severityLabels: Record<Finding['severity'], Pair> = {
  block: ['必须处理', 'Blocking'],
  review: ['需人工确认', 'Needs review'],
  info: ['提示', 'Info'],
};
export const severityColors: Record<Finding['severity'], string> = { block: 'red', review: 'orange', info: 'blue' };

export const notificationKindLabels: Record<NotificationKind, Pair> = {
  assignment: ['派单', 'Task'],
  return: ['退回', 'Returned'],
  approval: ['通过', 'Approved'],
  signoff: ['签发', 'Signed off'],
  mention: ['@提到我', 'Mention'],
  deadline: ['到期提醒', 'Deadline'],
  review_needed: ['待审', 'To review'],
  lock_taken: ['编辑权被接管', 'Lock taken'],
  topic: ['选题', 'Topic'],
  publish: ['发布', 'Published'],
};

export const returnTargets: Record<EditReturnsTo, Pair> = {
  first: ['回到第一级（初审）重新审核', 'Back to the first level'],
  same: ['留在当前审级重新审核', 'Stay at the current level'],
  draft: ['退回草稿，由作者重新提交', 'Back to draft; the author resubmits'],
};

/** Channels offered when proposing a topic (free text allowed too). */
export const channelOptions = ['客户端', '微信公众号', '微博', '抖音', '视频号', '报纸', '电视', '广播', '网站'];

/**
 * The status a person reads: the item status, and in the chain the level's name (已提交 · 待初审,
 * 审核中 · 复审); a signed-off item reads as ready to publish.
 */
export function workflowStatusText(i18n: Pick<I18n, 't'>, status: ItemStatus, levelName: string | null): string {
  const base = pick(i18n, statusLabels[status]);
  if (status === 'submitted' && levelName) return i18n.t(`${base} · 待${levelName}`, `${base} · awaiting ${levelName}`);
  if (status === 'in_review' && levelName) return `${base} · ${levelName}`;
  if (status === 'signed_off') return i18n.t(`${base} · 待发布`, `${base} · ready to publish`);
  return base;
}

/* ── the workflow's actions, by who makes them (whether the caller may is the server's answer: yourActions) ── */

export const authorActions: readonly WorkflowAction[] = ['submit', 'reopen'];
export const reviewerActions: readonly WorkflowAction[] = ['approve', 'return', 'reject'];
export const publisherActions: readonly WorkflowAction[] = ['schedule', 'unschedule', 'publish', 'retract'];
/** Actions whose comment the server requires. */
export const needsComment: readonly WorkflowAction[] = ['return', 'reject', 'retract'];

/** True when approving at `level` ends the chain for this type: the approval is the sign-off (签发). */
export function isFinalLevel(policy: ReviewPolicy, level: number, type: ItemType): boolean {
  for (let n = level + 1; n <= policy.levels.length; n++) {
    if (!policy.levels[n - 1]!.skipTypes?.includes(type)) return false;
  }
  return true;
}

/** GET /api/workbench: the landing page, in the sections the active role shows. */
export type Workbench = Static<typeof WorkbenchSchema>;
export type WorkbenchEntry = Static<typeof WorkbenchEntrySchema>;
