import { Type } from 'typebox';
import { DateTime, INT4_MAX, Uuid } from '../../platform/http/schemas.ts';
import { RoleSchema } from '../alliance/schema.ts';
import { ItemStatusSchema, ItemTypeSchema } from '../content/schema.ts';
import { workflowActions } from './transitions.ts';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const WorkflowActionSchema = Type.Enum(workflowActions);

export const ActParams = Type.Object({ id: Uuid, action: WorkflowActionSchema });

export const ActBody = Type.Object(
  {
    comment: Type.Optional(Type.String({ maxLength: 2000, description: '审核意见；退回、退稿、撤稿、更正发布时必填' })),
    override: Type.Optional(
      Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false, description: '放行自动审核拦截（主编及以上）' }),
    ),
    publishAt: Type.Optional(DateTime),
    revision: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX, description: '审核所依据的版本；稿件已被改动则 409 / the revision you reviewed; 409 if it changed' })),
    channelIds: Type.Optional(
      Type.Array(Uuid, { maxItems: 50, uniqueItems: true, description: '定时/发布：投递的渠道；不填则沿用上次选择或本单位默认渠道 / schedule/publish: channels to deliver to' }),
    ),
  },
  { additionalProperties: false },
);

export const FindingSchema = Type.Object({
  rule: Type.String(),
  severity: Type.Enum(['block', 'review', 'info']),
  message: Type.String(),
  start: Type.Optional(Type.Integer()),
  end: Type.Optional(Type.Integer()),
});

export const ActResult = Type.Object({
  status: ItemStatusSchema,
  level: Nullable(Type.Integer()),
  findings: Type.Array(FindingSchema),
});

export const ReviewLevelSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 20 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 6 }),
    skipTypes: Type.Optional(Type.Array(ItemTypeSchema, { maxItems: 6 })),
  },
  { additionalProperties: false },
);

export const PolicySchema = Type.Object(
  {
    levels: Type.Array(ReviewLevelSchema, { minItems: 1, maxItems: 5 }),
    editReturnsTo: Type.Enum(['first', 'same', 'draft'], { description: '审核中被修改后回到：第一级 / 当前级 / 草稿' }),
  },
  { additionalProperties: false },
);

export const TransitionSchema = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  fromStatus: Type.String(),
  toStatus: Type.String(),
  level: Nullable(Type.Integer()),
  round: Type.Integer(),
  revision: Type.Integer(),
  actorId: Nullable(Uuid),
  actorName: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  overrideReason: Nullable(Type.String()),
  findings: Type.Array(FindingSchema),
  at: DateTime,
});

export const WorkflowStateSchema = Type.Object({
  status: ItemStatusSchema,
  level: Nullable(Type.Integer()),
  levelName: Nullable(Type.String()),
  round: Type.Integer(),
  revision: Type.Integer(),
  signedOffRevision: Nullable(Type.Integer()),
  signedOffBy: Nullable(Uuid),
  signedOffAt: Nullable(DateTime),
  publishAt: Nullable(DateTime),
  publishedRevision: Nullable(Type.Integer()),
  publishedAt: Nullable(DateTime),
  lastApprovedRevision: Nullable(Type.Integer()),
  allowedActions: Type.Array(WorkflowActionSchema),
  yourActions: Type.Array(WorkflowActionSchema, { description: '当前用户此刻可执行的操作 / the moves the caller may make now' }),
  mayReview: Type.Boolean({ description: '当前审级是否由当前用户的角色审核 / whether the caller’s role reviews at the current level' }),
  mayOverride: Type.Boolean({ description: '当前用户可否放行自动审核拦截的问题 / whether the caller may let a blocking finding pass, with a reason' }),
  findings: Type.Array(FindingSchema),
  policy: PolicySchema,
});

export const QueueSchema = Type.Object({
  policy: PolicySchema,
  items: Type.Array(
    Type.Object({
      id: Uuid,
      title: Type.String(),
      type: ItemTypeSchema,
      status: ItemStatusSchema,
      level: Type.Integer(),
      levelName: Type.String(),
      revision: Type.Integer(),
      authorName: Nullable(Type.String()),
      updatedAt: DateTime,
    }),
  ),
});

export const PublishedSchema = Type.Object({
  revision: Type.Integer(),
  title: Type.String(),
  bodyHtml: Type.String(),
  bodyText: Type.String(),
  snapshot: Type.Unknown(),
  publishedAt: Nullable(DateTime),
  correctionNote: Nullable(Type.String()),
});
