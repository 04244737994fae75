import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { staticFile } from '../../platform/http/static-file.ts';
import type { ReaderAuth } from '../readers/reader-auth.ts';
import type { CampaignService } from './campaigns.service.ts';
import { presentApp, presentCampaign, presentSegment } from './presenter.ts';
import type { RegistrationService } from './registrations.service.ts';
import {
  AppBody,
  AppSchema,
  CampaignBody,
  CampaignSchema,
  CountBody,
  CountReply,
  OpenParams,
  OpenQuery,
  RegistrationBody,
  RegistrationReply,
  SegmentBody,
  SegmentSchema,
  UnregisterBody,
} from './schema.ts';
import type { SegmentService } from './segments.service.ts';

interface PushDeps {
  pushSegments: SegmentService;
  pushCampaigns: CampaignService;
  pushRegistrations: RegistrationService;
  readerAuth: ReaderAuth;
}

const tags = ['push 精准推送'];
const readerTags = ['push 精准推送（读者订阅）'];

export function pushRoutes({ pushSegments, pushCampaigns, pushRegistrations, readerAuth }: PushDeps) {
  return async (app: HttpServer) => {
    // Staff: segments and the live count
    app.post('/api/push/segments/count', { schema: { tags, summary: '人群实时人数 / live count of a draft segment', body: CountBody, response: { 200: CountReply, ...problemResponses } } }, async (request) =>
      pushSegments.count(requireAuth(request).actor, request.body.definition, request.body.unitId),
    );
    app.get('/api/push/segments', { schema: { tags, summary: '本单位的人群 / segments', response: { 200: Type.Array(SegmentSchema), ...problemResponses } } }, async (request) =>
      (await pushSegments.list(requireAuth(request).actor)).map(presentSegment),
    );
    app.post('/api/push/segments', { schema: { tags, summary: '保存人群 / save a segment', body: SegmentBody, response: { 201: SegmentSchema, ...problemResponses } } }, async (request, reply) =>
      reply.code(201).send(presentSegment(await pushSegments.create(actorContext(request), request.body))),
    );
    app.put('/api/push/segments/:id', { schema: { tags, summary: '修改人群 / change a segment', params: IdParams, body: SegmentBody, response: { 200: SegmentSchema, ...problemResponses } } }, async (request) =>
      presentSegment(await pushSegments.update(actorContext(request), request.params.id, request.body)),
    );
    app.delete('/api/push/segments/:id', { schema: { tags, summary: '删除人群 / delete a segment', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } }, async (request, reply) => {
      await pushSegments.remove(actorContext(request), request.params.id);
      return reply.code(204).send(null);
    });

    // Staff: campaigns
    app.get('/api/push/campaigns', { schema: { tags, summary: '推送记录 / campaigns', response: { 200: Type.Array(CampaignSchema), ...problemResponses } } }, async (request) =>
      (await pushCampaigns.list(requireAuth(request).actor)).map((c) => presentCampaign(c)),
    );
    app.post('/api/push/campaigns', { schema: { tags, summary: '发起推送（立即或定时）/ push now or later', body: CampaignBody, response: { 201: CampaignSchema, ...problemResponses } } }, async (request, reply) =>
      reply.code(201).send(presentCampaign(await pushCampaigns.create(actorContext(request), request.body))),
    );
    app.get('/api/push/campaigns/:id', { schema: { tags, summary: '推送结果 / a campaign and its results', params: IdParams, response: { 200: CampaignSchema, ...problemResponses } } }, async (request) => {
      const { campaign, results } = await pushCampaigns.get(requireAuth(request).actor, request.params.id);
      return presentCampaign(campaign, results);
    });
    app.post('/api/push/campaigns/:id/cancel', { schema: { tags, summary: '取消定时推送 / cancel', params: IdParams, response: { 200: CampaignSchema, ...problemResponses } } }, async (request) =>
      presentCampaign(await pushCampaigns.cancel(actorContext(request), request.params.id)),
    );

    // Staff: the unit's apps on JPush / Getui
    app.get('/api/push/apps', { schema: { tags, summary: '推送应用 / push apps', response: { 200: Type.Array(AppSchema), ...problemResponses } } }, async (request) =>
      (await pushRegistrations.listApps(actorContext(request))).map(presentApp),
    );
    app.post('/api/push/apps', { schema: { tags, summary: '添加极光/个推应用 / add a JPush or Getui app', body: AppBody, response: { 201: AppSchema, ...problemResponses } } }, async (request, reply) =>
      reply.code(201).send(presentApp(await pushRegistrations.createApp(actorContext(request), request.body))),
    );

    // Readers: subscribe, unsubscribe, the service worker, opens
    const readerRoute = { csrf: false };
    app.get('/api/reader/push/vapid', { config: readerRoute, schema: { tags: readerTags, summary: 'VAPID 公钥 / the VAPID public key', response: { 200: Type.Object({ publicKey: Type.String() }) } } }, async () =>
      pushRegistrations.vapidPublicKey(),
    );
    app.post(
      '/api/reader/push/registrations',
      { config: readerRoute, schema: { tags: readerTags, summary: '订阅推送 / register a browser or app for push', body: RegistrationBody, response: { 201: RegistrationReply, ...problemResponses } } },
      async (request, reply) => {
        const row = await pushRegistrations.register((await readerAuth.require(request)).reader.id, request.body);
        return reply.code(201).send({ id: row.id, kind: row.kind, app: row.app_id });
      },
    );
    app.delete(
      '/api/reader/push/registrations',
      { config: readerRoute, schema: { tags: readerTags, summary: '取消订阅 / unregister', body: UnregisterBody, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await pushRegistrations.unregister((await readerAuth.require(request)).reader.id, request.body.kind, request.body.address);
        return reply.code(204).send(null);
      },
    );
    // no-cache: a browser checks a service worker for updates, and gets a 304 while it is unchanged.
    app.get('/reader/push-sw.js', { config: readerRoute, schema: { hide: true } }, staticFile(new URL('./push-sw.js', import.meta.url), 'no-cache'));
    app.get('/reader/push.js', { config: readerRoute, schema: { hide: true } }, staticFile(new URL('./push-subscribe.js', import.meta.url), 'no-cache'));
    app.get(
      '/push/o/:id',
      { config: readerRoute, schema: { tags: readerTags, summary: '推送打开跟踪 / open tracking, redirects to the story', params: OpenParams, querystring: OpenQuery, response: { 302: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        const session = await readerAuth.session(request);
        const link = await pushCampaigns.open(request.params.id, request.query.r, session?.reader.id ?? null);
        return reply.redirect(link, 302);
      },
    );
  };
}
