import { Type } from 'typebox';
import { DateTime, Uuid } from '../../platform/http/schemas.ts';
import { MAX_SECTIONS, MAX_TOPICS } from './curation.service.ts';

const Unit = Type.String({ pattern: '^(\\d{6}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$', description: '单位代码或单位 id，缺省为当前单位 / division code or unit id; the active unit when left out' });

export const CurationQuery = Type.Object({ unit: Type.Optional(Unit) }, { additionalProperties: false });

export const CurationBody = Type.Object(
  {
    unit: Type.Optional(Unit),
    headlineItemId: Type.Union([Uuid, Type.Null()], { description: '头条稿件 id；null 为自动（最新有图稿件）/ the headline story; null for automatic' }),
    topicItemIds: Type.Array(Uuid, { maxItems: MAX_TOPICS, description: '专题条，按顺序 / the 专题 strip, in order' }),
    sectionOrder: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: MAX_SECTIONS, description: '栏目顺序，未列出的按稿件数排在后面 / sections first, in order; the rest follow by size' }),
  },
  { additionalProperties: false },
);

export const CandidatesQuery = Type.Object(
  {
    unit: Type.Optional(Unit),
    q: Type.Optional(Type.String({ maxLength: 100, description: '标题或摘要中的词 / words in the title or summary' })),
    type: Type.Optional(Type.Literal('special', { description: '只列专题 / topics only' })),
  },
  { additionalProperties: false },
);

export const CuratedStorySchema = Type.Object({
  itemId: Uuid,
  title: Type.String(),
  type: Type.String(),
  category: Type.Union([Type.String(), Type.Null()]),
  hasPicture: Type.Boolean(),
  publishedAt: DateTime,
});

export const CurationSchema = Type.Object({
  unit: Type.Object({ id: Uuid, name: Type.String(), slug: Type.String() }),
  headline: Type.Union([CuratedStorySchema, Type.Null()]),
  topics: Type.Array(CuratedStorySchema),
  sectionOrder: Type.Array(Type.String()),
  sections: Type.Array(Type.Object({ category: Type.String(), stories: Type.Integer() })),
  homeUrl: Type.String({ description: '门户首页地址 / the portal home' }),
  updatedAt: Type.Union([DateTime, Type.Null()]),
});

export const CandidatesSchema = Type.Object({ items: Type.Array(CuratedStorySchema) });
