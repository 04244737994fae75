import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, forbidden, notFound } from '../../platform/http/problem.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import type { ContentService } from '../content/service.ts';
import type { Notifier } from './notifications.ts';
import { requireAccess, requireVisible, task as taskRules, topic as topicRules } from '../../policies/index.ts';
import * as repo from './topics.repo.ts';

const TOPIC = { zh: '选题', en: 'Topic' };
const TASK = { zh: '任务', en: 'Task' };
const deciders = ['chief_editor', 'unit_admin'] as const;
const takers = ['reporter', 'editor', 'chief_editor', 'unit_admin'] as const;

export interface TopicInput {
  title: string;
  angle?: string | null;
  channels?: string[];
  resources?: string | null;
  deadline?: string | null;
  jointUnitIds?: string[];
}

/** 策划与派单: topics approved before work starts, and tasks sent across the unit tree. */
export class PlanningService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly content: ContentService,
    private readonly audit: AuditRecorder,
    private readonly notifier: Notifier,
  ) {}

  async proposeTopic(ctx: ActorContext, input: TopicInput) {
    requireAccess(ctx.actor, topicRules.propose);
    const partners = [...new Set(input.jointUnitIds ?? [])].filter((id) => id !== ctx.actor.unitId);
    for (const id of partners) await this.alliance.getUnit(id);
    return this.db.transaction().execute(async (trx) => {
      const topic = await repo.insertTopic(trx, {
        unitId: ctx.actor.unitId,
        title: input.title.trim(),
        angle: input.angle ?? null,
        channels: input.channels ?? [],
        resources: input.resources ?? null,
        deadline: input.deadline ?? null,
        proposedBy: ctx.actor.userId,
        joint: partners.length > 0,
      });
      await repo.setTopicUnits(trx, topic.id, partners.length ? [ctx.actor.unitId, ...partners] : []);
      await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: 'topic.propose', targetType: 'topic', targetId: topic.id, after: topic });
      const chiefs = await this.alliance.membersWithRoles(ctx.actor.unitId, deciders, trx);
      await this.notifier.notify(trx, { unitId: ctx.actor.unitId, userIds: chiefs.map((c) => c.user_id).filter((id) => id !== ctx.actor.userId), kind: 'topic', title: `新选题待审：${topic.title}`, link: `/topics/${topic.id}` });
      return topic;
    });
  }

  async getTopic(ctx: ActorContext, id: string) {
    const topic = await repo.findTopic(this.db, id);
    if (!topic) throw notFound(TOPIC, id);
    const units = await repo.topicUnits(this.db, [id]);
    const unit = await this.alliance.getUnit(topic.unit_id);
    requireVisible(ctx.actor, topicRules.read, { unit, units: units.map((u) => u.unit_id) }, TOPIC, id);
    return { topic, unitName: unit.name, units, items: await repo.topicItems(this.db, [id]), tasks: await repo.listTasks(this.db, { view: 'alliance', userId: ctx.actor.userId, unitId: topic.unit_id, unitPath: unit.path, topicId: id }) };
  }

  async updateTopic(ctx: ActorContext, id: string, input: Partial<TopicInput>) {
    const { topic } = await this.getTopic(ctx, id);
    requireAccess(ctx.actor, topicRules.update, topic);
    if (topic.status !== 'proposed' && topic.status !== 'returned') {
      throw conflict('topic_decided', '选题已审定，不能再修改', 'The topic has been decided and can no longer change');
    }
    return this.db.transaction().execute(async (trx) => {
      const after = await repo.updateTopic(trx, id, {
        ...(input.title !== undefined ? { title: input.title.trim() } : {}),
        ...(input.angle !== undefined ? { angle: input.angle } : {}),
        ...(input.channels !== undefined ? { channels: input.channels } : {}),
        ...(input.resources !== undefined ? { resources: input.resources } : {}),
        ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
        status: 'proposed',
      });
      await this.audit(trx, ctx, { unitId: topic.unit_id, action: 'topic.update', targetType: 'topic', targetId: id, before: topic, after });
      return after;
    });
  }

  async decideTopic(ctx: ActorContext, id: string, decision: 'approve' | 'return' | 'reject' | 'complete', reason?: string) {
    const { topic } = await this.getTopic(ctx, id);
    requireAccess(ctx.actor, topicRules.decide, topic);
    const from = decision === 'complete' ? 'approved' : 'proposed';
    if (topic.status !== from) {
      throw conflict('topic_wrong_state', decision === 'complete' ? '只有已通过的选题可以标记完成' : '选题不在待审状态', decision === 'complete' ? 'Only an approved topic can be completed' : 'The topic is not waiting for a decision');
    }
    if ((decision === 'return' || decision === 'reject') && !reason?.trim()) throw badRequest('reason_required', '退回或否决选题需要说明理由', 'Returning or rejecting a topic needs a reason');
    const status = ({ approve: 'approved', return: 'returned', reject: 'rejected', complete: 'done' } as const)[decision];
    return this.db.transaction().execute(async (trx) => {
      const after = await repo.updateTopic(trx, id, { status, decision_reason: reason?.trim() ?? null, decided_by: ctx.actor.userId, decided_at: new Date() });
      await this.audit(trx, ctx, { unitId: topic.unit_id, action: `topic.${decision}`, targetType: 'topic', targetId: id, before: { status: topic.status }, after: { status, reason } });
      if (topic.proposed_by) {
        await this.notifier.notify(trx, { unitId: topic.unit_id, userIds: [topic.proposed_by], kind: decision === 'return' || decision === 'reject' ? 'return' : 'approval', title: `选题${{ approve: '已通过', return: '被退回', reject: '未通过', complete: '已完成' }[decision]}：${topic.title}`, body: reason ?? null, link: `/topics/${id}` });
      }
      return after;
    });
  }

  async listTopics(ctx: ActorContext, board: 'unit' | 'joint', status?: string) {
    requireAccess(ctx.actor, topicRules.list);
    const topics = await repo.listTopics(this.db, ctx.actor.unitId, board, status);
    const ids = topics.map((t) => t.id);
    const [units, items] = await Promise.all([repo.topicUnits(this.db, ids), repo.topicItems(this.db, ids)]);
    return topics.map((t) => ({ ...t, units: units.filter((u) => u.topic_id === t.id), items: items.filter((i) => i.topic_id === t.id) }));
  }

  /** Links a story to an approved topic; the story must be visible and come from a taking-part unit. */
  async linkItem(ctx: ActorContext, topicId: string, itemId: string) {
    const { topic, units } = await this.getTopic(ctx, topicId);
    if (topic.status !== 'approved') throw conflict('topic_not_approved', '只有已通过的选题可以关联稿件', 'Only an approved topic links items');
    const item = await this.content.get(ctx.actor, itemId);
    const taking = new Set([topic.unit_id, ...units.map((u) => u.unit_id)]);
    if (!taking.has(item.unit_id)) throw forbidden('稿件所属单位不在该选题中', "The item's unit does not take part in this topic");
    requireAccess(ctx.actor, topicRules.link, { itemUnitId: item.unit_id, topicUnitId: topic.unit_id });
    await this.db.transaction().execute(async (trx) => {
      await repo.linkItem(trx, topic.unit_id, topicId, itemId, ctx.actor.userId);
      await this.audit(trx, ctx, { unitId: topic.unit_id, action: 'topic.link_item', targetType: 'topic', targetId: topicId, after: { itemId } });
    });
  }

  // Tasks

  async assign(ctx: ActorContext, input: { title: string; description?: string | null; assigneeUnitId: string; assigneeUserId?: string | null; dueAt?: string | null; topicId?: string | null }) {
    requireAccess(ctx.actor, taskRules.assign);
    const own = await this.alliance.getUnit(ctx.actor.unitId);
    const target = await this.alliance.getUnit(input.assigneeUnitId);
    requireAccess(ctx.actor, taskRules.assignTo, { own, target });
    if (input.assigneeUserId && !(await this.alliance.findMembership(input.assigneeUserId, target.id))) {
      throw badRequest('not_member', '被指派人不是该单位成员', 'The assignee is not a member of that unit');
    }
    if (input.topicId) await this.getTopic(ctx, input.topicId);
    return this.db.transaction().execute(async (trx) => {
      const task = await repo.insertTask(trx, {
        assigneeUnitId: target.id,
        fromUnitId: own.id,
        topicId: input.topicId ?? null,
        title: input.title.trim(),
        description: input.description ?? null,
        assigneeUserId: input.assigneeUserId ?? null,
        dueAt: input.dueAt ?? null,
        createdBy: ctx.actor.userId,
      });
      if (input.topicId && target.id !== own.id) {
        const topic = await repo.findTopic(trx, input.topicId);
        const units = await repo.topicUnits(trx, [input.topicId]);
        if (topic && !units.some((u) => u.unit_id === target.id)) {
          await repo.setTopicUnits(trx, input.topicId, [...new Set([topic.unit_id, ...units.map((u) => u.unit_id), target.id])]);
          if (!topic.joint) await repo.updateTopic(trx, input.topicId, { joint: true });
        }
      }
      await this.audit(trx, ctx, { unitId: own.id, action: 'task.assign', targetType: 'task', targetId: task.id, after: task });
      const to = input.assigneeUserId ? [input.assigneeUserId] : (await this.alliance.membersWithRoles(target.id, ['editor', 'chief_editor', 'unit_admin'], trx)).map((m) => m.user_id);
      await this.notifier.notify(trx, { unitId: target.id, userIds: to, kind: 'assignment', title: `${own.name}派单：${task.title}`, body: task.description, link: `/tasks/${task.id}` });
      return task;
    });
  }

  /** The task as the caller may see it, with the two units it connects. Runs before any transaction. */
  private async taskFor(ctx: ActorContext, id: string) {
    const task = await repo.findTask(this.db, id);
    if (!task) throw notFound(TASK, id);
    const [unit, from] = [await this.alliance.getUnit(task.unit_id), await this.alliance.getUnit(task.from_unit_id)];
    requireVisible(ctx.actor, taskRules.read, { unit, from }, TASK, id);
    return { task, unit, from };
  }

  async getTask(ctx: ActorContext, id: string) {
    return (await this.taskFor(ctx, id)).task;
  }

  async taskAction(ctx: ActorContext, id: string, action: 'accept' | 'decline' | 'complete' | 'cancel' | 'handover', input: { reason?: string; itemId?: string; toUserId?: string; toUnitId?: string }) {
    // Everything read through other services happens before the transaction: on the embedded
    // database a second connection cannot be had while one transaction holds it.
    const { unit, from } = await this.taskFor(ctx, id);
    const item = action === 'complete' && input.itemId ? await this.content.get(ctx.actor, input.itemId) : null;
    const toUnit = action === 'handover' && input.toUnitId ? await this.alliance.getUnit(input.toUnitId) : unit;
    if (action === 'handover') {
      requireAccess(ctx.actor, taskRules.handOverTo, { own: unit, target: toUnit });
      if (input.toUserId && !(await this.alliance.findMembership(input.toUserId, toUnit.id))) {
        throw badRequest('not_member', '接手人不是该单位成员', 'The new assignee is not a member of that unit');
      }
      if (!input.toUserId && toUnit.id === unit.id) throw badRequest('handover_target', '请指定接手人或单位', 'Name a person or unit to hand over to');
    }
    if (action === 'decline' && !input.reason?.trim()) throw badRequest('reason_required', '拒绝任务需要说明理由', 'Declining a task needs a reason');
    return this.db.transaction().execute(async (trx) => {
      const task = (await repo.findTask(trx, id, { lock: true }))!;
      const openish = task.status === 'open' || task.status === 'accepted';
      if (!openish) throw conflict('task_closed', `任务已${{ declined: '被拒绝', done: '完成', cancelled: '取消' }[task.status as 'done']}`, `The task is already ${task.status}`);
      requireAccess(ctx.actor, action === 'cancel' ? taskRules.cancel : taskRules.work, task);
      let after;
      const notifyCreator = async (title: string, body?: string | null) => {
        if (task.created_by) await this.notifier.notify(trx, { unitId: from.id, userIds: [task.created_by], kind: 'assignment', title, body: body ?? null, link: `/tasks/${id}` });
      };
      switch (action) {
        case 'accept':
          after = await repo.updateTask(trx, id, { status: 'accepted', assignee_user_id: task.assignee_user_id ?? ctx.actor.userId });
          await notifyCreator(`${unit.name}已接单：${task.title}`);
          break;
        case 'decline':
          after = await repo.updateTask(trx, id, { status: 'declined', decline_reason: input.reason!.trim() });
          await notifyCreator(`${unit.name}拒绝了任务：${task.title}`, input.reason);
          break;
        case 'complete': {
          if (item && task.topic_id) {
            const topic = await repo.findTopic(trx, task.topic_id);
            if (topic) await repo.linkItem(trx, topic.unit_id, task.topic_id, item.id, ctx.actor.userId);
          }
          after = await repo.updateTask(trx, id, { status: 'done', item_id: item?.id ?? null });
          await notifyCreator(`${unit.name}已完成：${task.title}`);
          break;
        }
        case 'cancel':
          after = await repo.updateTask(trx, id, { status: 'cancelled' });
          break;
        case 'handover': {
          after = await repo.updateTask(trx, id, { unit_id: toUnit.id, assignee_user_id: input.toUserId ?? null, status: 'open' });
          const to = input.toUserId ? [input.toUserId] : (await this.alliance.membersWithRoles(toUnit.id, takers, trx)).map((m) => m.user_id);
          await this.notifier.notify(trx, { unitId: toUnit.id, userIds: to, kind: 'assignment', title: `转交给你的任务：${task.title}`, link: `/tasks/${id}` });
          break;
        }
      }
      await this.audit(trx, ctx, { unitId: task.unit_id, action: `task.${action}`, targetType: 'task', targetId: id, before: { status: task.status, unit: task.unit_id, assignee: task.assignee_user_id }, after: { status: after.status, unit: after.unit_id, assignee: after.assignee_user_id, reason: input.reason } });
      return after;
    });
  }

  listTasks(ctx: ActorContext, view: repo.TaskView, status?: string) {
    requireAccess(ctx.actor, view === 'alliance' ? taskRules.listSubtree : taskRules.list);
    return repo.listTasks(this.db, { view, userId: ctx.actor.userId, unitId: ctx.actor.unitId, unitPath: ctx.actor.unitPath, status });
  }

  /** Deadline reminders: once per task, a day before it is due (or at once when already late). */
  async remindDue(now = new Date()) {
    const due = await repo.tasksDueSoon(this.db, new Date(now.getTime() + 24 * 3600_000));
    for (const task of due) {
      await this.db.transaction().execute(async (trx) => {
        const to = task.assignee_user_id ? [task.assignee_user_id] : (await this.alliance.membersWithRoles(task.unit_id, ['editor', 'chief_editor', 'unit_admin'], trx)).map((m) => m.user_id);
        const late = task.due_at && new Date(task.due_at) < now;
        await this.notifier.notify(trx, { unitId: task.unit_id, userIds: to, kind: 'deadline', title: `${late ? '已逾期' : '即将到期'}：${task.title}`, link: `/tasks/${task.id}` });
        await repo.updateTask(trx, task.id, { reminded_at: now });
      });
    }
    return { reminded: due.length };
  }
}
