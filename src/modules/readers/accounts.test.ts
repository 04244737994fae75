import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import { ReaderClient, ageReaderCodes } from '../../test/reader-client.ts';
import { MAX_CODE_ATTEMPTS, destinationHash } from './codes.service.ts';
import { readerTableNames } from './tables.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const reader = () => new ReaderClient(server.url);
let phoneSerial = 13800000000;
const newPhone = () => String(++phoneSerial);
const lastCode = (to: string) => server.services.consoleCodes.lastCodeFor(to)!;
const plus86 = (p: string) => `+86${p}`;
const CONSENT_ALL = [
  { purpose: 'personalisation', granted: true },
  { purpose: 'push', granted: true },
  { purpose: 'analytics', granted: true },
];

/** Signs a new reader up on a unit's portal by SMS code; returns the client and the phone. */
export async function signUp(c: ReaderClient, opts: { unit?: string; consents?: { purpose: string; granted: boolean }[]; password?: string; homeDivision?: string; phone?: string; deviceId?: string } = {}) {
  const phone = opts.phone ?? newPhone();
  expect((await c.post('/api/reader/code', { channel: 'phone', destination: phone })).status).toBe(202);
  const res = await c.post('/api/reader/signup', {
    channel: 'phone',
    destination: phone,
    code: lastCode(plus86(phone)),
    unit: opts.unit ?? '510104',
    consents: opts.consents ?? CONSENT_ALL,
    consentVersion: '2026-11',
    ...(opts.password ? { password: opts.password } : {}),
    ...(opts.homeDivision ? { homeDivision: opts.homeDivision } : {}),
    ...(opts.deviceId ? { deviceId: opts.deviceId } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { phone, readerId: res.body.readerId as string };
}

/** Moves a code's clock: the newest code for the phone was sent `seconds` ago. */
const ageCodes = (seconds: number) => ageReaderCodes(server.db, seconds);

describe('sign-up and sign-in by one-time code', () => {
  it('signs up on a county portal by SMS code, with a separate tf_reader cookie, and signs in again by code on another portal', async () => {
    const c = reader();
    const { phone, readerId } = await signUp(c, { homeDivision: '510104' });
    const me = await c.get('/api/reader/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: readerId, phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`, registeredAt: { slug: '510104' }, homeDivision: { code: '510104', name: '锦江区', cityName: '成都市' } });
    expect(me.body.consents.map((x: { purpose: string; granted: boolean }) => `${x.purpose}:${x.granted}`).sort()).toEqual(['analytics:true', 'personalisation:true', 'push:true']);
    // The staff API does not know this cookie.
    expect((await c.get('/api/session')).status).toBe(401);

    const other = reader();
    await ageCodes(120);
    expect((await other.post('/api/reader/code', { channel: 'phone', destination: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` })).status).toBe(202);
    const login = await other.post('/api/reader/session/code', { channel: 'phone', destination: phone, code: lastCode(plus86(phone)) });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body.readerId).toBe(readerId);
    expect((await other.get('/api/reader/me')).body.id).toBe(readerId);
  });

  it('stores codes and destinations only as digests', async () => {
    const phone = newPhone();
    await reader().post('/api/reader/code', { channel: 'phone', destination: phone });
    const code = lastCode(plus86(phone));
    const rows = await server.db.selectFrom('reader_codes').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(phone);
    expect(dump).not.toContain(`"${code}"`);
    expect(rows.every((r) => r.code_hash.length > 20)).toBe(true);
  });

  it('validates mainland phone numbers and emails', async () => {
    for (const bad of ['12345', '+1 415 555 0100', '1280000000', '23800000000']) {
      const res = await reader().post('/api/reader/code', { channel: 'phone', destination: bad });
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toBe('bad_phone');
    }
    expect((await reader().post('/api/reader/code', { channel: 'email', destination: 'not-an-email' })).body.code).toBe('bad_email');
    const email = `Reader${Date.now()}@Example.COM`;
    expect((await reader().post('/api/reader/code', { channel: 'email', destination: email })).status).toBe(202);
    expect(lastCode(email.toLowerCase())).toMatch(/^\d{6}$/);
  });

  it('throttles resends within a minute, and expires codes after five minutes', async () => {
    const phone = newPhone();
    const c = reader();
    expect((await c.post('/api/reader/code', { channel: 'phone', destination: phone })).status).toBe(202);
    const again = await c.post('/api/reader/code', { channel: 'phone', destination: phone });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    const code = lastCode(plus86(phone));
    await ageCodes(301);
    const late = await c.post('/api/reader/signup', { channel: 'phone', destination: phone, code, unit: '510104', consents: [], consentVersion: '2026-11' });
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('bad_code');
  });

  it('burns a code after five wrong tries, even if the right one comes next; a used code cannot be replayed', async () => {
    const phone = newPhone();
    const c = reader();
    await c.post('/api/reader/code', { channel: 'phone', destination: phone });
    const code = lastCode(plus86(phone));
    const wrong = code === '000000' ? '111111' : '000000';
    const body = (k: string) => ({ channel: 'phone', destination: phone, code: k, unit: '510104', consents: [], consentVersion: '2026-11' });
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) expect((await c.post('/api/reader/signup', body(wrong))).status).toBe(400);
    const right = await c.post('/api/reader/signup', body(code));
    expect(right.status).toBe(400);
    expect(right.body.code).toBe('code_attempts_exceeded');

    await ageCodes(120);
    await c.post('/api/reader/code', { channel: 'phone', destination: phone });
    const fresh = lastCode(plus86(phone));
    expect((await c.post('/api/reader/signup', body(fresh))).status).toBe(201);
    const replay = await reader().post('/api/reader/session/code', { channel: 'phone', destination: phone, code: fresh });
    expect(replay.status).toBe(400);
  });

  it('refuses a second sign-up for the same phone, an unknown unit and a non-Sichuan division, writing nothing', async () => {
    const c = reader();
    const { phone } = await signUp(c);
    const before = await server.db.selectFrom('readers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await ageCodes(120);
    await reader().post('/api/reader/code', { channel: 'phone', destination: phone });
    const dup = await reader().post('/api/reader/signup', { channel: 'phone', destination: phone, code: lastCode(plus86(phone)), unit: '510104', consents: [], consentVersion: 'v1' });
    expect(dup.status).toBe(409);
    const p2 = newPhone();
    await reader().post('/api/reader/code', { channel: 'phone', destination: p2 });
    const unknownUnit = await reader().post('/api/reader/signup', { channel: 'phone', destination: p2, code: lastCode(plus86(p2)), unit: '999999', consents: [], consentVersion: 'v1' });
    expect(unknownUnit.status).toBe(400);
    expect(unknownUnit.body.field).toBe('unit');
    const badHome = await reader().post('/api/reader/signup', { channel: 'phone', destination: p2, code: lastCode(plus86(p2)), unit: '510104', homeDivision: '510999', consents: [], consentVersion: 'v1' });
    expect(badHome.status).toBe(400);
    expect(badHome.body.code).toBe('unknown_division');
    const after = await server.db.selectFrom('readers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('password sign-in', () => {
  it('signs in with phone or password, and locks after five failures', async () => {
    const { phone, readerId } = await signUp(reader(), { password: 'reader-pass-1' });
    const ok = await reader().post('/api/reader/session/password', { login: `+86${phone}`, password: 'reader-pass-1' });
    expect(ok.status).toBe(200);
    expect(ok.body.readerId).toBe(readerId);
    const hash = await server.db.selectFrom('readers').select('password_hash').where('id', '=', readerId).executeTakeFirstOrThrow();
    expect(hash.password_hash).toMatch(/^scrypt\$/);
    for (let i = 0; i < 5; i++) expect((await reader().post('/api/reader/session/password', { login: phone, password: 'wrong-wrong' })).status).toBe(401);
    const locked = await reader().post('/api/reader/session/password', { login: phone, password: 'reader-pass-1' });
    expect(locked.status).toBe(429);
    expect((await reader().post('/api/reader/session/password', { login: 'nobody@example.com', password: 'whatever1' })).status).toBe(401);
  });
});

describe('profile, follows and consent', () => {
  it('changes the profile and follows, and needs the reader CSRF token to do so', async () => {
    const c = reader();
    await signUp(c);
    const noCsrf = await c.request('PATCH', '/api/reader/me', { displayName: '蓉城读者' }, { 'x-csrf-token': 'nope' });
    expect(noCsrf.status).toBe(403);
    const res = await c.patch('/api/reader/me', { displayName: '蓉城读者', homeDivision: '510105', interests: ['教育', '天气', '教育'], follows: ['510104', '510105'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ displayName: '蓉城读者', homeDivision: { code: '510105' }, interests: ['教育', '天气'] });
    expect(res.body.follows.map((f: { slug: string }) => f.slug).sort()).toEqual(['510104', '510105']);
    const badFollow = await c.patch('/api/reader/me', { follows: ['510104', 'nowhere'] });
    expect(badFollow.status).toBe(400);
    expect(badFollow.body.field).toBe('follows/1');
    expect((await c.get('/api/reader/me')).body.follows).toHaveLength(2);
    expect((await reader().patch('/api/reader/me', { displayName: 'x' })).status).toBe(401);
  });

  it('records every grant and withdrawal; the latest is in force', async () => {
    const c = reader();
    const { readerId } = await signUp(c, { consents: [{ purpose: 'analytics', granted: true }] });
    let me = await c.get('/api/reader/me');
    expect(Object.fromEntries(me.body.consents.map((x: { purpose: string; granted: boolean }) => [x.purpose, x.granted]))).toEqual({ analytics: true, personalisation: false, push: false });
    const res = await c.put('/api/reader/me/consents', { consents: [{ purpose: 'push', granted: true }, { purpose: 'analytics', granted: false }], version: '2026-12' });
    expect(res.status).toBe(200);
    me = await c.get('/api/reader/me');
    expect(Object.fromEntries(me.body.consents.map((x: { purpose: string; granted: boolean }) => [x.purpose, x.granted]))).toEqual({ analytics: false, personalisation: false, push: true });
    const history = await server.db.selectFrom('reader_consents').select(['purpose', 'granted', 'version']).where('reader_id', '=', readerId).orderBy('id').execute();
    expect(history).toHaveLength(5);
    expect(history.at(-1)).toEqual({ purpose: 'analytics', granted: false, version: '2026-12' });
    const dup = await c.put('/api/reader/me/consents', { consents: [{ purpose: 'push', granted: true }, { purpose: 'push', granted: false }], version: 'x' });
    expect(dup.status).toBe(400);
  });
});

describe('personal-information rights', () => {
  it('downloads everything kept under the person as JSON', async () => {
    const c = reader();
    const { phone, readerId } = await signUp(c, { homeDivision: '510104' });
    await c.patch('/api/reader/me', { follows: ['510105'], interests: ['美食'] });
    await c.post('/api/reader/events', { device: 'device-export-1', events: [{ id: 'export-event-000001', type: 'view', at: new Date().toISOString(), unit: '510104' }] });
    const res = await c.get('/api/reader/me/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(res.body.profile).toMatchObject({ id: readerId, phone: `+86${phone}`, homeDivision: '510104', interests: ['美食'], registeredAt: '510104' });
    expect(res.body.consents).toHaveLength(3);
    expect(res.body.follows).toEqual([expect.objectContaining({ unit: '510105' })]);
    expect(res.body.events).toEqual([expect.objectContaining({ type: 'view', unit: '510104' })]);
  });

  it('deletes the account: nothing personal is left in any reader table, events stay under a replacement id', async () => {
    const device = 'erase-device-0001';
    const c = reader();
    c.deviceCookie = `tf_device=${device}`;
    const now = new Date().toISOString();
    // Anonymous reading first, then sign-up on the same device (merged), then signed-in reading.
    await c.post('/api/reader/events', { device, events: [{ id: 'erase-anon-00000001', type: 'view', at: now, unit: '510104' }] });
    const { phone, readerId } = await signUp(c, { homeDivision: '510104', password: 'erase-me-please' });
    await c.patch('/api/reader/me', { follows: ['510104'], interests: ['独特兴趣'] });
    await c.post('/api/reader/events', { device, events: [{ id: 'erase-read-00000001', type: 'view', at: now, unit: '510105' }] });
    await server.services.readerEvents.flushBefore();
    expect(await server.db.selectFrom('reader_events').select('event_id').where('reader_id', '=', readerId).execute()).toHaveLength(2);

    const refused = await c.request('DELETE', '/api/reader/me', { confirm: 'yes' });
    expect(refused.status).toBe(400);
    const res = await c.request('DELETE', '/api/reader/me', { confirm: '注销' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.anonymisedEvents).toBe(2);
    expect((await c.get('/api/reader/me')).status).toBe(401);

    const personal = [readerId, phone, `+86${phone}`, device, '独特兴趣', 'erase-me-please'];
    for (const table of readerTableNames) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(server.db);
      const dump = JSON.stringify(rows);
      for (const value of personal) expect(dump.includes(value), `${table} still holds ${value}`).toBe(false);
    }
    // Not even the digest of the phone stays among the code-sending counters.
    expect(await server.db.selectFrom('reader_code_limits').select('key').where('key', '=', `dest:${destinationHash('phone', `+86${phone}`)}`).execute()).toEqual([]);
    const kept = await server.db.selectFrom('reader_events').select(['reader_id', 'device_id', 'division_code']).where('event_id', 'in', ['erase-anon-00000001', 'erase-read-00000001']).execute();
    expect(kept).toHaveLength(2);
    expect(new Set(kept.map((k) => k.reader_id)).size).toBe(1);
    expect(kept[0]!.reader_id).not.toBe(readerId);
    expect(kept.every((k) => k.device_id === null && k.division_code === null)).toBe(true);
    // The audit log names the deletion, not the person.
    const audit = await server.db.selectFrom('audit_log').select(['action', 'after']).where('target_id', '=', readerId).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['reader.delete', 'reader.signup']);
    expect(JSON.stringify(audit)).not.toContain(phone);
    // The phone may sign up afresh.
    await ageCodes(120);
    await signUp(reader(), { phone });
  });
});

describe('the portal’s 我的 page', () => {
  it('signed out: the sign-up and sign-in forms, the portal’s county preselected, private and script-safe', async () => {
    const res = await reader().get<string>('/portal/510105/account');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.body).toContain('<form id="signup"');
    expect(res.body).toContain('<form id="login-password"');
    expect(res.body).toContain('<option value="510105" selected>青羊区</option>');
    expect(res.body).toMatch(/<script src="\/reader\/account.js" defer data-unit="510105" data-consent-version="[^"]+" data-next="\/portal\/510105\/for-you"><\/script>/);
    const script = await reader().get<string>('/reader/account.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^application\/javascript/);
  });

  it('signed in: greets the reader by name, names where the account was made, carries the CSRF token; on any member’s portal', async () => {
    const c = reader();
    const { phone } = await signUp(c, { unit: '510104', homeDivision: '510105' });
    await c.request('PATCH', '/api/reader/me', { displayName: '<b>锦江读者</b>' });
    for (const slug of ['510104', '510500']) {
      const res = await c.get<string>(`/portal/${slug}/account`);
      expect(res.status).toBe(200);
      expect(res.body).toContain('欢迎回来，<span data-reader-name>&lt;b&gt;锦江读者&lt;/b&gt;</span>');
      expect(res.body).toContain('<dd data-registered>锦江区融媒体中心</dd>');
      expect(res.body).toContain('成都市青羊区');
      expect(res.body).not.toContain(phone);
      expect(res.body).toContain(`data-csrf="${c.csrf}"`);
      expect(res.body).not.toContain('<form id="signup"');
    }
  });

  it('an unknown unit is a 404 page, a malformed one a 400', async () => {
    const missing = await reader().get<string>('/portal/519999/account');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('页面不存在');
    expect((await reader().get('/portal/bad%20slug/account')).status).toBe(400);
  });
});
