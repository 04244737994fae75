import type { AuditMeta, AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { Problem, forbidden, notFound, unauthorized } from '../../platform/http/problem.ts';
import type { Actor } from '../alliance/policy.ts';
import type { AllianceService } from '../alliance/service.ts';
import * as repo from './repo.ts';
import { decoyHash, digest, randomToken, verifyPassword } from './secrets.ts';

const MAX_FREE_FAILURES = 5;
const BASE_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 15 * 60;
export const TOKEN_PREFIX = 'tf_';

export interface SessionInfo {
  actor: Actor;
  csrfToken: string;
  sessionHash: string;
}

/** Sign-in, sessions, the unit switcher and personal API tokens. */
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
    private readonly sessionHours: number,
  ) {}

  /**
   * Checks a password with throttling per account and per address: after five failures each further
   * one locks for twice as long (30 s up to 15 min), so guessing stays slow even across processes.
   */
  async login(input: { username: string; password: string; ip: string; userAgent?: string; requestId?: string }) {
    const keys = [`user:${input.username.toLowerCase()}`, `ip:${input.ip}`];
    for (const key of keys) {
      const t = await repo.findThrottle(this.db, key);
      if (t?.locked_until && new Date(t.locked_until) > new Date()) {
        const retryAfter = Math.ceil((new Date(t.locked_until).getTime() - Date.now()) / 1000);
        throw new Problem(429, 'login_throttled', `登录失败次数过多，请 ${retryAfter} 秒后再试`, `Too many failed sign-ins; try again in ${retryAfter} s`, { retryAfter });
      }
    }
    const user = await repo.findUserByUsername(this.db, input.username);
    const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash()));
    if (!user || !ok || !user.active) {
      for (const key of keys) await this.noteFailure(key);
      throw new Problem(401, 'bad_credentials', '用户名或密码错误', 'Wrong username or password');
    }
    for (const key of keys) await repo.clearThrottle(this.db, key);
    const memberships = await this.alliance.membershipsOf([user.id]);
    const first = memberships.find((m) => m.unit_active);
    if (!first) throw forbidden('该账号还没有加入任何单位', 'This account belongs to no unit yet');
    const token = randomToken();
    const csrfToken = randomToken(24);
    await repo.insertSession(this.db, {
      idHash: digest(token),
      userId: user.id,
      unitId: first.unit_id,
      csrfToken,
      ip: input.ip,
      userAgent: input.userAgent,
      expiresAt: new Date(Date.now() + this.sessionHours * 3600 * 1000),
    });
    await repo.touchLogin(this.db, user.id);
    await this.audit(this.db, { actorUserId: user.id, ip: input.ip, requestId: input.requestId }, {
      unitId: first.unit_id,
      action: 'session.login',
      targetType: 'user',
      targetId: user.id,
    });
    return { token, maxAgeSeconds: this.sessionHours * 3600 };
  }

  private async noteFailure(key: string) {
    const prior = await repo.findThrottle(this.db, key);
    const failures = (prior?.failures ?? 0) + 1;
    const over = failures - MAX_FREE_FAILURES;
    const lockedUntil = over > 0 ? new Date(Date.now() + Math.min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** (over - 1)) * 1000) : null;
    await repo.recordFailure(this.db, key, failures, lockedUntil);
  }

  async resolveSession(token: string): Promise<SessionInfo | null> {
    const sessionHash = digest(token);
    const session = await repo.findLiveSession(this.db, sessionHash);
    if (!session) return null;
    const actor = await this.actorFor(session.user_id, session.active_unit_id);
    return actor && { actor, csrfToken: session.csrf_token, sessionHash };
  }

  async resolveApiToken(token: string): Promise<Actor | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = await repo.findLiveToken(this.db, digest(token));
    if (!row) return null;
    await repo.markTokenUsed(this.db, row.id);
    return this.actorFor(row.user_id, row.unit_id);
  }

  /** The caller as policies see it: the role held in the chosen unit, which must still be active. */
  private async actorFor(userId: string, unitId: string): Promise<Actor | null> {
    const memberships = await this.alliance.membershipsOf([userId]);
    const m = memberships.find((x) => x.unit_id === unitId && x.unit_active);
    return m ? { userId, unitId: m.unit_id, unitPath: m.unit_path, role: m.role } : null;
  }

  async switchUnit(session: SessionInfo, unitId: string): Promise<Actor> {
    const actor = await this.actorFor(session.actor.userId, unitId);
    if (!actor) throw forbidden('你不是该单位的成员', 'You are not a member of this unit');
    await repo.setSessionUnit(this.db, session.sessionHash, unitId);
    return actor;
  }

  async logout(session: SessionInfo, meta: AuditMeta) {
    await repo.deleteSession(this.db, session.sessionHash);
    await this.audit(this.db, meta, { unitId: session.actor.unitId, action: 'session.logout', targetType: 'user', targetId: session.actor.userId });
  }

  async purgeExpiredSessions(): Promise<number> {
    const res = await repo.deleteExpiredSessions(this.db);
    return Number(res.numDeletedRows);
  }

  async profile(actor: Actor) {
    const user = await repo.findUser(this.db, actor.userId);
    if (!user) throw unauthorized();
    const memberships = (await this.alliance.membershipsOf([actor.userId])).filter((m) => m.unit_active);
    return { user, memberships, activeUnitId: actor.unitId, role: actor.role };
  }

  async createToken(actor: Actor, meta: AuditMeta, input: { name: string; expiresInDays?: number }) {
    const secret = `${TOKEN_PREFIX}${randomToken()}`;
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400 * 1000) : null;
    return this.db.transaction().execute(async (trx) => {
    const row = await repo.insertToken(trx, {
      unitId: actor.unitId,
      userId: actor.userId,
      name: input.name.trim(),
      tokenHash: digest(secret),
      prefix: secret.slice(0, 8),
      expiresAt,
    });
    await this.audit(trx, meta, { unitId: actor.unitId, action: 'token.create', targetType: 'api_token', targetId: row.id, after: row });
    return { ...row, token: secret };
    });
  }

  listTokens(actor: Actor) {
    return repo.listTokens(this.db, actor.userId);
  }

  async revokeToken(actor: Actor, meta: AuditMeta, id: string) {
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.revokeToken(trx, actor.userId, id);
      if (!row) throw notFound({ zh: '令牌', en: 'Token' }, id);
      await this.audit(trx, meta, { unitId: row.unit_id, action: 'token.revoke', targetType: 'api_token', targetId: id, before: row });
      return row;
    });
  }

}
