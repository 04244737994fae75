import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { Problem } from '../../platform/http/problem.ts';
import { IdParams, problemResponses, ProblemSchema } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { staticFile } from '../../platform/http/static-file.ts';
import type { ReaderAccountService } from './accounts.service.ts';
import type { EventService } from './events.service.ts';
import { PAGE_CSP } from '../portal/render/html.ts';
import { notFoundPage } from '../portal/render/pages.ts';
import { accountPage } from './account-page.ts';
import { presentProfile } from './presenter.ts';
import { READER_COOKIE, type ReaderAuth } from './reader-auth.ts';
import {
  CodeLoginBody,
  CodeChallengeProblem,
  CodeRequestBody,
  CodeRequestReply,
  CodeThrottledProblem,
  ConsentSchema,
  ConsentsBody,
  DeleteAccountBody,
  EventBatchBody,
  IngestReply,
  LoginReply,
  MeSchema,
  PasswordLoginBody,
  ProfileChangeBody,
  ProfileSchema,
  AccountParams,
  SignUpBody,
  StatsQuery,
  StatsSchema,
} from './schema.ts';
import type { ReaderStaffService } from './staff.service.ts';
import type { UnitDirectory } from './units.ts';

interface ReaderDeps {
  readerAccounts: ReaderAccountService;
  readerUnits: UnitDirectory;
  readerEvents: EventService;
  readerStaff: ReaderStaffService;
  readerAuth: ReaderAuth;
  secureCookies: boolean;
}

const tags = ['readers 读者'];
const staffTags = ['readers 读者（后台统计）'];
// Reader routes check their own CSRF token (reader-auth.ts); the staff session's check must not apply to them,
// or a staff member browsing the portal could not send reading events.
const readerRoute = { csrf: false };
const withThrottle = { 429: ProblemSchema, ...problemResponses };

const CODE_ROUTE_DESCRIPTION = [
  '限流（所有进程共用数据库中的计数）：同一号码或邮箱 60 秒一次、每小时 5 次、每天 10 次；同一设备（deviceId 或 tf_device）每小时 5 次、每天 10 次；',
  '同一 IP 每小时、每天有上限；平台每小时总额度（TIANFU_SMS_HOURLY_BUDGET / TIANFU_EMAIL_HOURLY_BUDGET）。超限答 429，带 retryAfter（秒）和 Retry-After 头。',
  '答复从不透露号码是否已注册。',
  '',
  '安全验证（工作量证明）：同一 IP 或设备每小时超过若干次、或平台额度用过一半后，答 428 和 challenge {id, algorithm: "SHA-256", difficulty, expiresAt}。',
  '客户端从 0 起递增 nonce，直到 SHA-256(UTF-8 "<id>:<nonce>") 的前 difficulty 个比特全为 0，再以同样的请求体加 pow: {challenge: id, nonce} 重发。',
  '挑战 5 分钟内有效、只能用一次；错误、已用或过期答 428 challenge_failed，并附新的挑战。',
  '',
  'Limits are counted in the shared database: per destination (60 s apart, 5/h, 10/day), per device, per client IP and per platform hour. A 429 carries retryAfter.',
  'Past a threshold the answer is 428 with a proof-of-work challenge: find a nonce such that SHA-256("<id>:<nonce>") starts with `difficulty` zero bits,',
  'then repeat the request with pow: {challenge, nonce}. A challenge is single use and lives 5 minutes.',
].join('\n');

export function readerRoutes({ readerAccounts, readerUnits, readerEvents, readerStaff, readerAuth, secureCookies }: ReaderDeps) {
  return async (app: HttpServer) => {
    app.addHook('onClose', () => readerEvents.buffer.close());

    const session = (request: FastifyRequest) => readerAuth.session(request);
    const requireReader = (request: FastifyRequest) => readerAuth.require(request);
    const deviceOf = (request: FastifyRequest, given?: string) => readerAuth.device(request, given);
    const signedIn = (reply: FastifyReply, r: { token: string; csrfToken: string; readerId: string; mergedEvents: number; maxAgeSeconds: number }) => {
      reply.setCookie(READER_COOKIE, r.token, { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/', maxAge: r.maxAgeSeconds });
      return { readerId: r.readerId, csrfToken: r.csrfToken, mergedEvents: r.mergedEvents };
    };

    app.post(
      '/api/reader/code',
      {
        config: readerRoute,
        schema: {
          tags,
          summary: '发送验证码（注册或登录）/ send a one-time code',
          description: CODE_ROUTE_DESCRIPTION,
          body: CodeRequestBody,
          response: { 202: CodeRequestReply, 428: CodeChallengeProblem, 429: CodeThrottledProblem, 502: ProblemSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { channel, destination, deviceId, pow } = request.body;
        const client = { ip: request.ip, deviceId: deviceOf(request, deviceId), ...(pow ? { pow } : {}) };
        return reply.code(202).send(await readerAccounts.requestCode(channel, destination, client));
      },
    );

    app.post(
      '/api/reader/signup',
      { config: readerRoute, schema: { tags, summary: '读者注册 / sign up with a code', body: SignUpBody, response: { 201: LoginReply, ...problemResponses } } },
      async (request, reply) => {
        const r = await readerAccounts.signUp({ ...request.body, deviceId: deviceOf(request, request.body.deviceId) });
        return reply.code(201).send(signedIn(reply, r));
      },
    );

    app.post(
      '/api/reader/session/code',
      { config: readerRoute, schema: { tags, summary: '验证码登录 / sign in with a code', body: CodeLoginBody, response: { 200: LoginReply, ...problemResponses } } },
      async (request, reply) => signedIn(reply, await readerAccounts.loginByCode({ ...request.body, deviceId: deviceOf(request, request.body.deviceId) })),
    );

    app.post(
      '/api/reader/session/password',
      { config: readerRoute, schema: { tags, summary: '密码登录 / sign in with a password', body: PasswordLoginBody, response: { 200: LoginReply, ...withThrottle } } },
      async (request, reply) => signedIn(reply, await readerAccounts.loginByPassword({ ...request.body, deviceId: deviceOf(request, request.body.deviceId) })),
    );

    app.delete(
      '/api/reader/session',
      { config: readerRoute, schema: { tags, summary: '退出 / sign out', response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await readerAccounts.logout(await requireReader(request));
        reply.clearCookie(READER_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/reader/me',
      { config: readerRoute, schema: { tags, summary: '我的资料 / my profile', response: { 200: MeSchema, ...problemResponses } } },
      async (request) => {
        const s = await requireReader(request);
        return { ...presentProfile(await readerAccounts.profile(s.reader)), csrfToken: s.csrfToken };
      },
    );

    app.patch(
      '/api/reader/me',
      {
        config: readerRoute,
        schema: { tags, summary: '修改资料、关注与密码 / change profile, follows, password', body: ProfileChangeBody, response: { 200: ProfileSchema, ...problemResponses } },
      },
      async (request) => presentProfile(await readerAccounts.updateProfile(await requireReader(request), request.body)),
    );

    app.put(
      '/api/reader/me/consents',
      {
        config: readerRoute,
        schema: { tags, summary: '同意或撤回（按用途）/ grant or withdraw consent per purpose', body: ConsentsBody, response: { 200: Type.Object({ consents: Type.Array(ConsentSchema) }), ...problemResponses } },
      },
      async (request) => {
        const rows = await readerAccounts.setConsents(await requireReader(request), request.body.consents, request.body.version);
        return { consents: rows.map((c) => ({ purpose: c.purpose, granted: c.granted, version: c.version, at: new Date(c.at).toISOString() })) };
      },
    );

    app.get(
      '/api/reader/me/export',
      {
        config: readerRoute,
        schema: { tags, summary: '下载我的数据（JSON）/ download my data', response: { 200: Type.Object({}, { additionalProperties: true }), ...problemResponses } },
      },
      async (request, reply) => {
        const data = await readerAccounts.exportData(await requireReader(request));
        reply.header('content-disposition', 'attachment; filename="tianfu-my-data.json"');
        return data;
      },
    );

    app.delete(
      '/api/reader/me',
      {
        config: readerRoute,
        schema: { tags, summary: '注销账号（事件匿名化保留）/ delete my account', body: DeleteAccountBody, response: { 200: Type.Object({ anonymisedEvents: Type.Integer() }), ...problemResponses } },
      },
      async (request, reply) => {
        const result = await readerAccounts.deleteAccount(await requireReader(request));
        reply.clearCookie(READER_COOKIE, { path: '/' });
        return result;
      },
    );

    app.post(
      '/api/reader/events',
      {
        config: readerRoute,
        attachValidation: true,
        schema: {
          tags,
          summary: '批量回传阅读事件（最多 500 条）/ a batch of reading events',
          description: 'Anonymous or signed in (tf_reader cookie). One invalid event refuses the batch with a 400 naming its index.',
          body: EventBatchBody,
          response: { 202: IngestReply, 503: ProblemSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        if (request.validationError) throw eventValidationProblem(request.validationError);
        const s = await session(request);
        const reader = s && {
          id: s.reader.id,
          homeDivisionCode: s.reader.home_division_code,
          consents: await readerAccounts.consentsOf(s.reader.id),
        };
        const result = await readerEvents.ingest(request.body, { reader, userAgent: request.headers['user-agent'], ip: request.ip });
        return reply.code(202).send(result);
      },
    );

    app.get('/reader/tracker.js', { schema: { hide: true } }, staticFile(new URL('./tracker.js', import.meta.url)));
    app.get('/reader/account.js', { schema: { hide: true } }, staticFile(new URL('./account.js', import.meta.url)));

    app.get('/portal/:unitSlug/account', { config: readerRoute, schema: { hide: true, params: AccountParams } }, async (request, reply) => {
      const unit = await readerUnits.find(request.params.unitSlug);
      const s = await session(request);
      reply.header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').header('content-security-policy', PAGE_CSP);
      if (!unit || !unit.active) return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage({ site: { slug: null, name: '天府融媒' }, nav: [], abs: (p) => p }, request.url));
      const profile = s ? presentProfile(await readerAccounts.profile(s.reader)) : null;
      return reply.type('text/html; charset=utf-8').send(accountPage({ slug: unit.slug, name: unit.name }, profile, s?.csrfToken ?? null));
    });

    app.get(
      '/api/readers/stats',
      {
        schema: { tags: staffTags, summary: '读者统计（仅汇总）/ reader counts by region, unit and consent', querystring: StatsQuery, response: { 200: StatsSchema, ...problemResponses } },
      },
      async (request) => readerStaff.stats(requireAuth(request).actor, request.query.unitId),
    );

    app.get(
      '/api/readers/:id',
      { schema: { tags: staffTags, summary: '查看单个读者（联合体管理员，留审计）/ one reader, for support', params: IdParams, response: { 200: ProfileSchema, ...problemResponses } } },
      async (request) => presentProfile(await readerStaff.lookUp(actorContext(request), request.params.id)),
    );
  };
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Schema errors in an event batch, with the index of the first bad event up front. */
function eventValidationProblem(err: Error & { validation?: AjvIssue[] }) {
  const issues = (err.validation ?? []).map((i) => {
    const extra = i.keyword === 'required' ? `/${String(i.params.missingProperty)}` : i.keyword === 'additionalProperties' ? `/${String(i.params.additionalProperty)}` : '';
    const field = `body${i.instancePath}${extra}`;
    return { field, detail: `${field} 不合法（${i.message ?? i.keyword}）`, detailEn: `${field} ${i.message ?? i.keyword}` };
  });
  const match = issues.map((i) => /^body\/events\/(\d+)/.exec(i.field)).find((m) => m);
  const index = match ? Number(match[1]) : null;
  const where = index === null ? '' : `第 ${index} 个事件：`;
  const whereEn = index === null ? '' : `event ${index}: `;
  return new Problem(400, 'invalid_request', `请求不合法：${where}${issues.map((i) => i.detail).join('；')}`, `Invalid request: ${whereEn}${issues.map((i) => i.detailEn).join('; ')}`, {
    ...(index === null ? {} : { index }),
    errors: issues,
  });
}
