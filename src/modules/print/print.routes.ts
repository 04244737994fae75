import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { presentPage, presentPoolEntry } from './print.presenter.ts';
import * as s from './print.schema.ts';
import type { PrintService } from './print.service.ts';

const tags = ['print 报纸版面'];

export function printRoutes(print: PrintService) {
  return async (app: HttpServer) => {
    app.get(
      '/api/print/candidates',
      { schema: { tags, summary: '可排稿件：稿池与本单位已发布稿件 / stories available for a page', response: { 200: s.CandidatesSchema, ...problemResponses } } },
      async (request) => {
        const { pool, published } = await print.candidates(requireAuth(request).actor);
        return {
          pool: pool.map(presentPoolEntry),
          published: published.map((i) => ({ id: i.id, title: i.title, status: i.status, publishedAt: i.published_at ? new Date(i.published_at).toISOString() : null, hasPicture: !!i.cover_asset_id })),
        };
      },
    );
    app.get(
      '/api/print/pages',
      { schema: { tags, summary: '版面列表 / the unit’s pages', querystring: s.PagesQuery, response: { 200: Type.Object({ items: Type.Array(s.PageSchema) }), ...problemResponses } } },
      async (request) => ({ items: (await print.listPages(requireAuth(request).actor, request.query.date)).map(presentPage) }),
    );
    app.post(
      '/api/print/pages',
      { schema: { tags, summary: '自动组版 / lay out a new page', body: s.CreatePageBody, response: { 201: s.PageSchema, ...problemResponses } } },
      async (request, reply) => reply.code(201).send(presentPage(await print.createPage(actorContext(request), request.body))),
    );
    app.get(
      '/api/print/pages/:id',
      { schema: { tags, summary: '版面详情 / a page', params: IdParams, response: { 200: s.PageSchema, ...problemResponses } } },
      async (request) => presentPage(await print.getPage(requireAuth(request).actor, request.params.id)),
    );
    app.get(
      '/api/print/pages/:id/pdf',
      {
        schema: {
          tags,
          summary: '版面 PDF / the page as PDF (inline, or ?download=true)',
          params: IdParams,
          querystring: s.PdfQuery,
          // 200 is application/pdf bytes, sent as they are (no JSON schema applies).
          response: { ...problemResponses },
        },
      },
      async (request, reply) => sendPdf(reply, await print.pdf(requireAuth(request).actor, request.params.id), request.params.id, request.query.download === true),
    );
    app.post(
      '/api/print/pages/:id/relayout',
      { schema: { tags, summary: '重新组版（去掉已撤回稿件）/ lay out again without retracted stories', params: IdParams, response: { 200: s.PageSchema, ...problemResponses } } },
      async (request) => presentPage(await print.relayout(actorContext(request), request.params.id)),
    );
    app.delete(
      '/api/print/pages/:id',
      { schema: { tags, summary: '删除版面 / delete a page', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await print.deletePage(actorContext(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}

/** The stored PDF as it was laid out: shown in the console's frame, or saved with ?download=true. */
function sendPdf(reply: FastifyReply, row: { pdf: Buffer }, id: string, download: boolean) {
  return reply
    .type('application/pdf')
    .header('cache-control', 'private, no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="print-${id}.pdf"`)
    .send(row.pdf);
}
