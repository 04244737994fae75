import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import { staticFile } from '../../platform/http/static-file.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { AppItemSchema, AppListQuery, AppListSchema, UnitSlugParams } from './app.schema.ts';
import type { PortalService } from './portal.service.ts';
import { PAGE_CSP } from './render/html.ts';
import { type Rendered, RenderCache, rendered } from './render-cache.ts';
import { SLUG, UUID, cssPath, sharePath } from './urls.ts';

const css = fs.readFileSync(path.join(import.meta.dirname, 'portal.css'), 'utf8');
const MEDIA_VARIANTS = new Set(['crop_16x9', 'crop_4x3', 'crop_1x1', 'large']);
const PREFECTURE = /^\d{6}$/;

/** Short freshness for readers and proxies, then a stale copy while one request refreshes it. */
const CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

function matches(request: FastifyRequest, etag: string): boolean {
  const given = request.headers['if-none-match'];
  if (!given) return false;
  // Weak comparison (RFC 9110): W/ is ignored on either side.
  const bare = etag.replace(/^W\//, '');
  return given === '*' || given.split(/\s*,\s*/).some((t) => t.replace(/^W\//, '') === bare);
}

function send(request: FastifyRequest, reply: FastifyReply, r: Rendered) {
  reply.header('etag', r.etag);
  reply.header('cache-control', r.status === 404 ? 'public, max-age=10' : CACHE_CONTROL);
  reply.header('x-content-type-options', 'nosniff');
  if (r.type.startsWith('text/html')) reply.header('content-security-policy', PAGE_CSP);
  if (r.status === 200 && matches(request, r.etag)) return reply.code(304).send();
  return reply.code(r.status).type(r.type).send(r.bytes);
}

/**
 * The reader side: portal pages, feeds, sitemaps and the app delivery API. Pages are rendered on
 * the server from the site store and kept in an in-process cache that every delivery empties.
 * Registered before the console so its index-page fallback never answers a reader's URL.
 */
export function portalRoutes(portal: PortalService, cache = new RenderCache()) {
  return async (app: HttpServer) => {
    app.addHook('onClose', async () => cache.unsubscribe());
    const hidden = { schema: { hide: true } };
    const page = (request: FastifyRequest, reply: FastifyReply, key: string, produce: () => Promise<Rendered>) =>
      cache.get(key, produce).then((r) => send(request, reply, r));
    type P = Record<string, string>;
    const q = (request: FastifyRequest) => {
      const v = (request.query as Record<string, unknown>).q;
      return typeof v === 'string' ? v : '';
    };

    app.get('/portal', hidden, (request, reply) => page(request, reply, 'home:', () => portal.home(null)));
    app.get('/portal/showcase', hidden, (request, reply) => page(request, reply, 'showcase', () => portal.showcase()));
    app.get('/portal/showcase/:code', hidden, (request, reply) => {
      const { code } = request.params as P;
      if (!PREFECTURE.test(code!)) return page(request, reply, 'nf', () => portal.notFound(null, '/portal/showcase'));
      return page(request, reply, `pref:${code}`, () => portal.prefecture(code!));
    });
    app.get('/portal/search', hidden, (request, reply) => page(request, reply, `search::${q(request)}`, () => portal.search(null, q(request))));
    app.get('/portal/c/:category', hidden, (request, reply) => {
      const { category } = request.params as P;
      return page(request, reply, `section::${category}`, () => portal.section(null, category!));
    });
    app.get('/portal/sitemap.xml', hidden, (request, reply) => page(request, reply, 'sitemap:', async () => (await portal.sitemap(null))!));
    app.get('/robots.txt', hidden, (request, reply) => send(request, reply, portal.robots()));
    app.get(cssPath, hidden, (request, reply) => send(request, reply, { ...rendered(200, 'text/css; charset=utf-8', css) }));
    app.get(sharePath, hidden, staticFile(new URL('./share.js', import.meta.url)));

    app.get('/portal/:unitSlug', hidden, (request, reply) => {
      const { unitSlug } = request.params as P;
      return page(request, reply, `home:${unitSlug}`, () => portal.home(unitSlug!));
    });
    app.get('/portal/:unitSlug/search', hidden, (request, reply) => {
      const { unitSlug } = request.params as P;
      return page(request, reply, `search:${unitSlug}:${q(request)}`, () => portal.search(unitSlug!, q(request)));
    });
    app.get('/portal/:unitSlug/c/:category', hidden, (request, reply) => {
      const { unitSlug, category } = request.params as P;
      return page(request, reply, `section:${unitSlug}:${category}`, () => portal.section(unitSlug!, category!));
    });
    app.get('/portal/:unitSlug/a/:itemId', hidden, (request, reply) => {
      const { unitSlug, itemId } = request.params as P;
      if (!SLUG.test(unitSlug!) || !UUID.test(itemId!)) return page(request, reply, 'nf', () => portal.notFound(null, '/portal'));
      return page(request, reply, `a:${unitSlug}:${itemId}`, () => portal.article(unitSlug!, itemId!));
    });
    app.get('/portal/:unitSlug/sitemap.xml', hidden, async (request, reply) => {
      const { unitSlug } = request.params as P;
      const r = await cache.get(`sitemap:${unitSlug}`, async () => (await portal.sitemap(unitSlug!)) ?? portal.notFound(null, '/portal'));
      return send(request, reply, r);
    });
    // Anything else under /portal is a reader's page that does not exist, not the console.
    app.get('/portal/*', hidden, (request, reply) => page(request, reply, 'nf', () => portal.notFound(null, '/portal')));

    app.get('/portal/media/:assetId/:variant', hidden, async (request, reply) => {
      const { assetId, variant } = request.params as P;
      const media = UUID.test(assetId!) && MEDIA_VARIANTS.has(variant!) ? await portal.media(assetId!, variant!) : undefined;
      if (!media) return page(request, reply, 'nf', () => portal.notFound(null, '/portal'));
      reply.header('etag', media.etag).header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff');
      if (matches(request, media.etag)) return reply.code(304).send();
      return reply.type(media.mime).send(media.bytes);
    });

    app.get('/feeds/:unitSlug/:file', hidden, async (request, reply) => {
      const { unitSlug, file } = request.params as P;
      const format = ({ 'rss.xml': 'rss', 'atom.xml': 'atom', 'feed.json': 'json' } as const)[file as 'rss.xml'];
      const r = await cache.get(`feed:${unitSlug}:${file}`, async () => (format && SLUG.test(unitSlug!) && (await portal.feed(unitSlug!, format))) || portal.notFound(null, '/portal'));
      return send(request, reply, r);
    });

    const tags = ['app 客户端分发'];
    app.get(
      '/api/app/v1/units/:unitSlug/items',
      {
        schema: {
          tags,
          summary: '单位客户端稿件卡片列表（游标分页，公开）/ a unit’s cards for member apps, newest first, cursor-paged, public',
          description: '按发布时间倒序；响应带 ETag，可用 If-None-Match 取 304。/ Newest first; send If-None-Match with the ETag for a 304.',
          security: [],
          params: UnitSlugParams,
          querystring: AppListQuery,
          response: { 200: AppListSchema, 304: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        const { unitSlug } = request.params;
        const key = `app:${unitSlug}:${request.query.cursor ?? ''}:${request.query.limit ?? 20}`;
        return send(request, reply, await cache.get(key, () => portal.appList(unitSlug, request.query)));
      },
    );
    app.get(
      '/api/app/v1/items/:id',
      {
        schema: {
          tags,
          summary: '客户端稿件详情（结构化正文，公开）/ one story for member apps, body as blocks, public',
          description: '撤回的稿件返回 retracted=true、撤回说明，正文为空。/ A retracted story answers retracted=true with its note and no body.',
          security: [],
          params: IdParams,
          response: { 200: AppItemSchema, 304: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => send(request, reply, await cache.get(`app-item:${request.params.id}`, () => portal.appItem(request.params.id))),
    );
  };
}
