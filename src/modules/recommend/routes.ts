import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { ReaderAuth } from '../readers/reader-auth.ts';
import { PAGE_CSP } from '../portal/render/html.ts';
import { feedPage } from './page.ts';
import { presentItem, presentPin } from './presenter.ts';
import { FeedQuery, FeedReply, PinBody, PinParams, PinsQuery, PinsReply, PinSchema, PreviewQuery, RelatedParams, RelatedReply, SiteParams } from './schema.ts';
import type { RecommendService } from './service.ts';

const tags = ['recommend 推荐'];
const staffTags = ['recommend 推荐（编辑）'];
/** Personal answers: never in a shared cache. */
const PRIVATE = 'private, no-store';

interface Deps {
  recommend: RecommendService;
  readerAuth: ReaderAuth;
}

export function recommendRoutes({ recommend, readerAuth }: Deps) {
  return async (app: HttpServer) => {
    /**
     * Who is asking: the signed-in reader (cookie) and/or the anonymous device (query, else cookie). A reader who
     * withdrew personalisation consent is asked about as nobody: popular, fresh and local stories, no reading history.
     */
    const subject = async (request: FastifyRequest, device?: string) => {
      const session = await readerAuth.session(request);
      const displayName = session?.reader.display_name ?? null;
      if (session && !(await readerAuth.personalised(session.reader.id))) return { readerId: null, deviceId: null, displayName };
      return { readerId: session?.reader.id ?? null, deviceId: readerAuth.device(request, device) ?? null, displayName };
    };

    for (const mode of ['feed', 'local'] as const) {
      app.get(
        `/api/recommend/:unitSlug/${mode}`,
        {
          config: { csrf: false },
          schema: {
            tags,
            summary: mode === 'feed' ? '推荐：个性化信息流（带推荐理由）/ the personalised feed, with reasons' : '本地：本县、本市优先的信息流 / the local feed',
            params: SiteParams,
            querystring: FeedQuery,
            response: { 200: FeedReply, ...problemResponses },
          },
        },
        async (request, reply) => {
          const who = await subject(request, request.query.device);
          const { subject: kind, items } = await recommend.feed({ siteSlug: request.params.unitSlug, ...who, limit: request.query.limit ?? 20, mode });
          reply.header('cache-control', PRIVATE);
          return { subject: kind, items: items.map((s) => presentItem(request.params.unitSlug, s)) };
        },
      );
    }

    app.get(
      '/api/recommend/:unitSlug/items/:id/related',
      { config: { csrf: false }, schema: { tags, summary: '相关稿件 / related stories', params: RelatedParams, querystring: FeedQuery, response: { 200: RelatedReply, ...problemResponses } } },
      async (request, reply) => {
        const who = await subject(request, request.query.device);
        const items = await recommend.related(request.params.unitSlug, request.params.id, request.query.limit ?? 6, who);
        reply.header('cache-control', PRIVATE);
        return { items: items.map((s) => presentItem(request.params.unitSlug, { ...s, reasonKind: 'related' })) };
      },
    );

    for (const mode of ['feed', 'local'] as const) {
      app.get(
        `/portal/:unitSlug/${mode === 'feed' ? 'for-you' : 'local'}`,
        { config: { csrf: false }, schema: { hide: true, params: SiteParams } },
        async (request, reply) => {
          const { displayName, ...who } = await subject(request);
          const { items } = await recommend.feed({ siteSlug: request.params.unitSlug, ...who, limit: 30, mode });
          const unit = await recommend.site(request.params.unitSlug);
          reply.header('cache-control', PRIVATE).header('x-content-type-options', 'nosniff');
          reply.header('content-security-policy', PAGE_CSP);
          return reply.type('text/html; charset=utf-8').send(feedPage({ slug: unit.slug, name: unit.name }, mode, items, displayName));
        },
      );
    }

    app.get(
      '/api/recommend/pins',
      { schema: { tags: staffTags, summary: '本单位的推荐位 / the unit’s pins', querystring: PinsQuery, response: { 200: PinsReply, ...problemResponses } } },
      async (request) => ({ pins: (await recommend.listPins(requireAuth(request).actor, request.query.unit)).map(presentPin) }),
    );
    app.put(
      '/api/recommend/pins',
      { schema: { tags: staffTags, summary: '置顶或设为必显（仅本单位编辑）/ pin a story, optionally at a must-show slot', body: PinBody, response: { 200: PinSchema, ...problemResponses } } },
      async (request) => presentPin(await recommend.pin(actorContext(request), request.body)),
    );
    app.delete(
      '/api/recommend/pins/:unitSlug/:id',
      { schema: { tags: staffTags, summary: '取消推荐位 / unpin', params: PinParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await recommend.unpin(actorContext(request), request.params.unitSlug, request.params.id);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/api/recommend/preview',
      {
        schema: {
          tags: staffTags,
          summary: '以测试设备查看推荐流及理由（不浏览真实读者）/ the feed as a test device sees it, with reasons',
          querystring: PreviewQuery,
          response: { 200: FeedReply, ...problemResponses },
        },
      },
      async (request) => {
        const { unit, device, limit } = request.query;
        const { subject: kind, items } = await recommend.preview(requireAuth(request).actor, unit, device, limit ?? 20);
        const u = await recommend.site(unit);
        return { subject: kind, items: items.map((s) => presentItem(u.slug, s)) };
      },
    );
  };
}
