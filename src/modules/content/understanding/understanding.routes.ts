import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../../platform/http/auth.ts';
import { DateTime, IdParams, Uuid, problemResponses } from '../../../platform/http/schemas.ts';
import type { HttpServer } from '../../../platform/http/server.ts';
import { ItemStatusSchema, ItemTypeSchema } from '../schema.ts';
import { type CorrectionInput, NEAR_DUPLICATE_BITS, type UnderstandingService, correctableFields } from './understanding.service.ts';

const tags = ['content 稿库'];
const Name = Type.String({ minLength: 1, maxLength: 60 });
const NamedList = Type.Array(Type.Object({ name: Name }, { additionalProperties: false }), { maxItems: 50 });

/** Summary first: the bad-input walk fills a body's first field to reach the 404 of an unknown id. */
export const CorrectionBody = Type.Object(
  {
    summary: Type.Optional(Type.String({ maxLength: 1000, description: '摘要 / summary' })),
    keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 30, description: '关键词 / keywords' })),
    entities: Type.Optional(
      Type.Object(
        {
          places: Type.Optional(
            Type.Array(
              Type.Object({ name: Name, code: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '区划代码' })) }, { additionalProperties: false }),
              { maxItems: 50 },
            ),
          ),
          people: Type.Optional(NamedList),
          organisations: Type.Optional(NamedList),
          others: Type.Optional(NamedList),
        },
        { additionalProperties: false, description: '地点、人物、机构 / places, people, organisations' },
      ),
    ),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '分类 / category' })),
    reset: Type.Optional(Type.Array(Type.Enum(correctableFields), { maxItems: 4, description: '撤销这些字段的人工修改 / drop these corrections' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const UnderstandingSchema = Type.Object(
  {
    keywords: Type.Array(Type.Object({ word: Type.String(), weight: Type.Optional(Type.Number()) })),
    entities: Type.Unknown({ description: 'places (with division code), people, organisations, others' }),
    summary: Type.String(),
    category: Type.Union([
      Type.Object({ label: Type.String(), probability: Type.Union([Type.Number(), Type.Null()]), source: Type.Enum(['model', 'editor']) }),
      Type.Null(),
    ]),
    simhash: Type.Union([Type.String(), Type.Null()]),
    edited: Type.Boolean(),
    editedFields: Type.Array(Type.String()),
    editedBy: Type.Union([Uuid, Type.Null()]),
    editedAt: Type.Union([DateTime, Type.Null()]),
    machine: Type.Unknown({ description: '机器结果（保留）/ the machine reading, kept beside corrections' }),
    corrections: Type.Unknown(),
  },
  { additionalProperties: true },
);

export function understandingRoutes(understanding: UnderstandingService) {
  return async (app: HttpServer) => {
    app.patch(
      '/api/items/:id/understanding',
      {
        schema: {
          tags,
          summary: '修改稿件理解结果（关键词、实体、摘要、分类）/ correct the machine understanding',
          params: IdParams,
          body: CorrectionBody,
          response: { 200: UnderstandingSchema, ...problemResponses },
        },
      },
      async (request) => understanding.correct(actorContext(request), request.params.id, request.body as CorrectionInput),
    );

    app.get(
      '/api/items/:id/duplicates',
      {
        schema: {
          tags,
          summary: `相似稿件（SimHash 相差不超过 ${NEAR_DUPLICATE_BITS} 位）/ near-duplicates by SimHash`,
          params: IdParams,
          response: {
            200: Type.Object({
              simhash: Type.String(),
              items: Type.Array(
                Type.Object({
                  id: Uuid,
                  unitId: Uuid,
                  unitName: Type.String(),
                  title: Type.String(),
                  type: ItemTypeSchema,
                  status: ItemStatusSchema,
                  source: Type.Union([Type.String(), Type.Null()]),
                  distance: Type.Integer(),
                  updatedAt: DateTime,
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => {
        const { simhash, items } = await understanding.duplicates(requireAuth(request).actor, request.params.id);
        return {
          simhash,
          items: items.map((r) => ({
            id: r.id,
            unitId: r.unit_id,
            unitName: r.unit_name,
            title: r.title,
            type: r.type,
            status: r.status,
            source: r.source,
            distance: Number(r.distance),
            updatedAt: new Date(r.updated_at).toISOString(),
          })),
        };
      },
    );
  };
}
