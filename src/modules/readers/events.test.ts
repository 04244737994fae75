import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import { ReaderClient, ageReaderCodes } from '../../test/reader-client.ts';
import { partitionBounds } from './partitions.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const client = () => new ReaderClient(server.url);
const eid = () => crypto.randomBytes(12).toString('base64url');
const now = () => new Date().toISOString();
const ITEM = '11111111-1111-4111-8111-111111111111';
const flush = () => server.services.readerEvents.flushBefore();
const eventsOf = (deviceId: string) => server.db.selectFrom('reader_events').selectAll().where('device_id', '=', deviceId).execute();
let phoneSerial = 13900000000;

async function signUp(c: ReaderClient, consents: string[], deviceId?: string) {
  const phone = String(++phoneSerial);
  await c.post('/api/reader/code', { channel: 'phone', destination: phone });
  const res = await c.post('/api/reader/signup', {
    channel: 'phone',
    destination: phone,
    code: server.services.consoleCodes.lastCodeFor(`+86${phone}`),
    unit: '510104',
    homeDivision: '510104',
    consents: consents.map((purpose) => ({ purpose, granted: true })),
    consentVersion: 'v1',
    ...(deviceId ? { deviceId } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { readerId: string; mergedEvents: number };
}

describe('event validation', () => {
  it('accepts a batch of every type and writes it in one go', async () => {
    const device = 'dev-valid-000001';
    const events = [
      { id: eid(), type: 'view', at: now(), item: ITEM, unit: '510104' },
      { id: eid(), type: 'read', at: now(), item: ITEM, unit: '510104', depth: 0.8, dwellMs: 45_000 },
      { id: eid(), type: 'click', at: now(), target: '/portal/510104/a/x' },
      { id: eid(), type: 'share', at: now(), item: ITEM, target: 'wechat' },
      { id: eid(), type: 'like', at: now(), item: ITEM },
      { id: eid(), type: 'follow', at: now(), unit: '510105' },
      { id: eid(), type: 'push_open', at: now(), target: 'campaign-1' },
    ];
    const res = await client().post('/api/reader/events', { device, events });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ accepted: 7, duplicates: 0, filtered: 0 });
    await flush();
    const rows = await eventsOf(device);
    expect(rows.map((r) => r.type).sort()).toEqual(['click', 'follow', 'like', 'push_open', 'read', 'share', 'view']);
    const read = rows.find((r) => r.type === 'read')!;
    expect(read).toMatchObject({ depth: 0.8, dwell_ms: 45_000, item_id: ITEM, reader_id: null });
  });

  it('refuses a batch with a bad event, naming its index, and keeps none of it', async () => {
    const device = 'dev-invalid-0001';
    const good = { id: eid(), type: 'view', at: now(), unit: '510104' };
    const cases: [unknown, number, string][] = [
      [{ id: eid(), type: 'teleport', at: now() }, 2, 'type'],
      [{ id: eid(), type: 'read', at: now(), item: ITEM, depth: 1.5 }, 2, 'depth'],
      [{ id: eid(), type: 'read', at: now(), item: ITEM }, 2, 'depth'],
      [{ id: eid(), type: 'view', at: 'yesterday' }, 2, 'at'],
      [{ id: eid(), type: 'view', at: new Date(Date.now() - 8 * 86_400_000).toISOString() }, 2, 'at'],
      [{ id: eid(), type: 'view', at: now(), unit: '999999' }, 2, 'unit'],
      [{ id: 'short', type: 'view', at: now() }, 2, 'id'],
      [{ id: eid(), type: 'view', at: now(), extra: 1 }, 2, 'extra'],
    ];
    for (const [bad, index, field] of cases) {
      const res = await client().post('/api/reader/events', { device, events: [good, { ...good, id: eid() }, bad] });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.index, JSON.stringify(res.body)).toBe(index);
      expect(res.body.detail).toContain(`第 ${index} 个事件`);
      expect(JSON.stringify(res.body.errors ?? res.body.field)).toContain(`events/${index}/${field}`);
    }
    const tooMany = await client().post('/api/reader/events', { device, events: Array.from({ length: 501 }, () => ({ ...good, id: eid() })) });
    expect(tooMany.status).toBe(400);
    await flush();
    expect(await eventsOf(device)).toHaveLength(0);
  });

  it('corrects a client clock that is off, using the batch sentAt', async () => {
    const device = 'dev-skewed-00001';
    const skewed = new Date(Date.now() + 3 * 3600_000);
    const res = await client().post('/api/reader/events', { device, sentAt: skewed.toISOString(), events: [{ id: eid(), type: 'view', at: skewed.toISOString() }] });
    expect(res.status).toBe(202);
    await flush();
    const [row] = await eventsOf(device);
    expect(Math.abs(new Date(row!.occurred_at).getTime() - Date.now())).toBeLessThan(60_000);
  });
});

describe('bot and duplicate filtering', () => {
  it('drops crawlers by user agent and clients at impossible rates, without telling them', async () => {
    const bot = client();
    const res = await bot.request('POST', '/api/reader/events', { device: 'dev-bot-0000001', events: [{ id: eid(), type: 'view', at: now() }] }, { 'user-agent': 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 0, duplicates: 0, filtered: 1 });
    expect((await client().request('POST', '/api/reader/events', { events: [{ id: eid(), type: 'view', at: now() }] }, { 'user-agent': 'curl/8.5.0' })).body.filtered).toBe(1);

    // 60 page views in a few seconds from one device: no person reads like that.
    const device = 'dev-fast-0000001';
    const c = client();
    let filtered = 0;
    for (let i = 0; i < 6; i++) {
      const r = await c.post('/api/reader/events', { device, events: Array.from({ length: 10 }, () => ({ id: eid(), type: 'view', at: now(), item: ITEM })) });
      filtered += r.body.filtered;
    }
    expect(filtered).toBeGreaterThan(0);
    // Once flagged, the device stays out for a while.
    expect((await c.post('/api/reader/events', { device, events: [{ id: eid(), type: 'read', at: now(), item: ITEM, depth: 1 }] })).body.filtered).toBe(1);
    await flush();
    expect((await eventsOf('dev-bot-0000001')).length).toBe(0);
    expect((await eventsOf(device)).length).toBeLessThanOrEqual(50);
  });

  it('stores a resent event once, whether the resend hits memory or the database', async () => {
    const device = 'dev-dupes-000001';
    const e = { id: eid(), type: 'view', at: now(), unit: '510104' };
    const c = client();
    expect((await c.post('/api/reader/events', { device, events: [e, e] })).body).toEqual({ accepted: 1, duplicates: 1, filtered: 0 });
    expect((await c.post('/api/reader/events', { device, events: [e] })).body).toEqual({ accepted: 0, duplicates: 1, filtered: 0 });
    await flush();
    // Another process (no memory of the id) writing the same event: the unique index keeps one.
    await server.services.readerEvents.buffer.push([{ occurredAt: new Date(e.at), eventId: e.id, type: 'view', readerId: null, deviceId: device, unitId: null, itemId: null, depth: null, dwellMs: null, target: null, divisionCode: null }]);
    await flush();
    expect(await eventsOf(device)).toHaveLength(1);
  });
});

describe('consent and identity', () => {
  it('merges a device’s anonymous reading into the account at sign-up and at later sign-in', async () => {
    const device = 'dev-merge-000001';
    const c = client();
    const anon = Array.from({ length: 3 }, () => ({ id: eid(), type: 'view', at: now(), item: ITEM, unit: '510104' }));
    expect((await c.post('/api/reader/events', { device, events: anon })).body.accepted).toBe(3);
    const { readerId, mergedEvents } = await signUp(c, ['personalisation', 'analytics'], device);
    expect(mergedEvents).toBe(3);
    await c.post('/api/reader/events', { device, events: [{ id: eid(), type: 'read', at: now(), item: ITEM, depth: 0.5 }] });
    await flush();
    const mine = await server.db.selectFrom('reader_events').select(['type', 'division_code']).where('reader_id', '=', readerId).execute();
    expect(mine).toHaveLength(4);
    // Analytics consent lets the signed-in event count towards the home region.
    expect(mine.filter((m) => m.division_code === '510104')).toHaveLength(1);

    // A second device used anonymously, then signed in with the password-less code flow: merged too.
    const phone = (await server.db.selectFrom('readers').select('phone').where('id', '=', readerId).executeTakeFirstOrThrow()).phone!;
    const tablet = client();
    tablet.deviceCookie = 'tf_device=dev-merge-tablet01';
    await tablet.post('/api/reader/events', { device: 'dev-merge-tablet01', events: [{ id: eid(), type: 'view', at: now(), item: ITEM }] });
    await ageReaderCodes(server.db, 120);
    await tablet.post('/api/reader/code', { channel: 'phone', destination: phone });
    const login = await tablet.post('/api/reader/session/code', { channel: 'phone', destination: phone, code: server.services.consoleCodes.lastCodeFor(phone) });
    expect(login.body).toMatchObject({ readerId, mergedEvents: 1 });
    expect(await server.db.selectFrom('reader_devices').select('device_id').where('reader_id', '=', readerId).orderBy('device_id').execute()).toEqual([
      { device_id: 'dev-merge-000001' },
      { device_id: 'dev-merge-tablet01' },
    ]);
  });

  it('keeps events of a reader without personalisation consent out of their name, and merges nothing', async () => {
    const device = 'dev-noconsent-01';
    const c = client();
    await c.post('/api/reader/events', { device, events: [{ id: eid(), type: 'view', at: now(), item: ITEM }] });
    const { readerId, mergedEvents } = await signUp(c, ['push'], device);
    expect(mergedEvents).toBe(0);
    const signedIn = eid();
    await c.post('/api/reader/events', { device, events: [{ id: signedIn, type: 'view', at: now(), item: ITEM }] });
    await flush();
    expect(await server.db.selectFrom('reader_events').select('event_id').where('reader_id', '=', readerId).execute()).toHaveLength(0);
    const row = await server.db.selectFrom('reader_events').selectAll().where('event_id', '=', signedIn).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ reader_id: null, device_id: null, division_code: null });
    // Granting it later applies from then on.
    await c.put('/api/reader/me/consents', { consents: [{ purpose: 'personalisation', granted: true }], version: 'v2' });
    await c.post('/api/reader/events', { device, events: [{ id: eid(), type: 'view', at: now(), item: ITEM }] });
    await flush();
    expect(await server.db.selectFrom('reader_events').select('event_id').where('reader_id', '=', readerId).execute()).toHaveLength(1);
  });
});

describe('day partitions', () => {
  it('stores events in per-day partitions and creates a missing day on demand', async () => {
    const { rows } = await sql<{ strategy: string }>`select partstrat as strategy from pg_partitioned_table where partrelid = 'reader_events'::regclass`.execute(server.db);
    expect(rows[0]?.strategy).toBe('r');
    // Drop the partition six days back (empty), then send an event for that day.
    const day = new Date(Date.now() - 6 * 86_400_000);
    const { name } = partitionBounds(day);
    await sql`drop table if exists ${sql.table(name)}`.execute(server.db);
    const fresh = new ReaderClient(server.url);
    const id = eid();
    // A new buffer (as a fresh process would have) learns the partitions from the catalogue.
    (server.services.readerEvents.buffer as unknown as { knownPartitions: Set<string> | null }).knownPartitions = null;
    expect((await fresh.post('/api/reader/events', { device: 'dev-partition-01', events: [{ id, type: 'view', at: day.toISOString() }] })).status).toBe(202);
    await flush();
    const where = await sql<{ part: string }>`select tableoid::regclass::text as part from reader_events where event_id = ${id}`.execute(server.db);
    expect(where.rows[0]?.part).toBe(name);
  });
});

describe('upkeep', () => {
  it('the nightly job creates the next two weeks of partitions and purges expired sessions', async () => {
    const ahead = partitionBounds(new Date(Date.now() + 14 * 86_400_000)).name;
    await sql`drop table if exists ${sql.table(ahead)}`.execute(server.db);
    const job = server.services.jobs.find((j) => j.name === 'readers.upkeep')!;
    const result = (await job.handler({})) as { partitionsCreated: number };
    expect(result.partitionsCreated).toBeGreaterThanOrEqual(1);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_class where relname = ${ahead}`.execute(server.db);
    expect(rows[0]!.n).toBe(1);
  });
});

describe('partition days', () => {
  it('cuts days at midnight in Sichuan (UTC+8), not at UTC midnight', () => {
    expect(partitionBounds(new Date('2026-11-27T15:59:59Z')).name).toBe('reader_events_20261127');
    expect(partitionBounds(new Date('2026-11-27T16:00:00Z'))).toEqual({ name: 'reader_events_20261128', day: '2026-11-28', from: '2026-11-28 00:00:00+08', to: '2026-11-29 00:00:00+08' });
    expect(partitionBounds(new Date('2026-12-31T20:00:00Z')).to).toBe('2027-01-02 00:00:00+08');
  });
});
