import type { AuditMeta, AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { Problem, badRequest, conflict, forbidden, notFound, unauthorized } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { SecretBox } from '../../platform/secret-box.ts';
import { assertStrongPassword } from './password-policy.ts';
import { mfaRequiredFor } from '../../policies/index.ts';
import * as repo from './repo.ts';
import { decoyHash, digest, hashPassword, randomToken, verifyPassword } from './secrets.ts';
import type { SecurityPolicy, SecurityPolicyService } from './security-policy.ts';
import type { SessionRestriction } from './tables.ts';
import { looksLikeTotp, newRecoveryCodes, newTotpSecret, recoveryCodeDigest, totpStep, totpUri } from './totp.ts';

export const TOKEN_PREFIX = 'tf_';

/**
 * Three counters per sign-in, each with its own allowance and a lock that doubles per further failure:
 * - account + address: 5 free, then 30 s doubling to 15 min. The one a mistyping person meets.
 * - account from anywhere: 20 free, then 60 s doubling to 30 min, so guessing one account from many
 *   addresses stays slow.
 * - address across accounts: 50 free, then 60 s doubling to 30 min, so one address cannot sweep many
 *   accounts, while a county office behind one NAT keeps signing in when one colleague is locked.
 * A counter left alone for an hour (and not locked) starts again.
 */
export const THROTTLE = {
  accountAddress: { free: 5, baseLockSeconds: 30, maxLockSeconds: 15 * 60, quietResetSeconds: 3600 },
  account: { free: 20, baseLockSeconds: 60, maxLockSeconds: 30 * 60, quietResetSeconds: 3600 },
  address: { free: 50, baseLockSeconds: 60, maxLockSeconds: 30 * 60, quietResetSeconds: 3600 },
} satisfies Record<string, repo.ThrottleRule>;

/** How long the step between the password and the second factor stays open, and how many codes it takes. */
const CHALLENGE_SECONDS = 5 * 60;
const CHALLENGE_ATTEMPTS = 5;

export interface SessionInfo {
  actor: Actor;
  csrfToken: string;
  sessionHash: string;
  restriction?: SessionRestriction | null;
}

interface SignInMeta {
  ip: string;
  userAgent?: string;
  requestId?: string;
}

export type LoginOutcome =
  | { kind: 'session'; token: string; maxAgeSeconds: number }
  | { kind: 'mfa_required'; challenge: string; expiresInSeconds: number };

const throttled = (retryAfter: number) =>
  new Problem(429, 'login_throttled', `登录失败次数过多，请 ${retryAfter} 秒后再试`, `Too many failed sign-ins; try again in ${retryAfter} s`, { retryAfter });
const badCredentials = () => new Problem(401, 'bad_credentials', '用户名或密码错误', 'Wrong username or password');

/** Sign-in (password, then a second factor where enrolled), sessions, the unit switcher and personal API tokens. */
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
    private readonly sessionHours: number,
    private readonly policy: SecurityPolicyService,
    private readonly box: SecretBox,
  ) {}

  private throttleKeys(username: string, ip: string) {
    const name = username.toLowerCase();
    return [
      { key: `ai:${name}|${ip}`, rule: THROTTLE.accountAddress },
      { key: `a:${name}`, rule: THROTTLE.account },
      { key: `i:${ip}`, rule: THROTTLE.address },
    ];
  }

  private async assertNotLocked(keys: { key: string }[]) {
    const seconds = await repo.lockedFor(this.db, keys.map((k) => k.key));
    if (seconds !== null) throw throttled(seconds);
  }

  /**
   * Checks the password. Every failure is counted atomically on all three counters and written to the
   * audit log, under the person's first unit, or the root for a name nobody has (the caller hears the
   * same 401 either way). A failure that tips a counter into a lock answers 429 at once.
   */
  async login(input: { username: string; password: string } & SignInMeta): Promise<LoginOutcome> {
    const keys = this.throttleKeys(input.username, input.ip);
    await this.assertNotLocked(keys);
    const user = await repo.findUserByUsername(this.db, input.username);
    const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash()));
    if (!user || !ok || !user.active) {
      const reason = !user ? 'unknown_user' : !ok ? 'bad_password' : 'inactive';
      const retryAfter = await this.noteFailure(keys, input, user?.id ?? null, reason);
      throw retryAfter === null ? badCredentials() : throttled(retryAfter);
    }
    // A burst of wrong guesses running alongside may have locked the account meanwhile.
    await this.assertNotLocked(keys);
    await repo.clearThrottle(this.db, keys.slice(0, 2).map((k) => k.key));
    const mfa = await repo.findMfa(this.db, user.id);
    if (mfa?.confirmed_at) {
      const challenge = randomToken();
      await repo.insertChallenge(this.db, {
        idHash: digest(challenge),
        userId: user.id,
        ip: input.ip,
        expiresAt: new Date(Date.now() + CHALLENGE_SECONDS * 1000),
      });
      return { kind: 'mfa_required', challenge, expiresInSeconds: CHALLENGE_SECONDS };
    }
    return this.startSession(user.id, input, 'password');
  }

  /** The second step: a TOTP code or a recovery code against the challenge the password step gave. */
  async completeMfa(input: { challenge: string; code: string } & SignInMeta): Promise<LoginOutcome> {
    const challengeHash = digest(input.challenge);
    const attempt = await repo.countChallengeAttempt(this.db, challengeHash);
    if (!attempt) {
      throw new Problem(401, 'mfa_challenge_expired', '验证已过期，请重新输入用户名和密码', 'This sign-in has expired; enter your username and password again');
    }
    const user = await repo.findCredentials(this.db, attempt.user_id);
    if (!user?.active) throw badCredentials();
    const keys = this.throttleKeys(user.username, input.ip);
    await this.assertNotLocked(keys);
    // Past the challenge's allowance the code is not even looked at; the guess still counts.
    const via = attempt.attempts > CHALLENGE_ATTEMPTS ? null : await this.checkSecondFactor(user.id, user.username, input.code);
    if (!via) {
      const retryAfter = await this.noteFailure(keys.slice(0, 2), { ...input, username: user.username }, user.id, 'bad_mfa_code');
      if (retryAfter !== null) {
        await repo.deleteChallenge(this.db, challengeHash);
        throw throttled(retryAfter);
      }
      throw new Problem(401, 'bad_mfa_code', '动态验证码或恢复码错误，或已被使用', 'Wrong or already used authenticator or recovery code');
    }
    await repo.deleteChallenge(this.db, challengeHash);
    await repo.clearThrottle(this.db, keys.slice(0, 2).map((k) => k.key));
    return this.startSession(user.id, input, via);
  }

  /** 'totp' or 'recovery' when the code is good and not used before, else null. */
  private async checkSecondFactor(userId: string, username: string, rawCode: string): Promise<'totp' | 'recovery' | null> {
    const mfa = await repo.findMfa(this.db, userId);
    if (!mfa?.confirmed_at) return null;
    const code = rawCode.replace(/\s/g, '');
    if (looksLikeTotp(code)) {
      const step = totpStep(this.openSecret(userId, mfa.secret_sealed), username, code);
      return step !== null && (await repo.claimTotpStep(this.db, userId, step, false)) ? 'totp' : null;
    }
    return (await repo.useRecoveryCode(this.db, userId, recoveryCodeDigest(code))) ? 'recovery' : null;
  }

  private openSecret(userId: string, sealed: string): string {
    const secret = this.box.open(sealed, `totp:${userId}`).secret;
    if (!secret) throw new Error('TOTP secret missing from its sealed box');
    return secret;
  }

  /** Counts one failure everywhere and audits it; the seconds to wait when it tipped a counter into a lock. */
  private async noteFailure(keys: { key: string; rule: repo.ThrottleRule }[], meta: SignInMeta & { username?: string }, userId: string | null, reason: string) {
    // Looked up before the transaction: on the embedded database a query outside it would wait for it.
    const unitId = await this.auditUnitFor(userId);
    return this.db.transaction().execute(async (trx) => {
      let retryAfter: number | null = null;
      const locks: { scope: string; failures: number; until: Date }[] = [];
      for (const { key, rule } of keys) {
        const row = await repo.noteLoginFailure(trx, key, rule);
        const until = row.locked_until ? new Date(row.locked_until) : null;
        if (until && row.failures > rule.free && until.getTime() > Date.now()) {
          locks.push({ scope: key.slice(0, key.indexOf(':')), failures: row.failures, until });
          retryAfter = Math.max(retryAfter ?? 0, Math.ceil((until.getTime() - Date.now()) / 1000));
        }
      }
      if (unitId) {
        const auditMeta = { actorUserId: null, ip: meta.ip, requestId: meta.requestId };
        const who = { username: meta.username?.slice(0, 100), reason, userAgent: meta.userAgent?.slice(0, 200) };
        await this.audit(trx, auditMeta, { unitId, action: 'session.login_failed', targetType: 'user', targetId: userId, after: who });
        for (const lock of locks) {
          await this.audit(trx, auditMeta, {
            unitId,
            action: 'session.locked',
            targetType: 'user',
            targetId: userId,
            after: { ...who, scope: lock.scope, failures: lock.failures, lockedUntil: lock.until.toISOString() },
          });
        }
      }
      return retryAfter;
    });
  }

  /** A known person's first unit; for a name nobody has, the root (the alliance's own log). */
  private async auditUnitFor(userId: string | null): Promise<string | null> {
    if (userId) {
      const [first] = await this.alliance.membershipsOf([userId]);
      if (first) return first.unit_id;
    }
    return (await this.alliance.findRoot())?.id ?? null;
  }

  /**
   * Opens the session, limited when the password must change (reset by an admin, or older than the
   * policy allows) or when a required second factor is past its grace period.
   */
  private async startSession(userId: string, meta: SignInMeta, via: 'password' | 'totp' | 'recovery'): Promise<LoginOutcome> {
    const memberships = (await this.alliance.membershipsOf([userId])).filter((m) => m.unit_active);
    // The unit chosen last time, while the person still belongs to it; else their first.
    const remembered = await repo.lastUnit(this.db, userId);
    const opening = memberships.find((m) => m.unit_id === remembered) ?? memberships[0];
    if (!opening) throw forbidden('该账号还没有加入任何单位', 'This account belongs to no unit yet');
    const state = await this.securityState(userId, { noteRequirement: true });
    const token = randomToken();
    const csrfToken = randomToken(24);
    await this.db.transaction().execute(async (trx) => {
      await repo.insertSession(trx, {
        idHash: digest(token),
        userId,
        unitId: opening.unit_id,
        csrfToken,
        ip: meta.ip,
        userAgent: meta.userAgent,
        expiresAt: new Date(Date.now() + this.sessionHours * 3600 * 1000),
        restriction: state.restriction,
      });
      await repo.touchLogin(trx, userId);
      await this.audit(trx, { actorUserId: userId, ip: meta.ip, requestId: meta.requestId }, {
        unitId: opening.unit_id,
        action: 'session.login',
        targetType: 'user',
        targetId: userId,
        after: { via, ...(state.restriction ? { restriction: state.restriction } : {}) },
      });
    });
    return { kind: 'session', token, maxAgeSeconds: this.sessionHours * 3600 };
  }

  /**
   * What the sign-in rules ask of a person now. With noteRequirement, the day a second factor first
   * becomes required of them is remembered: their grace period runs from there.
   */
  async securityState(userId: string, opts: { noteRequirement?: boolean } = {}) {
    const [user, mfa, policy, memberships] = await Promise.all([
      repo.findCredentials(this.db, userId),
      repo.findMfa(this.db, userId),
      this.policy.current(),
      this.alliance.membershipsOf([userId]),
    ]);
    if (!user) throw unauthorized();
    const enrolled = !!mfa?.confirmed_at;
    const required = mfaRequiredFor(memberships.filter((m) => m.unit_active).map((m) => m.role), policy.mfaRoles);
    let since = user.mfa_required_since ? new Date(user.mfa_required_since) : null;
    if (opts.noteRequirement && required && !since) {
      since = new Date();
      await repo.setMfaRequiredSince(this.db, userId, since);
    } else if (opts.noteRequirement && !required && since) {
      since = null;
      await repo.setMfaRequiredSince(this.db, userId, null);
    }
    const graceEndsAt = required && !enrolled ? new Date((since ?? new Date()).getTime() + policy.mfaGraceDays * 86400_000) : null;
    const passwordExpiresAt = policy.passwordMaxAgeDays > 0 ? new Date(new Date(user.password_changed_at).getTime() + policy.passwordMaxAgeDays * 86400_000) : null;
    const passwordReason: 'reset' | 'expired' | null = user.must_change_password
      ? 'reset'
      : passwordExpiresAt && passwordExpiresAt.getTime() <= Date.now()
        ? 'expired'
        : null;
    const restriction: SessionRestriction | null = passwordReason
      ? 'password_change'
      : graceEndsAt && graceEndsAt.getTime() <= Date.now()
        ? 'mfa_enrolment'
        : null;
    const recoveryCodesLeft = enrolled ? await repo.countUnusedRecoveryCodes(this.db, userId) : 0;
    return { restriction, passwordReason, passwordExpiresAt, mfa: { enrolled, required, graceEndsAt, recoveryCodesLeft }, policy };
  }

  /**
   * The person's own change: the current password proves it is them (wrong guesses count against the
   * sign-in throttle), the new one must meet the rules and differ. Their other sessions end.
   */
  async changePassword(session: SessionInfo, meta: SignInMeta, input: { currentPassword: string; newPassword: string }) {
    const user = await repo.findCredentials(this.db, session.actor.userId);
    if (!user) throw unauthorized();
    const keys = this.throttleKeys(user.username, meta.ip).slice(0, 2);
    await this.assertNotLocked(keys);
    if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
      const retryAfter = await this.noteFailure(keys, { ...meta, username: user.username }, user.id, 'bad_current_password');
      if (retryAfter !== null) throw throttled(retryAfter);
      throw new Problem(400, 'bad_current_password', '当前密码不正确', 'The current password is wrong');
    }
    assertStrongPassword(input.newPassword, user.username);
    if (input.newPassword === input.currentPassword) {
      throw badRequest('same_password', '新密码不能与当前密码相同', 'The new password must differ from the current one');
    }
    const passwordHash = await hashPassword(input.newPassword);
    await this.db.transaction().execute(async (trx) => {
      await repo.setPassword(trx, user.id, passwordHash, false);
      await repo.deleteOtherSessions(trx, user.id, session.sessionHash);
      await this.audit(trx, { actorUserId: user.id, ip: meta.ip, requestId: meta.requestId }, {
        unitId: session.actor.unitId,
        action: 'user.password_change',
        targetType: 'user',
        targetId: user.id,
      });
    });
    await this.refreshRestriction(session);
  }

  /** After the person did what their limited session asked, it may open up (or move on to the next step). */
  private async refreshRestriction(session: SessionInfo) {
    const state = await this.securityState(session.actor.userId);
    await repo.setSessionRestriction(this.db, session.sessionHash, state.restriction);
  }

  /** A fresh secret to scan; it counts only once confirmed with a first code. */
  async beginMfaEnrolment(session: SessionInfo) {
    const user = await repo.findCredentials(this.db, session.actor.userId);
    if (!user) throw unauthorized();
    const secret = newTotpSecret();
    const stored = await repo.putPendingMfa(this.db, user.id, this.box.seal({ secret }, `totp:${user.id}`));
    if (!stored) {
      throw conflict('mfa_already_enrolled', '已启用两步验证；如需更换，请联系管理员重置', 'Two-step verification is already on; ask an admin to reset it to change it');
    }
    return { secret, uri: totpUri(secret, user.username) };
  }

  /** The first code proves the app holds the secret; then ten recovery codes, shown this once. */
  async confirmMfaEnrolment(session: SessionInfo, meta: SignInMeta, code: string) {
    const user = await repo.findCredentials(this.db, session.actor.userId);
    const mfa = user && (await repo.findMfa(this.db, user.id));
    if (!user || !mfa) throw conflict('mfa_not_started', '请先开始绑定两步验证', 'Start the two-step verification set-up first');
    if (mfa.confirmed_at) throw conflict('mfa_already_enrolled', '已启用两步验证', 'Two-step verification is already on');
    const step = totpStep(this.openSecret(user.id, mfa.secret_sealed), user.username, code.replace(/\s/g, ''));
    const codes = newRecoveryCodes();
    const confirmed = await this.db.transaction().execute(async (trx) => {
      if (step === null || !(await repo.claimTotpStep(trx, user.id, step, true))) return false;
      await repo.replaceRecoveryCodes(trx, user.id, codes.map(recoveryCodeDigest));
      await this.audit(trx, { actorUserId: user.id, ip: meta.ip, requestId: meta.requestId }, {
        unitId: session.actor.unitId,
        action: 'user.mfa_enrol',
        targetType: 'user',
        targetId: user.id,
      });
      return true;
    });
    if (!confirmed) throw badRequest('bad_mfa_code', '动态验证码不正确，请查看验证器应用中的最新 6 位数字', 'Wrong code; enter the latest 6 digits from your authenticator app');
    await this.refreshRestriction(session);
    return { recoveryCodes: codes };
  }

  /** An admin's reset (lost phone): the second factor and its recovery codes go; the person enrols again. */
  async resetMfa(actor: Actor, meta: AuditMeta, userId: string, allowed: boolean) {
    if (!allowed) throw forbidden('该用户还属于你无权管理的单位', 'This person also belongs to units you do not manage');
    await this.db.transaction().execute(async (trx) => {
      const had = await repo.deleteMfa(trx, userId);
      if (!had) throw notFound({ zh: '两步验证', en: 'Two-step verification' }, userId);
      await this.audit(trx, meta, { unitId: actor.unitId, action: 'user.mfa_reset', targetType: 'user', targetId: userId });
    });
  }

  async resolveSession(token: string): Promise<SessionInfo | null> {
    const sessionHash = digest(token);
    const session = await repo.findLiveSession(this.db, sessionHash);
    if (!session) return null;
    const actor = await this.actorFor(session.user_id, session.active_unit_id);
    return actor && { actor, csrfToken: session.csrf_token, sessionHash, restriction: session.restriction };
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
    await this.db.transaction().execute((trx) => repo.setSessionUnit(trx, { idHash: session.sessionHash, userId: session.actor.userId, unitId }));
    return actor;
  }

  async logout(session: SessionInfo, meta: AuditMeta) {
    await repo.deleteSession(this.db, session.sessionHash);
    await this.audit(this.db, meta, { unitId: session.actor.unitId, action: 'session.logout', targetType: 'user', targetId: session.actor.userId });
  }

  async purgeExpiredSessions(): Promise<number> {
    await repo.deleteExpiredChallenges(this.db);
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

export type { SecurityPolicy };
