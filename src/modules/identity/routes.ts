import { Type } from 'typebox';
import { SESSION_COOKIE, actorContext, requireAuth } from '../../platform/http/auth.ts';
import { unauthorized } from '../../platform/http/problem.ts';
import { IdParams, problemResponses, ProblemSchema } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AuditService } from './audit.service.ts';
import type { AuthService } from './auth.service.ts';
import { presentAudit, presentInvitation, presentToken, presentUser } from './presenter.ts';
import {
  AuditEntrySchema,
  AuditQuery,
  CreateTokenBody,
  CreateUserBody,
  InvitationSchema,
  InviteBody,
  LoginBody,
  MembershipBody,
  MembershipParams,
  SessionSchema,
  SwitchUnitBody,
  TokenSchema,
  UpdateUserBody,
  UserListQuery,
  UserSchema,
} from './schema.ts';
import type { StaffService } from './staff.service.ts';

interface IdentityDeps {
  auth: AuthService;
  staff: StaffService;
  audit: AuditService;
  secureCookies: boolean;
}

export function identityRoutes({ auth, staff, audit, secureCookies }: IdentityDeps) {
  return async (app: HttpServer) => {
    const sessionView = async (request: Parameters<typeof requireAuth>[0]) => {
      const a = requireAuth(request);
      if (a.via !== 'session' || !a.csrfToken) throw unauthorized();
      const profile = await auth.profile(a.actor);
      return {
        user: presentUser({ ...profile.user, memberships: profile.memberships }),
        activeUnitId: profile.activeUnitId,
        role: profile.role,
        csrfToken: a.csrfToken,
      };
    };

    app.post(
      '/api/session',
      {
        config: { csrf: false },
        schema: {
          tags: ['identity 账号'],
          summary: '登录 / sign in (sets an HTTP-only session cookie)',
          body: LoginBody,
          response: { 204: Type.Null(), 429: ProblemSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { token, maxAgeSeconds } = await auth.login({
          ...request.body,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          requestId: request.id,
        });
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          path: '/',
          maxAge: maxAgeSeconds,
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/session',
      { schema: { tags: ['identity 账号'], summary: '当前登录 / who am I', response: { 200: SessionSchema, ...problemResponses } } },
      async (request) => sessionView(request),
    );

    app.put(
      '/api/session/unit',
      {
        schema: {
          tags: ['identity 账号'],
          summary: '切换当前单位 / switch the active unit',
          body: SwitchUnitBody,
          response: { 200: SessionSchema, ...problemResponses },
        },
      },
      async (request) => {
        const a = requireAuth(request);
        if (a.via !== 'session' || !a.sessionHash || !a.csrfToken) throw unauthorized();
        request.auth = { ...a, actor: await auth.switchUnit({ actor: a.actor, csrfToken: a.csrfToken, sessionHash: a.sessionHash }, request.body.unitId) };
        return sessionView(request);
      },
    );

    app.delete(
      '/api/session',
      { schema: { tags: ['identity 账号'], summary: '退出 / sign out', response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        const a = requireAuth(request);
        if (a.sessionHash && a.csrfToken) await auth.logout({ actor: a.actor, sessionHash: a.sessionHash, csrfToken: a.csrfToken }, actorContext(request));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    const userTags = ['identity 账号'];

    app.get(
      '/api/users',
      {
        schema: {
          tags: userTags,
          summary: '人员列表（按权限范围） / staff you may see',
          querystring: UserListQuery,
          response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...problemResponses },
        },
      },
      async (request) => {
        const { limit = 50, offset = 0, ...rest } = request.query;
        const users = await staff.list(actorContext(request), { ...rest, limit, offset });
        return { items: users.map(presentUser) };
      },
    );

    app.get(
      '/api/users/:id',
      { schema: { tags: userTags, summary: '人员详情 / one staff member', params: IdParams, response: { 200: UserSchema, ...problemResponses } } },
      async (request) => presentUser(await staff.get(actorContext(request), request.params.id)),
    );

    app.post(
      '/api/users',
      { schema: { tags: userTags, summary: '新增人员 / add a staff account', body: CreateUserBody, response: { 201: UserSchema, ...problemResponses } } },
      async (request, reply) => reply.code(201).send(presentUser(await staff.create(actorContext(request), request.body))),
    );

    app.patch(
      '/api/users/:id',
      {
        schema: {
          tags: userTags,
          summary: '修改、停用或重置密码 / rename, deactivate or reset password',
          params: IdParams,
          body: UpdateUserBody,
          response: { 200: UserSchema, ...problemResponses },
        },
      },
      async (request) => presentUser(await staff.update(actorContext(request), request.params.id, request.body)),
    );

    app.put(
      '/api/users/:id/memberships/:unitId',
      {
        schema: {
          tags: userTags,
          summary: '设置某单位中的角色 / grant or change a role in a unit',
          params: MembershipParams,
          body: MembershipBody,
          response: { 200: UserSchema, ...problemResponses },
        },
      },
      async (request) =>
        presentUser(await staff.setMembership(actorContext(request), request.params.id, request.params.unitId, request.body.role)),
    );

    app.delete(
      '/api/users/:id/memberships/:unitId',
      {
        schema: {
          tags: userTags,
          summary: '移出单位 / remove from a unit',
          params: MembershipParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await staff.removeMembership(actorContext(request), request.params.id, request.params.unitId);
        return reply.code(204).send(null);
      },
    );

    const invitationList = Type.Object({ items: Type.Array(InvitationSchema) });

    app.post(
      '/api/invitations',
      {
        schema: {
          tags: userTags,
          summary: '邀请已有账号加入单位（本人接受后生效）/ invite an existing account into a unit',
          body: InviteBody,
          response: { 201: InvitationSchema, ...problemResponses },
        },
      },
      async (request, reply) => reply.code(201).send(presentInvitation(await staff.invite(actorContext(request), request.body))),
    );

    app.get(
      '/api/invitations',
      { schema: { tags: userTags, summary: '待答复的邀请（管理员）/ pending invitations into units I manage', response: { 200: invitationList, ...problemResponses } } },
      async (request) => ({ items: (await staff.sentInvitations(actorContext(request))).map(presentInvitation) }),
    );

    app.delete(
      '/api/invitations/:id',
      { schema: { tags: userTags, summary: '撤回邀请 / cancel an invitation', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await staff.cancelInvitation(actorContext(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/me/invitations',
      { schema: { tags: userTags, summary: '我收到的邀请 / invitations waiting for my answer', response: { 200: invitationList, ...problemResponses } } },
      async (request) => ({ items: (await staff.myInvitations(actorContext(request))).map(presentInvitation) }),
    );

    app.post(
      '/api/me/invitations/:id/accept',
      {
        schema: {
          tags: userTags,
          summary: '接受邀请，加入该单位 / accept an invitation and join the unit',
          params: IdParams,
          response: { 200: Type.Object({ user: UserSchema }), ...problemResponses },
        },
      },
      async (request) => ({ user: presentUser(await staff.answerInvitation(actorContext(request), request.params.id, true)) }),
    );

    app.post(
      '/api/me/invitations/:id/decline',
      { schema: { tags: userTags, summary: '拒绝邀请 / decline an invitation', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await staff.answerInvitation(actorContext(request), request.params.id, false);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/tokens',
      { schema: { tags: userTags, summary: '我的 API 令牌 / my API tokens', response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), ...problemResponses } } },
      async (request) => ({ items: (await auth.listTokens(requireAuth(request).actor)).map(presentToken) }),
    );

    app.post(
      '/api/tokens',
      {
        schema: {
          tags: userTags,
          summary: '创建 API 令牌（只显示一次）/ create an API token, shown once',
          body: CreateTokenBody,
          response: { 201: Type.Intersect([TokenSchema, Type.Object({ token: Type.String() })]), ...problemResponses },
        },
      },
      async (request, reply) => {
        const ctx = actorContext(request);
        const row = await auth.createToken(ctx.actor, ctx, request.body);
        return reply.code(201).send({ ...presentToken(row), token: row.token });
      },
    );

    app.delete(
      '/api/tokens/:id',
      { schema: { tags: userTags, summary: '吊销令牌 / revoke a token', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        const ctx = actorContext(request);
        await auth.revokeToken(ctx.actor, ctx, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/audit',
      {
        schema: {
          tags: ['identity 账号'],
          summary: '审计日志（管理员与监管）/ audit log for admins and supervisors',
          querystring: AuditQuery,
          response: { 200: Type.Object({ items: Type.Array(AuditEntrySchema), nextBefore: Type.Union([Type.Integer(), Type.Null()]) }), ...problemResponses },
        },
      },
      async (request) => {
        const { limit = 50, before, ...rest } = request.query;
        const rows = await audit.list(requireAuth(request).actor, { ...rest, limit, beforeId: before });
        return { items: rows.map(presentAudit), nextBefore: rows.length === limit ? Number(rows.at(-1)!.id) : null };
      },
    );
  };
}
