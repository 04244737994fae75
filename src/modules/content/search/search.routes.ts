import { Type } from 'typebox';
import { requireAuth } from '../../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../../platform/http/schemas.ts';
import type { HttpServer } from '../../../platform/http/server.ts';
import { SavedSearchBody, SavedSearchSchema, SearchQuery, SearchResultSchema } from './search.schema.ts';
import type { SearchService } from './search.service.ts';

const tags = ['search 检索'];

export function searchRoutes(search: SearchService) {
  return async (app: HttpServer) => {
    app.get(
      '/api/search',
      {
        schema: {
          tags,
          summary: '全文检索（简繁通搜、筛选、分面、高亮）/ full-text search with filters, facets and highlighted snippets',
          querystring: SearchQuery,
          response: { 200: SearchResultSchema, ...problemResponses },
        },
      },
      async (request) => search.search(requireAuth(request).actor, request.query),
    );

    app.get(
      '/api/search/saved',
      {
        schema: {
          tags,
          summary: '我保存的检索 / my saved searches',
          response: { 200: Type.Object({ items: Type.Array(SavedSearchSchema) }), ...problemResponses },
        },
      },
      async (request) => ({ items: await search.listSaved(requireAuth(request).actor) }),
    );

    app.post(
      '/api/search/saved',
      {
        schema: {
          tags,
          summary: '保存检索条件 / save a search',
          body: SavedSearchBody,
          response: { 201: SavedSearchSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const saved = await search.save(requireAuth(request).actor, request.body.name, request.body.query);
        return reply.code(201).send(saved);
      },
    );

    app.delete(
      '/api/search/saved/:id',
      {
        schema: { tags, summary: '删除保存的检索 / delete a saved search', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
      },
      async (request, reply) => {
        await search.deleteSaved(requireAuth(request).actor, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
