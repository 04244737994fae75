import { Type } from 'typebox';
import { DateTime, INT4_MAX, Uuid } from '../../platform/http/schemas.ts';
import { ItemStatusSchema } from '../content/schema.ts';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

const topicFields = {
  title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  angle: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: '报道角度' }))),
  channels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 20, description: '拟发渠道' })),
  resources: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: '所需资源' }))),
  deadline: Type.Optional(Nullable(DateTime)),
};

export const CreateTopicBody = Type.Object(
  { ...topicFields, jointUnitIds: Type.Optional(Type.Array(Uuid, { maxItems: 300, description: '联合报道的单位' })) },
  { additionalProperties: false },
);
export const UpdateTopicBody = Type.Object({ ...topicFields, title: Type.Optional(topicFields.title) }, { additionalProperties: false, minProperties: 1 });
export const DecideTopicBody = Type.Object(
  { decision: Type.Enum(['approve', 'return', 'reject', 'complete'], { description: 'complete：已通过的选题报道完成' }), reason: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
export const TopicListQuery = Type.Object(
  { board: Type.Optional(Type.Enum(['unit', 'joint'], { default: 'unit' })), status: Type.Optional(Type.Enum(['proposed', 'approved', 'returned', 'rejected', 'done'])) },
  { additionalProperties: false },
);
export const LinkItemBody = Type.Object({ itemId: Uuid }, { additionalProperties: false });

export const TopicSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  unitName: Type.String(),
  title: Type.String(),
  angle: Nullable(Type.String()),
  channels: Type.Array(Type.String()),
  resources: Nullable(Type.String()),
  deadline: Nullable(DateTime),
  status: Type.String(),
  decisionReason: Nullable(Type.String()),
  joint: Type.Boolean(),
  units: Type.Array(Type.Object({ unitId: Uuid, unitName: Type.String() })),
  items: Type.Array(Type.Object({ id: Uuid, title: Type.String(), status: ItemStatusSchema, unitId: Uuid, unitName: Type.String() })),
  createdAt: DateTime,
});

export const CreateTaskBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    assigneeUnitId: Uuid,
    assigneeUserId: Type.Optional(Nullable(Uuid)),
    dueAt: Type.Optional(Nullable(DateTime)),
    topicId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
export const TaskActionParams = Type.Object({ id: Uuid, action: Type.Enum(['accept', 'decline', 'complete', 'cancel', 'handover']) });
export const TaskActionBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 1000, description: '拒绝理由' })),
    itemId: Type.Optional(Uuid),
    toUserId: Type.Optional(Uuid),
    toUnitId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export const TaskListQuery = Type.Object(
  {
    view: Type.Optional(Type.Enum(['mine', 'unit', 'sent', 'alliance'], { default: 'mine', description: '我的 / 本单位 / 我方派出 / 全辖' })),
    status: Type.Optional(Type.Enum(['open', 'accepted', 'declined', 'done', 'cancelled'])),
  },
  { additionalProperties: false },
);
export const TaskSchema = Type.Object({
  id: Uuid,
  title: Type.String(),
  description: Nullable(Type.String()),
  status: Type.String(),
  unitId: Uuid,
  unitName: Type.Optional(Type.String()),
  fromUnitId: Uuid,
  fromUnitName: Type.Optional(Type.String()),
  assigneeUserId: Nullable(Uuid),
  assigneeName: Type.Optional(Nullable(Type.String())),
  topicId: Nullable(Uuid),
  itemId: Nullable(Uuid),
  dueAt: Nullable(DateTime),
  declineReason: Nullable(Type.String()),
  createdAt: DateTime,
  can: Type.Object({ work: Type.Boolean(), cancel: Type.Boolean() }, { description: '当前用户可否处理、撤销该任务 / whether the caller may work on or cancel the task' }),
});

export const LockSchema = Type.Object({ holderId: Uuid, holderName: Type.String(), acquiredAt: DateTime, expiresAt: DateTime });
export const LockBody = Type.Object({ takeover: Type.Optional(Type.Boolean({ default: false })) }, { additionalProperties: false });

export const CommentBody = Type.Object(
  {
    revision: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
    anchor: Type.Optional(
      Type.Object({ from: Type.Integer({ minimum: 0, maximum: INT4_MAX }), to: Type.Integer({ minimum: 0, maximum: INT4_MAX }), quote: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
    ),
    body: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export const CommentSchema = Type.Object({
  id: Uuid,
  revision: Type.Integer(),
  anchor: Nullable(Type.Object({ from: Type.Integer(), to: Type.Integer(), quote: Nullable(Type.String()) })),
  body: Type.String(),
  mentions: Type.Array(Uuid),
  authorId: Nullable(Uuid),
  authorName: Nullable(Type.String()),
  resolved: Type.Boolean(),
  createdAt: DateTime,
});
export const CommentParams = Type.Object({ id: Uuid, commentId: Uuid });
export const ResolveBody = Type.Object({ resolved: Type.Boolean() }, { additionalProperties: false });

export const WebhookBody = Type.Object(
  {
    url: Type.String({ format: 'uri', maxLength: 2000 }),
    events: Type.Array(Type.Enum(['assignment', 'return', 'approval', 'signoff', 'mention', 'deadline', 'review_needed', 'lock_taken', 'topic', 'publish']), { minItems: 1, maxItems: 10 }),
  },
  { additionalProperties: false },
);
export const WebhookSchema = Type.Object({
  id: Uuid,
  url: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  createdAt: DateTime,
});
