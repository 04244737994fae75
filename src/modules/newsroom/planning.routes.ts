import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { CollaborationService } from './collaboration.service.ts';
import type { PlanningService } from './planning.service.ts';
import {
  CommentBody,
  CommentParams,
  CommentSchema,
  CreateTaskBody,
  CreateTopicBody,
  DecideTopicBody,
  LinkItemBody,
  LockBody,
  LockSchema,
  ResolveBody,
  TaskActionBody,
  TaskActionParams,
  TaskListQuery,
  TaskSchema,
  TopicListQuery,
  TopicSchema,
  UpdateTopicBody,
  WebhookBody,
  WebhookSchema,
} from './planning.schema.ts';
import type { WebhookService } from './webhooks.ts';
import { type Actor, abilities, task } from '../../policies/index.ts';

const tags = ['newsroom 采编流程'];
const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

type TopicRow = Awaited<ReturnType<PlanningService['listTopics']>>[number];
const presentTopic = (t: Omit<TopicRow, 'unit_name'> & { unit_name: string }) => ({
  id: t.id,
  unitId: t.unit_id,
  unitName: t.unit_name,
  title: t.title,
  angle: t.angle,
  channels: t.channels,
  resources: t.resources,
  deadline: isoOrNull(t.deadline),
  status: t.status,
  decisionReason: t.decision_reason,
  joint: t.joint,
  units: t.units.map((u) => ({ unitId: u.unit_id, unitName: u.unit_name })),
  items: t.items.map((i) => ({ id: i.id, title: i.title, status: i.status, unitId: i.unit_id, unitName: i.unit_name })),
  createdAt: iso(t.created_at),
});

interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  status: string;
  unit_id: string;
  from_unit_id: string;
  assignee_user_id: string | null;
  topic_id: string | null;
  item_id: string | null;
  due_at: Date | string | null;
  decline_reason: string | null;
  created_at: Date | string;
  unit_name?: string;
  from_unit_name?: string;
  assignee_name?: string | null;
}
/** A task, with what the caller may do with it (so the console restates no rule). */
const presentTask = (actor: Actor) => (t: TaskRow) => ({
  id: t.id,
  title: t.title,
  description: t.description,
  status: t.status,
  unitId: t.unit_id,
  ...(t.unit_name ? { unitName: t.unit_name } : {}),
  fromUnitId: t.from_unit_id,
  ...(t.from_unit_name ? { fromUnitName: t.from_unit_name } : {}),
  assigneeUserId: t.assignee_user_id,
  ...(t.assignee_name !== undefined ? { assigneeName: t.assignee_name } : {}),
  topicId: t.topic_id,
  itemId: t.item_id,
  dueAt: isoOrNull(t.due_at),
  declineReason: t.decline_reason,
  createdAt: iso(t.created_at),
  can: abilities(actor, { work: task.work, cancel: task.cancel }, t),
});

type LockRow = { holder_id: string; holder_name: string; acquired_at: Date | string; expires_at: Date | string };
const presentLock = (l: LockRow) => ({ holderId: l.holder_id, holderName: l.holder_name, acquiredAt: iso(l.acquired_at), expiresAt: iso(l.expires_at) });

type CommentRow = Awaited<ReturnType<CollaborationService['comments']>>[number];
const presentComment = (c: Omit<CommentRow, 'author_name'> & { author_name?: string | null }) => ({
  id: c.id,
  revision: c.revision,
  anchor: c.anchor_from !== null && c.anchor_to !== null ? { from: c.anchor_from, to: c.anchor_to, quote: c.quote } : null,
  body: c.body,
  mentions: c.mentions,
  authorId: c.author_id,
  authorName: c.author_name ?? null,
  resolved: c.resolved,
  createdAt: iso(c.created_at),
});

export function planningRoutes(planning: PlanningService, collaboration: CollaborationService, webhooks: WebhookService) {
  return async (app: HttpServer) => {
    app.get(
      '/api/topics',
      { schema: { tags, summary: '选题板：本单位 / 联合报道 / topic boards', querystring: TopicListQuery, response: { 200: Type.Object({ items: Type.Array(TopicSchema) }), ...problemResponses } } },
      async (request) => {
        const rows = await planning.listTopics(actorContext(request), request.query.board ?? 'unit', request.query.status);
        return { items: rows.map(presentTopic) };
      },
    );
    app.post(
      '/api/topics',
      { schema: { tags, summary: '报选题 / propose a topic', body: CreateTopicBody, response: { 201: TopicSchema, ...problemResponses } } },
      async (request, reply) => {
        const ctx = actorContext(request);
        const topic = await planning.proposeTopic(ctx, request.body);
        const full = await planning.getTopic(ctx, topic.id);
        return reply.code(201).send(presentTopic({ ...full.topic, unit_name: full.unitName, units: full.units, items: full.items }));
      },
    );
    app.get(
      '/api/topics/:id',
      { schema: { tags, summary: '选题详情（含稿件与任务）/ a topic with its items and tasks', params: IdParams, response: { 200: Type.Intersect([TopicSchema, Type.Object({ tasks: Type.Array(TaskSchema) })]), ...problemResponses } } },
      async (request) => {
        const full = await planning.getTopic(actorContext(request), request.params.id);
        return { ...presentTopic({ ...full.topic, unit_name: full.unitName, units: full.units, items: full.items }), tasks: full.tasks.map(presentTask(requireAuth(request).actor)) };
      },
    );
    app.patch(
      '/api/topics/:id',
      { schema: { tags, summary: '修改选题（退回后重报）/ revise a topic', params: IdParams, body: UpdateTopicBody, response: { 200: TopicSchema, ...problemResponses } } },
      async (request) => {
        const ctx = actorContext(request);
        await planning.updateTopic(ctx, request.params.id, request.body);
        const full = await planning.getTopic(ctx, request.params.id);
        return presentTopic({ ...full.topic, unit_name: full.unitName, units: full.units, items: full.items });
      },
    );
    app.post(
      '/api/topics/:id/decision',
      { schema: { tags, summary: '审定选题：通过、退回、否决 / approve, return or reject', params: IdParams, body: DecideTopicBody, response: { 200: TopicSchema, ...problemResponses } } },
      async (request) => {
        const ctx = actorContext(request);
        await planning.decideTopic(ctx, request.params.id, request.body.decision, request.body.reason);
        const full = await planning.getTopic(ctx, request.params.id);
        return presentTopic({ ...full.topic, unit_name: full.unitName, units: full.units, items: full.items });
      },
    );
    app.post(
      '/api/topics/:id/items',
      { schema: { tags, summary: '关联稿件 / link an item to the topic', params: IdParams, body: LinkItemBody, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await planning.linkItem(actorContext(request), request.params.id, request.body.itemId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/tasks',
      { schema: { tags, summary: '任务收件箱 / task inbox: mine, my unit, sent, across the subtree', querystring: TaskListQuery, response: { 200: Type.Object({ items: Type.Array(TaskSchema) }), ...problemResponses } } },
      async (request) => ({ items: (await planning.listTasks(actorContext(request), request.query.view ?? 'mine', request.query.status)).map(presentTask(requireAuth(request).actor)) }),
    );
    app.post(
      '/api/tasks',
      { schema: { tags, summary: '派单 / assign a task to a person or a unit', body: CreateTaskBody, response: { 201: TaskSchema, ...problemResponses } } },
      async (request, reply) => reply.code(201).send(presentTask(requireAuth(request).actor)(await planning.assign(actorContext(request), request.body))),
    );
    app.get(
      '/api/tasks/:id',
      { schema: { tags, summary: '任务详情 / one task', params: IdParams, response: { 200: TaskSchema, ...problemResponses } } },
      async (request) => presentTask(requireAuth(request).actor)(await planning.getTask(actorContext(request), request.params.id)),
    );
    app.post(
      '/api/tasks/:id/:action',
      { schema: { tags, summary: '接单、拒绝、转交、完成、撤销 / accept, decline, hand over, complete, cancel', params: TaskActionParams, body: TaskActionBody, response: { 200: TaskSchema, ...problemResponses } } },
      async (request) => presentTask(requireAuth(request).actor)(await planning.taskAction(actorContext(request), request.params.id, request.params.action, request.body)),
    );

    app.get(
      '/api/items/:id/lock',
      { schema: { tags, summary: '编辑锁 / who is editing', params: IdParams, response: { 200: Type.Object({ lock: Type.Union([LockSchema, Type.Null()]) }), ...problemResponses } } },
      async (request) => {
        const lock = await collaboration.lock(actorContext(request), request.params.id);
        return { lock: lock ? presentLock(lock) : null };
      },
    );
    app.post(
      '/api/items/:id/lock',
      { schema: { tags, summary: '获取/续期编辑锁，或接管 / take, extend or take over the lock', params: IdParams, body: LockBody, response: { 200: LockSchema, ...problemResponses } } },
      async (request) => presentLock(await collaboration.acquire(actorContext(request), request.params.id, request.body.takeover ?? false)),
    );
    app.delete(
      '/api/items/:id/lock',
      { schema: { tags, summary: '释放编辑锁 / release the lock', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await collaboration.release(actorContext(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/items/:id/comments',
      { schema: { tags, summary: '批注 / editorial comments', params: IdParams, response: { 200: Type.Object({ items: Type.Array(CommentSchema) }), ...problemResponses } } },
      async (request) => ({ items: (await collaboration.comments(actorContext(request), request.params.id)).map(presentComment) }),
    );
    app.post(
      '/api/items/:id/comments',
      { schema: { tags, summary: '添加批注（可 @同事）/ comment on a passage, @mention colleagues', params: IdParams, body: CommentBody, response: { 201: CommentSchema, ...problemResponses } } },
      async (request, reply) => reply.code(201).send(presentComment(await collaboration.comment(actorContext(request), request.params.id, request.body))),
    );
    app.patch(
      '/api/items/:id/comments/:commentId',
      { schema: { tags, summary: '解决/重开批注 / resolve or reopen', params: CommentParams, body: ResolveBody, response: { 200: CommentSchema, ...problemResponses } } },
      async (request) => presentComment(await collaboration.resolve(actorContext(request), request.params.id, request.params.commentId, request.body.resolved)),
    );

    type HookRow = { id: string; url: string; events: string[]; active: boolean; created_at: Date | string; last_status: number | null; last_error: string | null };
    const presentHook = (h: HookRow) => ({ id: h.id, url: h.url, events: h.events, active: h.active, lastStatus: h.last_status, lastError: h.last_error, createdAt: iso(h.created_at) });
    app.get(
      '/api/webhooks',
      { schema: { tags, summary: '本单位 webhook / unit webhooks', response: { 200: Type.Object({ items: Type.Array(WebhookSchema) }), ...problemResponses } } },
      async (request) => ({ items: (await webhooks.list(actorContext(request))).map(presentHook) }),
    );
    app.post(
      '/api/webhooks',
      { schema: { tags, summary: '新增 webhook（密钥只显示一次）/ add a webhook; its signing secret is shown once', body: WebhookBody, response: { 201: Type.Intersect([WebhookSchema, Type.Object({ secret: Type.String() })]), ...problemResponses } } },
      async (request, reply) => {
        const row = await webhooks.create(actorContext(request), request.body);
        return reply.code(201).send({ ...presentHook(row), secret: row.secret });
      },
    );
    app.delete(
      '/api/webhooks/:id',
      { schema: { tags, summary: '删除 webhook / remove a webhook', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await webhooks.remove(actorContext(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
