import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../../platform/http/schemas.ts';
import type { HttpServer } from '../../../platform/http/server.ts';
import type { Actor } from '../../../policies/index.ts';
import type { SourceRow } from './ingest.repo.ts';
import { CreateSourceBody, PullResultSchema, type SourceDto, SourceSchema, UpdateSourceBody } from './ingest.schema.ts';
import type { IngestService } from './ingest.service.ts';
import { can, ingestSource } from '../../../policies/index.ts';

const tags = ['ingest 汇聚'];
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function present(row: SourceRow, actor: Actor): SourceDto {
  return {
    id: row.id,
    unitId: row.unit_id,
    name: row.name,
    url: row.url,
    format: row.format,
    intervalMinutes: row.interval_minutes,
    paused: row.paused,
    status: row.status,
    lastError: row.last_error,
    lastFetchedAt: iso(row.last_fetched_at),
    lastSuccessAt: iso(row.last_success_at),
    lastResult: row.last_result,
    itemCount: row.item_count,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    canManage: can(actor, ingestSource.manage),
  };
}

export function ingestRoutes(ingest: IngestService) {
  return async (app: HttpServer) => {
    app.get(
      '/api/ingest/sources',
      { schema: { tags, summary: '本单位的汇聚源 / your unit’s ingest sources', response: { 200: Type.Object({ items: Type.Array(SourceSchema) }), ...problemResponses } } },
      async (request) => {
        const { actor } = requireAuth(request);
        return { items: (await ingest.list(actor)).map((r) => present(r, actor)) };
      },
    );

    app.post(
      '/api/ingest/sources',
      { schema: { tags, summary: '新建汇聚源 / add a source', body: CreateSourceBody, response: { 201: SourceSchema, ...problemResponses } } },
      async (request, reply) => {
        const ctx = actorContext(request);
        return reply.code(201).send(present(await ingest.create(ctx, request.body), ctx.actor));
      },
    );

    app.get(
      '/api/ingest/sources/:id',
      { schema: { tags, summary: '汇聚源状态与最近错误 / a source, its status and last error', params: IdParams, response: { 200: SourceSchema, ...problemResponses } } },
      async (request) => {
        const { actor } = requireAuth(request);
        return present(await ingest.get(actor, request.params.id), actor);
      },
    );

    app.patch(
      '/api/ingest/sources/:id',
      {
        schema: { tags, summary: '修改汇聚源（名称、地址、间隔、暂停）/ change a source', params: IdParams, body: UpdateSourceBody, response: { 200: SourceSchema, ...problemResponses } },
      },
      async (request) => {
        const ctx = actorContext(request);
        return present(await ingest.update(ctx, request.params.id, request.body), ctx.actor);
      },
    );

    app.delete(
      '/api/ingest/sources/:id',
      { schema: { tags, summary: '删除汇聚源（已导入稿件保留）/ delete a source; imported items stay', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await ingest.remove(actorContext(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/ingest/sources/:id/pull',
      {
        schema: {
          tags,
          summary: '立即拉取，返回计数；失败时 status 为 error 且不导入任何稿件 / pull now and return the counts',
          params: IdParams,
          response: { 200: PullResultSchema, ...problemResponses },
        },
      },
      async (request) => ingest.pullNow(actorContext(request), request.params.id),
    );
  };
}
