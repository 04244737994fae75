import { Type, type Static } from 'typebox';
import { DateTime, Uuid } from '../../platform/http/schemas.ts';

/** The app delivery API's shapes (for member apps: cards and article detail). */

export const UnitSlugParams = Type.Object(
  { unitSlug: Type.String({ pattern: '^(\\d{6}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$', description: '单位代码（行政区划代码）或单位 id / the unit’s division code or id' }) },
  { additionalProperties: false },
);

export const AppListQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength: 200, description: '上一页返回的 nextCursor / the nextCursor of the previous page (opaque)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20, description: '每页条数 / page size' })),
  },
  { additionalProperties: false },
);
export type AppListQueryInput = Static<typeof AppListQuery>;

const Cover = Type.Object({
  crop: Type.String({ description: 'crop_16x9 | crop_4x3 | crop_1x1 | large' }),
  url: Type.String({ description: '图片地址（绝对）/ absolute picture URL' }),
});

const UnitRef = Type.Object({ id: Uuid, name: Type.String(), slug: Type.String() });

export const AppCardSchema = Type.Object({
  id: Uuid,
  type: Type.String({ description: 'article | gallery | video | audio | live | special' }),
  title: Type.String(),
  summary: Type.String(),
  cover: Type.Union([Cover, Type.Null()]),
  category: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  aiLabel: Type.Union([Type.String(), Type.Null()], { description: 'AI 生成内容标识 / the AI-content label, when AI-assisted' }),
  publishedAt: DateTime,
  updatedAt: DateTime,
  revision: Type.Integer(),
  unit: UnitRef,
  webUrl: Type.String({ description: '门户文章页 / the portal article page' }),
});
export type AppCard = Static<typeof AppCardSchema>;

export const AppListSchema = Type.Object({
  items: Type.Array(AppCardSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: '下一页游标；null 表示没有更多 / null when there is no more' }),
});

const Mark = Type.Object({
  start: Type.Integer(),
  end: Type.Integer(),
  mark: Type.Union([Type.Literal('bold'), Type.Literal('italic'), Type.Literal('link')]),
  href: Type.Optional(Type.String()),
});

export const AppBlockSchema = Type.Union([
  Type.Object({ type: Type.Literal('heading'), level: Type.Integer(), text: Type.String() }),
  Type.Object({ type: Type.Literal('paragraph'), text: Type.String(), marks: Type.Optional(Type.Array(Mark)) }),
  Type.Object({ type: Type.Literal('image'), assetId: Uuid, caption: Type.Union([Type.String(), Type.Null()]), url: Type.String() }),
  Type.Object({ type: Type.Literal('quote'), text: Type.String() }),
  Type.Object({ type: Type.Literal('list'), ordered: Type.Boolean(), items: Type.Array(Type.String()) }),
  Type.Object({ type: Type.Literal('label'), text: Type.String() }),
]);

export const AppItemSchema = Type.Intersect([
  AppCardSchema,
  Type.Object({
    blocks: Type.Array(AppBlockSchema, { description: '正文结构化块；撤回后为空 / the body as blocks; empty once retracted' }),
    tags: Type.Array(Type.String()),
    byline: Type.Union([Type.String(), Type.Null()]),
    source: Type.Union([Type.String(), Type.Null()]),
    correctionNote: Type.Union([Type.String(), Type.Null()]),
    canonicalUrl: Type.String({ description: '转载稿指向原发单位 / the originating unit’s article for picked-up stories' }),
    retracted: Type.Boolean(),
    retractionNote: Type.Union([Type.String(), Type.Null()], { description: '撤回说明（本文已撤回）/ the note shown in place of a retracted story' }),
  }),
]);
export type AppItem = Static<typeof AppItemSchema>;
