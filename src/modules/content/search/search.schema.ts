import { type Static, Type } from 'typebox';
import { DateTime, Uuid } from '../../../platform/http/schemas.ts';
import { ItemStatusSchema, ItemSummarySchema, ItemTypeSchema, ShareScopeSchema } from '../schema.ts';
import { MAX_QUERY_CHARS } from './index-text.ts';

/** The filters of a search: what the query string carries and what a saved search keeps. */
const filters = {
  q: Type.Optional(Type.String({ maxLength: MAX_QUERY_CHARS, description: '检索词；空格分隔的词须同时出现 / words, all must appear' })),
  unitId: Type.Optional(Uuid),
  scope: Type.Optional(ShareScopeSchema),
  status: Type.Optional(ItemStatusSchema),
  type: Type.Optional(ItemTypeSchema),
  category: Type.Optional(Type.String({ maxLength: 40 })),
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '区划代码 division code' })),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
  dateField: Type.Optional(Type.Enum(['updated', 'created'], { default: 'updated', description: 'from/to 作用于更新时间或创建时间' })),
  authorId: Type.Optional(Uuid),
  sort: Type.Optional(Type.Enum(['relevance', 'time'], { description: '相关度（有检索词时默认）或时间 / relevance (default with q) or time' })),
};

export const SearchQuery = Type.Object(
  {
    ...filters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, default: 0 })),
    facets: Type.Optional(Type.Boolean({ default: true, description: '是否统计分面 / count facets' })),
  },
  { additionalProperties: false },
);
export type SearchQueryInput = Static<typeof SearchQuery>;

/** What a saved search keeps: the filters, not the page. */
export const SavedQuerySchema = Type.Object(filters, { additionalProperties: false });
export type SavedQuery = Static<typeof SavedQuerySchema>;

const FacetValues = Type.Array(Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }));

export const facetNames = ['unit', 'type', 'status', 'category', 'scope', 'region'] as const;
export type FacetName = (typeof facetNames)[number];

export const SearchResultSchema = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Intersect([
      ItemSummarySchema,
      Type.Object({
        snippet: Type.String({ description: 'HTML：命中词以 <mark> 标出，其余已转义 / escaped HTML with <mark>' }),
        titleHighlight: Type.String({ description: '标题，命中词以 <mark> 标出 / the title with <mark>' }),
        score: Type.Number(),
      }),
    ]),
  ),
  facets: Type.Object({
    unit: FacetValues,
    type: FacetValues,
    status: FacetValues,
    category: FacetValues,
    scope: FacetValues,
    region: FacetValues,
  }),
});
export type SearchResultDto = Static<typeof SearchResultSchema>;

export const SavedSearchBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' }), query: SavedQuerySchema },
  { additionalProperties: false },
);

export const SavedSearchSchema = Type.Object({ id: Uuid, name: Type.String(), query: SavedQuerySchema, createdAt: DateTime });
export type SavedSearchDto = Static<typeof SavedSearchSchema>;
