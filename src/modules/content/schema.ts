import { type Static, Type } from 'typebox';
import { DateTime, INT4_MAX, Uuid } from '../../platform/http/schemas.ts';
import { DocNodeSchema } from './doc.ts';
import { itemStatuses, itemTypes, relayDirections, shareScopes } from './tables.ts';

const Text = (max: number) => Type.String({ maxLength: max });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ItemTypeSchema = Type.Enum(itemTypes);
export const ItemStatusSchema = Type.Enum(itemStatuses);
export const ShareScopeSchema = Type.Enum(shareScopes);

export const ContributorSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 60 }), role: Type.String({ maxLength: 30, description: '摄影、摄像、编辑…' }) },
  { additionalProperties: false },
);

/** The editable fields of an item: what a revision snapshots and a restore brings back. */
const editable = {
  title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  subtitle: Type.Optional(Nullable(Text(200))),
  summary: Type.Optional(Nullable(Text(1000))),
  body: Type.Optional(DocNodeSchema),
  coverAssetId: Type.Optional(Nullable(Uuid)),
  byline: Type.Optional(Nullable(Text(200))),
  contributors: Type.Optional(Type.Array(ContributorSchema, { maxItems: 50 })),
  source: Type.Optional(Nullable(Text(200))),
  creditLine: Type.Optional(Nullable(Text(200))),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 30 })),
  category: Type.Optional(Nullable(Text(40))),
  regionCode: Type.Optional(Nullable(Type.String({ pattern: '^\\d{6}$', description: '区划代码 division code' }))),
  language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 20 })),
  liveUrl: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2000 }))),
  embargoUntil: Type.Optional(Nullable(DateTime)),
  aiAssisted: Type.Optional(Type.Boolean({ description: 'AI 辅助生成 / AI-assisted' })),
};

export const CreateItemBody = Type.Object(
  {
    type: ItemTypeSchema,
    ...editable,
    specialItemIds: Type.Optional(Type.Array(Uuid, { maxItems: 200, description: '专题包含的稿件 / items of a special topic' })),
    note: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

export const UpdateItemBody = Type.Object(
  {
    ...editable,
    title: Type.Optional(editable.title),
    specialItemIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
    note: Type.Optional(Text(200)),
    baseRevision: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX, description: '基于哪个修订编辑；不一致时 409 / the revision this edit started from' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Autosave: the caller's unsaved edits, relative to revision baseRevision; no fields at all discards them. */
export const WorkingCopyBody = Type.Object(
  {
    ...editable,
    title: Type.Optional(editable.title),
    specialItemIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
    baseRevision: Type.Integer({ minimum: 1, maximum: INT4_MAX, description: '这些修改基于哪个修订；不一致时 409 / the revision these edits started from' }),
  },
  { additionalProperties: false },
);

export const WorkingCopySchema = Type.Object({
  workingCopy: Nullable(
    Type.Object({
      baseRevision: Type.Integer(),
      changes: Type.Record(Type.String(), Type.Unknown(), { description: '与该修订不同的字段 / the fields that differ from that revision' }),
      savedAt: DateTime,
    }),
  ),
});

export type CreateItemInput = Static<typeof CreateItemBody>;
export type WorkingCopyInput = Static<typeof WorkingCopyBody>;
export type UpdateItemInput = Static<typeof UpdateItemBody>;

export const ProvenanceSchema = Type.Object({
  originUnitId: Uuid,
  originUnitName: Type.String(),
  originItemId: Uuid,
  creditLine: Nullable(Type.String()),
});

export const ItemSummarySchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  unitName: Type.String(),
  type: ItemTypeSchema,
  status: ItemStatusSchema,
  title: Type.String(),
  summary: Nullable(Type.String()),
  byline: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  category: Nullable(Type.String()),
  regionCode: Nullable(Type.String()),
  shareScope: ShareScopeSchema,
  coverAssetId: Nullable(Uuid),
  aiAssisted: Type.Boolean(),
  adoptionCount: Type.Integer(),
  revision: Type.Integer(),
  provenance: Nullable(ProvenanceSchema),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const ItemSchema = Type.Intersect([
  ItemSummarySchema,
  Type.Object({
    subtitle: Nullable(Type.String()),
    body: Type.Unknown({ description: 'ProseMirror/TipTap JSON document' }),
    bodyHtml: Type.String({ description: '净化后的 HTML / sanitised HTML rendering' }),
    contributors: Type.Array(ContributorSchema),
    source: Nullable(Type.String()),
    creditLine: Nullable(Type.String()),
    language: Type.String(),
    liveUrl: Nullable(Type.String()),
    embargoUntil: Nullable(DateTime),
    shareUnitIds: Type.Array(Uuid),
    specialItems: Type.Optional(Type.Array(Type.Object({ id: Uuid, title: Type.String(), type: ItemTypeSchema }))),
    adoptions: Type.Array(Type.Object({ unitId: Uuid, unitName: Type.String(), copyItemId: Uuid, at: DateTime })),
    understanding: Type.Unknown({ description: '关键词、实体、摘要、分类建议、SimHash / keywords, entities, summary, category, SimHash' }),
    canEdit: Type.Boolean(),
    canShare: Type.Boolean(),
  }),
]);

export const ItemListQuery = Type.Object(
  {
    view: Type.Optional(Type.Enum(['unit', 'shared', 'incoming'], { default: 'unit', description: '本单位稿库 / 共享稿池 / 汇聚待处理' })),
    status: Type.Optional(ItemStatusSchema),
    type: Type.Optional(ItemTypeSchema),
    category: Type.Optional(Type.String({ maxLength: 40 })),
    scope: Type.Optional(ShareScopeSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
  },
  { additionalProperties: false },
);

export const RevisionSchema = Type.Object({
  number: Type.Integer(),
  note: Nullable(Type.String()),
  authorId: Nullable(Uuid),
  authorName: Nullable(Type.String()),
  createdAt: DateTime,
});

export const RevisionParams = Type.Object({ id: Uuid, number: Type.Integer({ minimum: 1, maximum: INT4_MAX }) });
export const DiffQuery = Type.Object(
  { from: Type.Integer({ minimum: 1, maximum: INT4_MAX }), to: Type.Integer({ minimum: 1, maximum: INT4_MAX }) },
  { additionalProperties: false },
);

export const DiffSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  fields: Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
  body: Type.Array(
    Type.Object({
      op: Type.Enum(['equal', 'insert', 'delete', 'change']),
      before: Type.Optional(Type.String()),
      after: Type.Optional(Type.String()),
      parts: Type.Optional(Type.Array(Type.Object({ op: Type.Enum(['equal', 'insert', 'delete']), text: Type.String() }))),
    }),
  ),
  stats: Type.Object({ insertedChars: Type.Integer(), deletedChars: Type.Integer() }),
});

export const RestoreBody = Type.Object({ note: Type.Optional(Text(200)) }, { additionalProperties: false });

export const ShareBody = Type.Object(
  { scope: ShareScopeSchema, unitIds: Type.Optional(Type.Array(Uuid, { maxItems: 300, description: 'scope=units 时必填' })) },
  { additionalProperties: false },
);

export const RelayUpBody = Type.Object(
  { note: Type.Optional(Text(500)), toUnitId: Type.Optional(Uuid) },
  { additionalProperties: false },
);

export const RelayDownBody = Type.Object(
  { unitIds: Type.Array(Uuid, { minItems: 1, maxItems: 300 }), note: Type.Optional(Text(500)) },
  { additionalProperties: false },
);

/** 上报 / 下发: an item relayed to the caller's unit. */
export const RelaySchema = Type.Object({
  id: Uuid,
  direction: Type.Enum(relayDirections),
  itemId: Uuid,
  title: Type.String(),
  type: ItemTypeSchema,
  fromUnitId: Uuid,
  fromUnitName: Type.String(),
  sentByName: Nullable(Type.String()),
  note: Nullable(Type.String()),
  adoptedItemId: Nullable(Uuid),
  /** The revision that was sent; null on relays from before revisions were recorded. */
  revision: Nullable(Type.Integer()),
  createdAt: DateTime,
});

export const RelaysQuery = Type.Object({ itemId: Type.Optional(Uuid) }, { additionalProperties: false });

export type ItemDto = Static<typeof ItemSchema>;
export type ItemSummaryDto = Static<typeof ItemSummarySchema>;
export type DiffDto = Static<typeof DiffSchema>;
