import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../policies/index.ts';
import { Problem, unauthorized } from './problem.ts';
import { sendProblem } from './errors.ts';
import type { HttpServer } from './server.ts';

export const SESSION_COOKIE = 'tianfu_session';

/** A session that may only change its password, or only enrol a second factor, until it has. */
export type SessionRestriction = 'password_change' | 'mfa_enrolment';

export interface RequestAuth {
  actor: Actor;
  via: 'session' | 'token';
  csrfToken?: string;
  sessionHash?: string;
  restriction?: SessionRestriction | null;
}

export interface Authenticator {
  session(token: string): Promise<{ actor: Actor; csrfToken: string; sessionHash: string; restriction?: SessionRestriction | null } | null>;
  apiToken(token: string): Promise<Actor | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
  interface FastifyContextConfig {
    /** Routes that change state without a session yet (sign-in) opt out of the CSRF check. */
    csrf?: boolean;
    /** Routes a restricted session may still call (who am I, sign out, change password, enrol). */
    allowRestricted?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Works out who is calling before any route runs: a bearer API token, or the session cookie. Writes
 * made with the cookie must echo the session's CSRF token in x-csrf-token; a token caller needs none
 * because a browser never attaches it on its own.
 */
export function installAuth(app: HttpServer, authenticator: Authenticator) {
  app.decorateRequest('auth', null);
  // Most reader traffic (portal pages, feeds, the app API) carries neither a token nor a session: it
  // passes without a promise, which a callback hook avoids and an async one cannot.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.headers.authorization?.startsWith('Bearer ') && !request.cookies[SESSION_COOKIE]) return done();
    authenticate(authenticator, request, reply).then(() => {
      if (!reply.sent) done();
    }, done);
  });
}

async function authenticate(authenticator: Authenticator, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const actor = await authenticator.apiToken(header.slice(7).trim());
    if (!actor) return void sendProblem(reply, new Problem(401, 'bad_token', 'API 令牌无效或已过期', 'The API token is invalid or expired'));
    request.auth = { actor, via: 'token' };
    return;
  }
  const session = await authenticator.session(request.cookies[SESSION_COOKIE]!);
  if (!session) return;
  request.auth = { actor: session.actor, via: 'session', csrfToken: session.csrfToken, sessionHash: session.sessionHash, restriction: session.restriction ?? null };
  if (session.restriction && request.url.startsWith('/api/') && request.routeOptions.config.allowRestricted !== true) {
    return void sendProblem(reply, restrictedProblem(session.restriction));
  }
  if (!SAFE_METHODS.has(request.method) && request.routeOptions.config.csrf !== false) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
      return void sendProblem(reply, new Problem(403, 'csrf', '请求缺少有效的 CSRF 令牌，请刷新页面后重试', 'Missing or wrong x-csrf-token; reload the page and retry'));
    }
  }
}

function restrictedProblem(restriction: SessionRestriction): Problem {
  return restriction === 'password_change'
    ? new Problem(403, 'password_change_required', '请先修改密码，然后才能继续使用', 'Change your password before going on')
    : new Problem(403, 'mfa_enrolment_required', '请先绑定两步验证（动态验证码），然后才能继续使用', 'Set up two-step verification before going on');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function requireAuth(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw unauthorized();
  return request.auth;
}

/** The caller plus what every audit row needs to know about the request. */
export function actorContext(request: FastifyRequest) {
  const { actor } = requireAuth(request);
  return { actor, actorUserId: actor.userId, requestId: request.id, ip: request.ip };
}
