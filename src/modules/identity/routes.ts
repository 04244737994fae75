import { Type } from 'typebox';
import { consoleAbilities } from '../../policies/index.ts';
import { SESSION_COOKIE, actorContext, requireAuth } from '../../platform/http/auth.ts';
import { unauthorized } from '../../platform/http/problem.ts';
import { IdParams, problemResponses, ProblemSchema } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AuditService } from './audit.service.ts';
import type { AuthService, LoginOutcome, SessionInfo } from './auth.service.ts';
import { presentAudit, presentInvitation, presentToken, presentUser } from './presenter.ts';
import type { SecurityPolicyService } from './security-policy.ts';
import {
  AuditEntrySchema,
  AuditQuery,
  ChangePasswordBody,
  MfaConfirmBody,
  MfaEnrolmentSchema,
  MfaRequiredSchema,
  MfaVerifyBody,
  RecoveryCodesSchema,
  SecurityPolicyBody,
  SecurityPolicySchema,
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
  securityPolicy: SecurityPolicyService;
  secureCookies: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function identityRoutes({ auth, staff, audit, securityPolicy, secureCookies }: IdentityDeps) {
  return async (app: HttpServer) => {
    const sessionView = async (request: Parameters<typeof requireAuth>[0]) => {
      const a = requireAuth(request);
      if (a.via !== 'session' || !a.csrfToken) throw unauthorized();
      const [profile, state] = await Promise.all([auth.profile(a.actor), auth.securityState(a.actor.userId)]);
      return {
        user: presentUser({ ...profile.user, memberships: profile.memberships }),
        activeUnitId: profile.activeUnitId,
        role: profile.role,
        can: consoleAbilities(a.actor),
        csrfToken: a.csrfToken,
        security: {
          // What this session was opened with; a later change of rules applies from the next sign-in.
          restriction: a.restriction ?? null,
          passwordChangeReason: state.passwordReason,
          passwordExpiresAt: iso(state.passwordExpiresAt),
          mfa: { ...state.mfa, graceEndsAt: iso(state.mfa.graceEndsAt) },
        },
      };
    };

    const currentSession = (request: Parameters<typeof requireAuth>[0]): SessionInfo => {
      const a = requireAuth(request);
      if (a.via !== 'session' || !a.sessionHash || !a.csrfToken) throw unauthorized();
      return { actor: a.actor, sessionHash: a.sessionHash, csrfToken: a.csrfToken, restriction: a.restriction ?? null };
    };

    const signInMeta = (request: Parameters<typeof requireAuth>[0]) => ({ ip: request.ip, userAgent: request.headers['user-agent'], requestId: request.id });

    const answerSignIn = (reply: import('fastify').FastifyReply, outcome: LoginOutcome) => {
      if (outcome.kind === 'mfa_required') {
        return reply.code(202).send({ status: 'mfa_required' as const, challenge: outcome.challenge, expiresInSeconds: outcome.expiresInSeconds });
      }
      reply.setCookie(SESSION_COOKIE, outcome.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        path: '/',
        maxAge: outcome.maxAgeSeconds,
      });
      return reply.code(204).send(null);
    };

    app.post(
      '/api/session',
      {
        config: { csrf: false },
        schema: {
          tags: ['identity 账号'],
          summary: '登录 / sign in (204 sets an HTTP-only session cookie; 202 asks for the second factor)',
          body: LoginBody,
          response: { 202: MfaRequiredSchema, 204: Type.Null(), 429: ProblemSchema, ...problemResponses },
        },
      },
      async (request, reply) => answerSignIn(reply, await auth.login({ ...request.body, ...signInMeta(request) })),
    );

    app.post(
      '/api/session/mfa',
      {
        config: { csrf: false },
        schema: {
          tags: ['identity 账号'],
          summary: '登录第二步：动态验证码或恢复码 / second sign-in step: authenticator or recovery code',
          body: MfaVerifyBody,
          response: { 204: Type.Null(), 429: ProblemSchema, ...problemResponses },
        },
      },
      async (request, reply) => answerSignIn(reply, await auth.completeMfa({ ...request.body, ...signInMeta(request) })),
    );

    app.get(
      '/api/session',
      {
        config: { allowRestricted: true },
        schema: { tags: ['identity 账号'], summary: '当前登录 / who am I', response: { 200: SessionSchema, ...problemResponses } },
      },
      async (request) => sessionView(request),
    );

    app.post(
      '/api/session/password',
      {
        config: { allowRestricted: true },
        schema: {
          tags: ['identity 账号'],
          summary: '修改自己的密码 / change your own password (other sessions end)',
          body: ChangePasswordBody,
          response: { 204: Type.Null(), 429: ProblemSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        await auth.changePassword(currentSession(request), signInMeta(request), request.body);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/session/mfa/enrolment',
      {
        config: { allowRestricted: true },
        schema: {
          tags: ['identity 账号'],
          summary: '开始绑定两步验证 / start setting up two-step verification (TOTP)',
          response: { 200: MfaEnrolmentSchema, ...problemResponses },
        },
      },
      async (request) => auth.beginMfaEnrolment(currentSession(request)),
    );

    app.post(
      '/api/session/mfa/enrolment/confirm',
      {
        config: { allowRestricted: true },
        schema: {
          tags: ['identity 账号'],
          summary: '用第一个验证码确认绑定，返回 10 个恢复码 / confirm with a first code; returns 10 recovery codes, shown once',
          body: MfaConfirmBody,
          response: { 200: RecoveryCodesSchema, ...problemResponses },
        },
      },
      async (request) => auth.confirmMfaEnrolment(currentSession(request), signInMeta(request), request.body.code),
    );

    app.get(
      '/api/security/policy',
      {
        schema: {
          tags: ['identity 账号'],
          summary: '登录安全策略 / the alliance\'s sign-in policy (password expiry, two-step verification)',
          response: { 200: SecurityPolicySchema, ...problemResponses },
        },
      },
      async (request) => {
        const actor = requireAuth(request).actor;
        const { policy, canEdit } = await securityPolicy.read(actor);
        return { ...policy, updatedAt: iso(policy.updatedAt), canEdit };
      },
    );

    app.put(
      '/api/security/policy',
      {
        schema: {
          tags: ['identity 账号'],
          summary: '设置登录安全策略（根单位联合体管理员）/ set the sign-in policy (root alliance admin)',
          body: SecurityPolicyBody,
          response: { 200: SecurityPolicySchema, ...problemResponses },
        },
      },
      async (request) => {
        const ctx = actorContext(request);
        const policy = await securityPolicy.set(ctx.actor, ctx, request.body);
        return { ...policy, updatedAt: iso(policy.updatedAt), canEdit: true };
      },
    );

    app.delete(
      '/api/users/:id/mfa',
      {
        schema: {
          tags: ['identity 账号'],
          summary: '重置某人的两步验证（丢失手机时）/ reset a person\'s two-step verification (lost phone)',
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        const ctx = actorContext(request);
        const { allowed } = await staff.manageable(ctx, request.params.id);
        await auth.resetMfa(ctx.actor, ctx, request.params.id, allowed);
        return reply.code(204).send(null);
      },
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
      { config: { allowRestricted: true }, schema: { tags: ['identity 账号'], summary: '退出 / sign out', response: { 204: Type.Null(), ...problemResponses } } },
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
