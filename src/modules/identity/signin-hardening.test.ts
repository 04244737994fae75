import * as OTPAuth from 'otpauth';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_PASSWORD } from '../../test/fixtures.ts';
import { ApiClient, startTestServer, type TestServer } from '../../test/harness.ts';
import { addUserFromCli } from './bootstrap.ts';
import { passwordIssue } from './password-policy.ts';

/** Issue 11: D8 (login throttling), D11 (password rules, reset, expiry) and the staff second factor. */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.db.deleteFrom('login_throttle').execute();
});

const userId = async (username: string) =>
  (await server.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const unitId = async (code: string) => (await server.db.selectFrom('units').select('id').where('division_code', '=', code).executeTakeFirstOrThrow()).id;
const rootId = async () => (await server.db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow()).id;
const signIn = (c: ApiClient, username: string, password: string, headers: Record<string, string> = {}) =>
  c.request('POST', '/api/session', { username, password }, headers);
const auditRows = (action: string) =>
  server.db.selectFrom('audit_log').select(['unit_id', 'target_id', 'ip', 'after', 'actor_user_id']).where('action', '=', action).orderBy('id').execute();

describe('D8: sign-in throttling', () => {
  it('40 concurrent wrong passwords: the counter is atomic, so most are refused with 429 and then even the right password waits', { timeout: 180_000 }, async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(server.client(), 'jinjiang_editor', `Wrong-Guess-${i}!`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // 5 free failures on the account+address counter; every later one finds (or sets) the lock.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
    const right = await signIn(server.client(), 'jinjiang_editor', FIXTURE_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.body.detail).toMatch(/登录失败次数过多，请 \d+ 秒后再试/);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('ignores X-Forwarded-For by default: a spoofed address neither resets the counter nor lands in sessions or the audit log', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await signIn(server.client(), 'jinjiang_reporter', `Wrong-Guess-${i}!`, { 'x-forwarded-for': `203.0.113.${i + 1}` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const failures = await auditRows('session.login_failed');
    expect(failures.length).toBeGreaterThanOrEqual(6);
    expect(failures.every((r) => r.ip === '127.0.0.1')).toBe(true);

    const ok = await signIn(server.client(), 'multi', FIXTURE_PASSWORD, { 'x-forwarded-for': '203.0.113.77' });
    expect(ok.status).toBe(204);
    const ips = await server.db.selectFrom('sessions').select('ip').where('user_id', '=', await userId('multi')).execute();
    expect(ips.map((s) => s.ip)).not.toContain('203.0.113.77');
    expect(ips.map((s) => s.ip)).toContain('127.0.0.1');
  });

  it('a wrong password and an unknown name answer the same; both are audited, the unknown one under the root unit', async () => {
    const known = await signIn(server.client(), 'qingyang_editor', 'Wrong-Guess-1!');
    const unknown = await signIn(server.client(), 'nobody_here', 'Wrong-Guess-1!');
    expect([known.status, unknown.status]).toEqual([401, 401]);
    expect({ code: unknown.body.code, detail: unknown.body.detail }).toEqual({ code: known.body.code, detail: known.body.detail });

    const rows = await auditRows('session.login_failed');
    const last = (name: string) => [...rows].reverse().find((r) => (r.after as { username: string }).username === name)!;
    const knownRow = last('qingyang_editor');
    expect(knownRow.unit_id).toBe(await unitId('510105'));
    expect(knownRow.target_id).toBe(await userId('qingyang_editor'));
    expect(knownRow.after).toMatchObject({ reason: 'bad_password' });
    expect(JSON.stringify(knownRow.after)).not.toContain('Wrong-Guess');
    const unknownRow = last('nobody_here');
    expect(unknownRow.unit_id).toBe(await rootId());
    expect(unknownRow.target_id).toBeNull();
    expect(unknownRow.after).toMatchObject({ reason: 'unknown_user' });
  });

  it('a lockout is audited with its scope and end, and unknown names are locked alike (nothing tells them apart)', async () => {
    const before = (await auditRows('session.locked')).length;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(server.client(), 'ghost_user', `Wrong-Guess-${i}!`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    for (let i = 0; i < 6; i++) await signIn(server.client(), 'jinjiang_chief', `Wrong-Guess-${i}!`);
    const locks = (await auditRows('session.locked')).slice(before);
    expect(locks.map((r) => (r.after as { username: string }).username)).toEqual(['ghost_user', 'jinjiang_chief']);
    const chief = locks[1]!;
    expect(chief.unit_id).toBe(await unitId('510104'));
    expect(chief.after).toMatchObject({ scope: 'ai', failures: 6 });
    expect(new Date((chief.after as { lockedUntil: string }).lockedUntil).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('D8 behind a trusted proxy', () => {
  let proxied: TestServer;
  beforeAll(async () => {
    proxied = await startTestServer({ config: { trustedProxies: ['127.0.0.1'] } });
  });
  afterAll(() => proxied.close());
  const from = (ip: string, username: string, password: string) =>
    proxied.client().request('POST', '/api/session', { username, password }, { 'x-forwarded-for': ip });

  it('takes the client address from the configured proxy, into the session and the audit log', async () => {
    expect((await from('198.51.100.20', 'multi', FIXTURE_PASSWORD)).status).toBe(204);
    const row = await proxied.db.selectFrom('sessions').select('ip').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(row.ip).toBe('198.51.100.20');
    await from('198.51.100.21', 'multi', 'Wrong-Guess-1!');
    const audit = await proxied.db.selectFrom('audit_log').select('ip').where('action', '=', 'session.login_failed').executeTakeFirstOrThrow();
    expect(audit.ip).toBe('198.51.100.21');
  });

  it('NAT: one locked colleague does not lock out the office, nor the same person at another address', async () => {
    for (let i = 0; i < 6; i++) await from('198.51.100.1', 'jinjiang_editor', `Wrong-Guess-${i}!`);
    expect((await from('198.51.100.1', 'jinjiang_editor', FIXTURE_PASSWORD)).status).toBe(429);
    expect((await from('198.51.100.1', 'jinjiang_reporter', FIXTURE_PASSWORD)).status).toBe(204);
    expect((await from('198.51.100.2', 'jinjiang_editor', FIXTURE_PASSWORD)).status).toBe(204);
  });

  it('caps one account across many addresses (20) and one address across many accounts (50)', { timeout: 240_000 }, async () => {
    await proxied.db.deleteFrom('login_throttle').execute();
    for (let i = 0; i < 20; i++) expect((await from(`192.0.2.${i + 1}`, 'qingyang_editor', 'Wrong-Guess-1!')).status).toBe(401);
    expect((await from('192.0.2.100', 'qingyang_editor', 'Wrong-Guess-1!')).status).toBe(429);
    const spread = await from('192.0.2.200', 'qingyang_editor', FIXTURE_PASSWORD);
    expect(spread.status).toBe(429);

    await proxied.db.deleteFrom('login_throttle').execute();
    const sweep = await Promise.all(Array.from({ length: 50 }, (_, i) => from('192.0.2.99', `sweep_${i}`, 'Wrong-Guess-1!')));
    expect(sweep.every((r) => r.status === 401)).toBe(true);
    expect((await from('192.0.2.99', 'sweep_last', 'Wrong-Guess-1!')).status).toBe(429);
    expect((await from('192.0.2.99', 'mianyang_admin', FIXTURE_PASSWORD)).status).toBe(429);
    expect((await from('192.0.2.98', 'mianyang_admin', FIXTURE_PASSWORD)).status).toBe(204);
  });
});

describe('D11: staff passwords', () => {
  const weak: [password: string, message: RegExp][] = [
    ['aaaaaaaaaa', /至少三类/],
    ['1234567890', /至少三类/],
    ['          ', /至少三类/],
    ['wuhou_zhang', /至少三类|用户名/],
    ['Wuhou_Zhang-1', /不能包含用户名/],
    ['Ab1!', /至少需要 10 个字符/],
    ['Password123!', /过于常见/],
    ['Qwerty12345', /过于常见/],
  ];

  it('user create refuses each weak password with a Chinese reason and creates nothing', async () => {
    const admin = await server.as('chengdu_admin');
    const wuhou = await unitId('510107');
    for (const [password, message] of weak) {
      const res = await admin.post('/api/users', { username: 'wuhou_zhang', displayName: '武侯张', password, unitId: wuhou, role: 'editor' });
      expect(res.status, password).toBe(400);
      expect(res.body.code).toBe('weak_password');
      expect(res.body.detail).toMatch(message);
      expect(res.body.detailEn).toBeTruthy();
    }
    expect(await server.db.selectFrom('users').select('id').where('username', '=', 'wuhou_zhang').executeTakeFirst()).toBeUndefined();
    const ok = await admin.post('/api/users', { username: 'wuhou_zhang', displayName: '武侯张', password: 'Jin-Li-Street-8', unitId: wuhou, role: 'editor' });
    expect(ok.status).toBe(201);
  });

  it('the command line (and the demo login) refuse weak passwords; generated ones meet the rules', async () => {
    const alliance = server.services.alliance;
    const unit = await unitId('510104');
    await expect(addUserFromCli(server.db, alliance, { username: 'cli_weak', displayName: 'x', password: '1234567890', unitId: unit, role: 'editor' })).rejects.toMatchObject({
      code: 'weak_password',
    });
    for (let i = 0; i < 3; i++) {
      const made = await addUserFromCli(server.db, alliance, { username: `cli_gen_${i}`, displayName: 'x', unitId: unit, role: 'editor' });
      expect(passwordIssue(made.password, made.user.username)).toBeNull();
    }
  });

  it('after an admin reset the person may only change their password (403 password_change_required elsewhere)', async () => {
    const admin = await server.as('admin');
    const id = await userId('jinjiang_reporter');
    expect((await admin.patch(`/api/users/${id}`, { password: '1234567890' })).status).toBe(400);
    expect((await admin.patch(`/api/users/${id}`, { password: 'Temp-Reset-2026' })).status).toBe(200);
    const audit = await auditRows('user.update+password');
    expect(audit.at(-1)!.target_id).toBe(id);

    const c = server.client();
    await c.login('jinjiang_reporter', 'Temp-Reset-2026');
    const session = await c.get('/api/session');
    expect(session.body.security).toMatchObject({ restriction: 'password_change', passwordChangeReason: 'reset' });
    const blocked = await c.get('/api/users');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('password_change_required');
    expect(blocked.body.detail).toContain('请先修改密码');

    const wrongCurrent = await c.post('/api/session/password', { currentPassword: 'Not-The-One-1', newPassword: 'Mine-Now-2026!' });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.body.detail).toBe('当前密码不正确');
    const weakNew = await c.post('/api/session/password', { currentPassword: 'Temp-Reset-2026', newPassword: 'aaaaaaaaaa' });
    expect(weakNew.status).toBe(400);
    expect(weakNew.body.code).toBe('weak_password');
    const same = await c.post('/api/session/password', { currentPassword: 'Temp-Reset-2026', newPassword: 'Temp-Reset-2026' });
    expect(same.status).toBe(400);
    expect((await c.post('/api/session/password', { currentPassword: 'Temp-Reset-2026', newPassword: 'Mine-Now-2026!' })).status).toBe(204);
    expect((await c.get('/api/users')).status).toBe(200);
    expect((await c.get('/api/session')).body.security.restriction).toBeNull();

    const fresh = server.client();
    await fresh.login('jinjiang_reporter', 'Mine-Now-2026!');
    expect((await fresh.get('/api/users')).status).toBe(200);
    expect((await auditRows('user.password_change')).at(-1)!.target_id).toBe(id);
    await server.db.updateTable('users').set({ password_hash: (await server.db.selectFrom('users').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow()).password_hash }).where('id', '=', id).execute();
  });

  it('changing your own password ends your other sessions', async () => {
    const one = await server.as('mianyang_admin');
    const two = await server.as('mianyang_admin');
    expect((await one.post('/api/session/password', { currentPassword: FIXTURE_PASSWORD, newPassword: 'Mianyang-Own-77' })).status).toBe(204);
    expect((await one.get('/api/session')).status).toBe(200);
    expect((await two.get('/api/session')).status).toBe(401);
    expect((await one.post('/api/session/password', { currentPassword: 'Mianyang-Own-77', newPassword: FIXTURE_PASSWORD })).status).toBe(204);
  });

  it('passwords expire per the alliance policy, which only the root alliance admin sets, and it is kept in the database', async () => {
    const cityAdmin = await server.as('chengdu_admin');
    const policy = await cityAdmin.get('/api/security/policy');
    expect(policy.body).toMatchObject({ passwordMaxAgeDays: 90, mfaGraceDays: 7, canEdit: false });
    expect(policy.body.mfaRoles.sort()).toEqual(['alliance_admin', 'chief_editor', 'unit_admin']);
    const refused = await cityAdmin.put('/api/security/policy', { passwordMaxAgeDays: 30, mfaRoles: [], mfaGraceDays: 7 });
    expect(refused.status).toBe(403);

    const admin = await server.as('admin');
    const set = await admin.put('/api/security/policy', { passwordMaxAgeDays: 30, mfaRoles: ['alliance_admin', 'unit_admin', 'chief_editor'], mfaGraceDays: 7 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ passwordMaxAgeDays: 30, canEdit: true });
    const row = await server.db.selectFrom('staff_security_policy').selectAll().executeTakeFirstOrThrow();
    expect(row.password_max_age_days).toBe(30);
    expect((await auditRows('security.policy')).length).toBe(1);

    await sql`update users set password_changed_at = now() - interval '40 days' where username = 'qingyang_editor'`.execute(server.db);
    const c = await server.as('qingyang_editor');
    expect((await c.get('/api/session')).body.security).toMatchObject({ restriction: 'password_change', passwordChangeReason: 'expired' });
    expect((await c.get('/api/users')).body.code).toBe('password_change_required');
    await admin.put('/api/security/policy', { passwordMaxAgeDays: 90, mfaRoles: ['alliance_admin', 'unit_admin', 'chief_editor'], mfaGraceDays: 7 });
    expect((await (await server.as('qingyang_editor')).get('/api/session')).body.security.restriction).toBeNull();
  });
});

describe('staff second factor (TOTP)', () => {
  const codeAt = (secret: string, timestamp: number) =>
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp });

  async function enrol(c: ApiClient) {
    const started = await c.post('/api/session/mfa/enrolment');
    expect(started.status).toBe(200);
    const code = codeAt(started.body.secret, Date.now());
    const confirmed = await c.post('/api/session/mfa/enrolment/confirm', { code });
    expect(confirmed.status).toBe(200);
    return { secret: started.body.secret as string, code, recoveryCodes: confirmed.body.recoveryCodes as string[] };
  }

  it('enrols with a first code, keeps the secret sealed and recovery codes hashed, and signs in in two steps without replays', async () => {
    const c = await server.as('jinjiang_chief');
    const before = (await c.get('/api/session')).body.security.mfa;
    expect(before).toMatchObject({ enrolled: false, required: true });
    expect(new Date(before.graceEndsAt).getTime()).toBeGreaterThan(Date.now() + 6 * 86400_000);

    const started = await c.post('/api/session/mfa/enrolment');
    expect(started.body.uri).toMatch(/^otpauth:\/\/totp\/.*jinjiang_chief\?.*secret=/);
    expect((await c.post('/api/session/mfa/enrolment/confirm', { code: '000000' })).status).toBe(400);
    // A second start before confirming replaces the secret; the earlier one no longer counts.
    const { secret, code, recoveryCodes } = await enrol(c);
    expect(secret).not.toBe(started.body.secret);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const id = await userId('jinjiang_chief');
    const stored = await server.db.selectFrom('staff_mfa').selectAll().where('user_id', '=', id).executeTakeFirstOrThrow();
    expect(stored.secret_sealed).not.toContain(secret);
    const hashes = await server.db.selectFrom('staff_recovery_codes').select('code_hash').where('user_id', '=', id).execute();
    expect(JSON.stringify(hashes)).not.toContain(recoveryCodes[0]!);
    expect((await c.post('/api/session/mfa/enrolment')).status).toBe(409);
    expect((await auditRows('user.mfa_enrol')).at(-1)!.target_id).toBe(id);

    const step1 = await signIn(server.client(), 'jinjiang_chief', FIXTURE_PASSWORD);
    expect(step1.status).toBe(202);
    expect(step1.body.status).toBe('mfa_required');
    expect(step1.headers.getSetCookie().some((h) => h.startsWith('tianfu_session='))).toBe(false);
    // The code that confirmed the enrolment was used: it cannot sign in.
    const replay = await server.client().post('/api/session/mfa', { challenge: step1.body.challenge, code });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('bad_mfa_code');
    const next = codeAt(secret, Date.now() + 30_000);
    const done = server.client();
    expect((await done.post('/api/session/mfa', { challenge: step1.body.challenge, code: next })).status).toBe(204);
    expect((await done.get('/api/session')).body.security.mfa.enrolled).toBe(true);
    // A challenge is good for one sign-in only.
    expect((await server.client().post('/api/session/mfa', { challenge: step1.body.challenge, code: next })).status).toBe(401);

    const step2 = await signIn(server.client(), 'jinjiang_chief', FIXTURE_PASSWORD);
    const again = await server.client().post('/api/session/mfa', { challenge: step2.body.challenge, code: next });
    expect(again.status).toBe(401);

    const step3 = await signIn(server.client(), 'jinjiang_chief', FIXTURE_PASSWORD);
    const viaRecovery = server.client();
    expect((await viaRecovery.post('/api/session/mfa', { challenge: step3.body.challenge, code: recoveryCodes[0]!.toLowerCase() })).status).toBe(204);
    expect((await viaRecovery.get('/api/session')).body.security.mfa.recoveryCodesLeft).toBe(9);
    const step4 = await signIn(server.client(), 'jinjiang_chief', FIXTURE_PASSWORD);
    expect((await server.client().post('/api/session/mfa', { challenge: step4.body.challenge, code: recoveryCodes[0] })).status).toBe(401);
    const logins = await server.db.selectFrom('audit_log').select('after').where('action', '=', 'session.login').where('target_id', '=', id).execute();
    expect(logins.map((r) => (r.after as { via: string }).via)).toEqual(expect.arrayContaining(['totp', 'recovery']));
  });

  it('two sign-ins racing with the same code: only one gets in', async () => {
    const { secret } = await enrol(await server.as('jinjiang_admin'));
    const a = await signIn(server.client(), 'jinjiang_admin', FIXTURE_PASSWORD);
    const b = await signIn(server.client(), 'jinjiang_admin', FIXTURE_PASSWORD);
    const code = codeAt(secret, Date.now() + 30_000);
    const results = await Promise.all([a, b].map((s) => server.client().post('/api/session/mfa', { challenge: s.body.challenge, code })));
    expect(results.map((r) => r.status).sort()).toEqual([204, 401]);
  });

  it('throttles code guesses: after five wrong codes the account waits, right code or not', async () => {
    const { secret } = await enrol(await server.as('chengdu_admin'));
    const step = await signIn(server.client(), 'chengdu_admin', FIXTURE_PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await server.client().post('/api/session/mfa', { challenge: step.body.challenge, code: String(100000 + i) })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const fresh = await signIn(server.client(), 'chengdu_admin', FIXTURE_PASSWORD);
    expect(fresh.status).toBe(429);
    expect((await auditRows('session.login_failed')).some((r) => (r.after as { reason: string }).reason === 'bad_mfa_code')).toBe(true);
    await server.db.deleteFrom('login_throttle').execute();
    const ok = await signIn(server.client(), 'chengdu_admin', FIXTURE_PASSWORD);
    expect((await server.client().post('/api/session/mfa', { challenge: ok.body.challenge, code: codeAt(secret, Date.now() + 30_000) })).status).toBe(204);
  });

  it('an admin resets a lost second factor (audited); others cannot', async () => {
    const outsider = await server.as('mianyang_admin');
    const id = await userId('chengdu_admin');
    expect((await outsider.delete(`/api/users/${id}/mfa`)).status).toBe(404);
    const admin = await server.as('admin');
    expect((await admin.delete(`/api/users/${id}/mfa`)).status).toBe(204);
    expect((await auditRows('user.mfa_reset')).at(-1)!.target_id).toBe(id);
    expect((await signIn(server.client(), 'chengdu_admin', FIXTURE_PASSWORD)).status).toBe(204);
    expect((await admin.delete(`/api/users/${id}/mfa`)).status).toBe(404);
  });

  it('after the grace period a required person may only enrol; within it, everything works; roles outside the policy are never asked', async () => {
    const reporter = await server.as('jinjiang_reporter');
    expect((await reporter.get('/api/session')).body.security.mfa).toMatchObject({ required: false, graceEndsAt: null });

    await sql`update users set mfa_required_since = now() - interval '8 days' where username = 'chengdu_admin'`.execute(server.db);
    const c = await server.as('chengdu_admin');
    expect((await c.get('/api/session')).body.security.restriction).toBe('mfa_enrolment');
    const blocked = await c.get('/api/users');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('mfa_enrolment_required');
    await enrol(c);
    expect((await c.get('/api/users')).status).toBe(200);
  });
});
