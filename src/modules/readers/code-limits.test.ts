import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import { solveProof } from './code-limits.ts';
import { ReaderClient } from '../../test/reader-client.ts';

/**
 * SMS pumping and code-bombing, over real HTTP: one client asking for codes to many numbers, many
 * concurrent requests for one number, the platform's hourly budget, and the proof of work asked for
 * past a threshold. Every test client is 127.0.0.1, so "one IP" is every request here.
 */
const POW_AFTER = 3;
const IP_HOURLY = 10;
const BITS = 10;

let server: TestServer;
let budgetServer: TestServer;
beforeAll(async () => {
  [server, budgetServer] = await Promise.all([
    startTestServer({ config: { readerCodePowAfter: POW_AFTER, readerCodeIpHourly: IP_HOURLY, readerCodePowBits: BITS, smsHourlyBudget: 1000 } }),
    // Only the budget binds on this one: 6 SMS codes an hour for the whole platform.
    startTestServer({ config: { smsHourlyBudget: 6, readerCodePowBits: BITS } }),
  ]);
});
afterAll(async () => {
  await server?.close();
  await budgetServer?.close();
});
// Each test starts with nothing counted. The windows are real clock hours, so a test never starts in
// the last half minute of one (its counts would be split over two windows).
beforeEach(async () => {
  const left = 3600 - ((Date.now() / 1000) % 3600);
  if (left < 30) await new Promise((r) => setTimeout(r, left * 1000 + 500));
  for (const s of [server, budgetServer]) await sql`delete from reader_code_limits`.execute(s.db);
}, 45_000);

let serial = 13700000000;
const newPhone = () => String(++serial);
const ask = (s: TestServer, destination: string, extra: Record<string, unknown> = {}, c = new ReaderClient(s.url)) =>
  c.post('/api/reader/code', { channel: 'phone', destination, ...extra });
/** Codes that actually went out, by the fake SMS provider's count. */
const sentTo = (s: TestServer, phones: string[]) => phones.filter((p) => s.services.consoleCodes.sent.some((m) => m.to === `+86${p}`));
const codeRows = async (s: TestServer) => Number((await s.db.selectFrom('reader_codes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
/** Solves the 428's challenge the way a client does, and asks again with the proof. */
const withProof = (challenge: { id: string; difficulty: number }) => ({ pow: { challenge: challenge.id, nonce: solveProof(challenge.id, challenge.difficulty) } });

describe('per client IP', () => {
  it('30 numbers from one client: 3 codes go out, then a proof of work is asked for, and never more than the hourly cap', async () => {
    const rowsBefore = await codeRows(server);
    const phones = Array.from({ length: 30 }, newPhone);
    const answers = [];
    for (const p of phones) answers.push(await ask(server, p));
    expect(answers.map((a) => a.status)).toEqual([...Array(POW_AFTER).fill(202), ...Array(30 - POW_AFTER).fill(428)]);
    expect(sentTo(server, phones)).toEqual(phones.slice(0, POW_AFTER));
    expect((await codeRows(server)) - rowsBefore).toBe(POW_AFTER);
    const refused = answers[POW_AFTER]!;
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'challenge_required', detail: '请先完成安全验证再获取验证码', challenge: { algorithm: 'SHA-256', difficulty: BITS, expiresInSeconds: 300 } });

    // A client that solves every challenge still stops at the per-IP cap, with a 429 a reader understands.
    const solved = [];
    for (const p of phones.slice(POW_AFTER)) {
      const first = await ask(server, p);
      solved.push(first.status === 428 ? await ask(server, p, withProof(first.body.challenge)) : first);
    }
    expect(solved.filter((a) => a.status === 202)).toHaveLength(IP_HOURLY - POW_AFTER);
    const capped = solved.find((a) => a.status === 429)!;
    expect(capped.body).toMatchObject({ code: 'code_throttled', detail: expect.stringMatching(/^获取验证码次数过多，请 \d+ (分钟|秒)后再试$/) });
    expect(capped.body.retryAfter).toBeGreaterThan(0);
    expect(capped.body.retryAfter).toBeLessThanOrEqual(3600);
    expect(Number(capped.headers.get('retry-after'))).toBe(capped.body.retryAfter);
    expect(sentTo(server, phones)).toHaveLength(IP_HOURLY);
    expect((await codeRows(server)) - rowsBefore).toBe(IP_HOURLY);
  });

  it('15 concurrent requests for 15 numbers: exactly the threshold goes out, the rest must prove work', async () => {
    const phones = Array.from({ length: 15 }, newPhone);
    const answers = await Promise.all(phones.map((p) => ask(server, p)));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(POW_AFTER);
    expect(answers.filter((a) => a.status === 428)).toHaveLength(15 - POW_AFTER);
    expect(sentTo(server, phones)).toHaveLength(POW_AFTER);
  });
});

describe('per destination', () => {
  it('15 concurrent requests for one number: exactly one code is sent', async () => {
    const phone = newPhone();
    const rowsBefore = await codeRows(server);
    const answers = await Promise.all(Array.from({ length: 15 }, () => ask(server, phone)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, ...Array(14).fill(429)]);
    expect(server.services.consoleCodes.sent.filter((m) => m.to === `+86${phone}`)).toHaveLength(1);
    expect((await codeRows(server)) - rowsBefore).toBe(1);
    const wait = answers.find((a) => a.status === 429)!;
    expect(wait.body.detail).toMatch(/^验证码已发送，请 \d+ 秒后再试$/);
    expect(wait.body.retryAfter).toBeGreaterThan(0);
  });

  it('answers a registered and an unregistered number alike', async () => {
    const registered = newPhone();
    const c = new ReaderClient(server.url);
    expect((await ask(server, registered, {}, c)).status).toBe(202);
    const code = server.services.consoleCodes.lastCodeFor(`+86${registered}`)!;
    const signup = await c.post('/api/reader/signup', { channel: 'phone', destination: registered, code, unit: '510104', consents: [], consentVersion: 'v1' });
    expect(signup.status).toBe(201);
    await sql`delete from reader_code_limits`.execute(server.db);
    const unknown = newPhone();
    const [a, b] = [await ask(server, registered), await ask(server, unknown)];
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body).toEqual(b.body);
    const [a2, b2] = [await ask(server, registered), await ask(server, unknown)];
    expect(a2.status).toBe(429);
    expect({ ...a2.body, requestId: '' }).toEqual({ ...b2.body, requestId: '' });
  });

  it('a device id (the tracker’s) is limited on its own too', async () => {
    const c = new ReaderClient(server.url);
    c.deviceCookie = 'tf_device=pumping-device-01';
    const phones = Array.from({ length: 7 }, newPhone);
    const statuses = [];
    for (const p of phones) {
      const first = await ask(server, p, {}, c);
      statuses.push(first.status === 428 ? (await ask(server, p, withProof(first.body.challenge), c)).status : first.status);
    }
    // Five an hour per device, proofs or not.
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
  });
});

describe('the proof of work', () => {
  it('a correct proof passes once; a wrong, reused or unknown one gets a fresh challenge instead', async () => {
    for (let i = 0; i < POW_AFTER; i++) expect((await ask(server, newPhone())).status).toBe(202);
    const phone = newPhone();
    const first = await ask(server, phone);
    expect(first.status).toBe(428);
    const { challenge } = first.body;
    const proof = withProof(challenge);

    // A nonce that does not hash to enough zero bits.
    let wrong = 0;
    while (solveProof(challenge.id, challenge.difficulty) === String(wrong)) wrong++;
    const bad = await ask(server, phone, { pow: { challenge: challenge.id, nonce: `x${wrong}` } });
    expect(bad.status).toBe(428);
    expect(bad.body).toMatchObject({ code: 'challenge_failed', detail: '安全验证未通过或已过期，请重试' });
    expect(bad.body.challenge.id).not.toBe(challenge.id);
    expect((await ask(server, phone, { pow: { challenge: 'made-up-challenge', nonce: '1' } })).body.code).toBe('challenge_failed');

    const ok = await ask(server, phone, proof);
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
    expect(server.services.consoleCodes.lastCodeFor(`+86${phone}`)).toMatch(/^\d{6}$/);
    // The same proof for another number: spent.
    const other = newPhone();
    const reused = await ask(server, other, proof);
    expect(reused.status).toBe(428);
    expect(reused.body.code).toBe('challenge_failed');
    expect(server.services.consoleCodes.lastCodeFor(`+86${other}`)).toBeUndefined();
  });

  it('an expired challenge fails; the schema refuses a malformed proof with a 400', async () => {
    for (let i = 0; i < POW_AFTER; i++) await ask(server, newPhone());
    const phone = newPhone();
    const { challenge } = (await ask(server, phone)).body;
    await sql`update reader_code_challenges set expires_at = now() - interval '1 second' where id = ${challenge.id}`.execute(server.db);
    const late = await ask(server, phone, withProof(challenge));
    expect(late.status).toBe(428);
    expect(late.body.code).toBe('challenge_failed');
    const malformed = await ask(server, phone, { pow: { challenge: challenge.id, nonce: 'a'.repeat(500) } });
    expect(malformed.status).toBe(400);
  });

  it('is documented in the OpenAPI document: the 428 and its challenge, the 429 with retryAfter', async () => {
    const doc = (await new ReaderClient(server.url).get('/api/docs/json')).body;
    const op = doc.paths['/api/reader/code'].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['202', '428', '429']));
    expect(op.description).toContain('SHA-256');
    expect(JSON.stringify(op.responses['428'])).toContain('difficulty');
    expect(JSON.stringify(op.responses['429'])).toContain('retryAfter');
  });
});

describe('the platform’s hourly budget', () => {
  it('past half the budget everyone proves work; when it is spent all get 429 and the operator hears once', async () => {
    const phones = Array.from({ length: 9 }, newPhone);
    const answers = [];
    for (const p of phones) {
      const first = await ask(budgetServer, p);
      answers.push(first.status === 428 ? { proofAsked: true, ...(await ask(budgetServer, p, withProof(first.body.challenge))) } : { proofAsked: false, ...first });
    }
    // 6 an hour: the first 3 free, the next 3 after a proof, then nothing, proof or not.
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202, 429, 429, 429]);
    expect(answers.map((a) => a.proofAsked)).toEqual([false, false, false, true, true, true, false, false, false]);
    expect(sentTo(budgetServer, phones)).toEqual(phones.slice(0, 6));
    expect(answers[6]!.body).toMatchObject({ code: 'code_budget_exhausted', detail: expect.stringMatching(/^验证码发送繁忙，请 \d+ (分钟|秒)后再试$/) });
    expect(answers[6]!.body.retryAfter).toBeLessThanOrEqual(3600);

    const alerts = await budgetServer.db.selectFrom('audit_log').select(['action', 'target_id', 'after', 'actor_user_id']).where('action', '=', 'reader.code_budget_exhausted').execute();
    expect(alerts).toEqual([{ action: 'reader.code_budget_exhausted', target_id: 'phone', after: { channel: 'phone', hourlyBudget: 6 }, actor_user_id: null }]);
    // Email has its own budget.
    expect((await budgetServer.client().post('/api/reader/code', { channel: 'email', destination: 'budget@example.com' })).status).toBe(202);
  });
});
