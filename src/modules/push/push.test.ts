import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import { GetuiFake } from '../../test/fakes/getui.fake.ts';
import { JPushFake } from '../../test/fakes/jpush.fake.ts';
import { WebPushFake } from '../../test/fakes/webpush.fake.ts';
import { loopbackHttp } from '../../test/adapter-test-kit.ts';
import { ReaderClient } from '../../test/reader-client.ts';
import { createGetuiAdapter } from './adapters/getui.ts';
import { createJPushAdapter } from './adapters/jpush.ts';
import { createWebPushAdapter } from './adapters/webpush.ts';
import { earliestSend, inQuietHours } from './quiet-hours.ts';

let server: TestServer;
let webFake: WebPushFake;
let jpushFake: JPushFake;
let getuiFake: GetuiFake;
let phone = 13900000000;
const r: Record<string, { id: string; client: ReaderClient; endpoint?: string }> = {};
let jinjiangUnit = '';
let mianyangUnit = '';
let storyId = '';
let jpushApp = '';
let getuiApp = '';
// A working day, 11:00 in Shanghai, close to the real now so event partitions exist.
const day = new Date();
day.setUTCHours(3, 0, 0, 0);
const at = (iso: string) => () => new Date(iso);

async function signUp(unit: string, home: string, opts: { push?: boolean; interests?: string[]; follows?: string[] } = {}) {
  const c = new ReaderClient(server.url);
  const p = String(++phone);
  await c.post('/api/reader/code', { channel: 'phone', destination: p });
  const res = await c.post('/api/reader/signup', {
    channel: 'phone',
    destination: p,
    code: server.services.consoleCodes.lastCodeFor(`+86${p}`),
    unit,
    homeDivision: home,
    interests: opts.interests ?? [],
    consents: (opts.push === false ? ['personalisation'] : ['personalisation', 'push']).map((purpose) => ({ purpose, granted: true })),
    consentVersion: 'v1',
  });
  expect(res.status).toBe(201);
  if (opts.follows) expect((await c.patch('/api/reader/me', { follows: opts.follows })).status).toBe(200);
  return { id: res.body.readerId as string, client: c };
}

async function subscribeWeb(name: string) {
  const sub = webFake.subscribe();
  const res = await r[name]!.client.post('/api/reader/push/registrations', { kind: 'webpush', ...sub });
  expect(res.status).toBe(201);
  r[name]!.endpoint = sub.endpoint;
}

async function reads(readerId: string, n: number, daysAgo = 1) {
  const when = new Date(Date.now() - daysAgo * 86_400_000);
  for (let i = 0; i < n; i++) {
    await sql`insert into reader_events (occurred_at, event_id, type, reader_id, device_id, item_id, depth, dwell_ms)
      values (${when}, ${crypto.randomUUID()}, 'read', ${readerId}, ${'dev-' + readerId.slice(0, 8)}, ${crypto.randomUUID()}, 0.9, 30000)`.execute(server.db);
  }
}

beforeAll(async () => {
  server = await startTestServer();
  webFake = await new WebPushFake().start();
  jpushFake = await new JPushFake().start();
  getuiFake = await new GetuiFake().start();
  const http = loopbackHttp();
  const adapters = server.services.pushCampaigns.adapters;
  adapters.set('webpush', createWebPushAdapter({ http, vapid: () => server.services.pushVapid.keys() }));
  adapters.set('jpush', createJPushAdapter({ http }));
  adapters.set('getui', createGetuiAdapter({ http }));
  server.services.pushClock.now = () => day;

  const units = await sql<{ id: string; division_code: string }>`select id, division_code from units where division_code in ('510104', '510700')`.execute(server.db);
  jinjiangUnit = units.rows.find((u) => u.division_code === '510104')!.id;
  mianyangUnit = units.rows.find((u) => u.division_code === '510700')!.id;
  storyId = crypto.randomUUID();
  await sql`insert into site_items (channel_id, item_id, kind, site_unit_id, site_unit_slug, unit_id, unit_name, unit_slug, item_type, title, link, canonical_url, revision, published_at, idempotency_key)
    values (${crypto.randomUUID()}, ${storyId}, 'portal', ${jinjiangUnit}, '510104', ${jinjiangUnit}, '锦江区融媒体中心', '510104', 'article', '东大街灯会今晚开幕',
      'http://x/portal/510104/a/1', 'http://x/portal/510104/a/1', 1, now(), ${crypto.randomUUID()})`.execute(server.db);

  const admin = await server.as('jinjiang_admin');
  const j = await admin.post('/api/push/apps', { kind: 'jpush', name: '锦江发布 App', config: { apiBase: jpushFake.base, apnsProduction: 'false' }, secrets: { appKey: jpushFake.appKey, masterSecret: jpushFake.masterSecret } });
  expect(j.status).toBe(201);
  expect(JSON.stringify(j.body)).not.toContain(jpushFake.masterSecret);
  jpushApp = j.body.id;
  const g = await admin.post('/api/push/apps', { kind: 'getui', name: '锦江发布 App（个推）', config: { apiBase: getuiFake.base }, secrets: { appId: getuiFake.appId, appKey: getuiFake.appKey, masterSecret: getuiFake.masterSecret } });
  expect(g.status).toBe(201);
  getuiApp = g.body.id;

  // A: 锦江 reader at home, likes 体育, reads a lot, web push.   B: 锦江-registered, lives in 青羊, JPush app.
  // C: 青羊 reader following 锦江, Getui app.   D: no push consent.   E: 绵阳.   F: push withdrawn.
  r.A = await signUp('510104', '510104', { interests: ['体育', '美食'] });
  r.B = await signUp('510104', '510105', { interests: ['美食'] });
  r.C = await signUp('510105', '510105', { follows: ['510104'] });
  r.D = await signUp('510104', '510104', { push: false });
  r.E = await signUp('510700', '510703');
  r.F = await signUp('510104', '510104');
  await subscribeWeb('A');
  await subscribeWeb('D');
  await subscribeWeb('E');
  await subscribeWeb('F');
  jpushFake.devices.add('140fe1da9e8d2e3c0a1');
  expect((await r.B!.client.post('/api/reader/push/registrations', { kind: 'jpush', app: jpushApp, registrationId: '140fe1da9e8d2e3c0a1' })).status).toBe(201);
  expect((await r.C!.client.post('/api/reader/push/registrations', { kind: 'getui', app: getuiApp, registrationId: 'cid0c1d2e3f4a5b6c7d' })).status).toBe(201);
  expect((await r.F!.client.put('/api/reader/me/consents', { consents: [{ purpose: 'push', granted: false }], version: 'v2' })).status).toBe(200);
  await reads(r.A.id, 3);
  await reads(r.B.id, 1, 5);
});

afterAll(async () => {
  await server.close();
  await Promise.all([webFake.close(), jpushFake.close(), getuiFake.close()]);
});

const count = async (definition: object, as = 'jinjiang_admin', unitId?: string) => {
  const res = await (await server.as(as)).post('/api/push/segments/count', { definition, ...(unitId ? { unitId } : {}) });
  return res.status === 200 ? (res.body.count as number) : res.status;
};

describe('segment counts', () => {
  it('every condition alone, and only readers who consented to push and can be reached', async () => {
    expect(await count({})).toBe(3); // A, B, C — not D (no consent), F (withdrawn), E (绵阳)
    expect(await count({ regions: ['510104'] })).toBe(1);
    expect(await count({ regions: ['510105'] })).toBe(2);
    expect(await count({ regions: ['510100'] })).toBe(3); // 成都市: all its districts
    expect(await count({ interests: ['美食'] })).toBe(2);
    expect(await count({ interests: ['体育', '科技'] })).toBe(1);
    expect(await count({ activeWithinDays: 3 })).toBe(1);
    expect(await count({ activeWithinDays: 7 })).toBe(2);
    expect(await count({ minReads: 3 })).toBe(1);
    expect(await count({ minReads: 4 })).toBe(0);
    expect(await count({ channels: ['webpush'] })).toBe(1);
    expect(await count({ channels: ['jpush', 'getui'] })).toBe(2);
    expect(await count({ apps: [getuiApp] })).toBe(1);
  });

  it('combinations narrow; bad conditions are a 400 naming the field', async () => {
    expect(await count({ regions: ['510105'], interests: ['美食'] })).toBe(1);
    expect(await count({ regions: ['510105'], channels: ['getui'] })).toBe(1);
    expect(await count({ regions: ['510100'], activeWithinDays: 30, minReads: 1, interests: ['美食'] })).toBe(2);
    expect(await count({ regions: ['510104'], channels: ['jpush'] })).toBe(0);
    const bad = await (await server.as('jinjiang_admin')).post('/api/push/segments/count', { definition: { regions: ['519999'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('definition/regions/0');
    expect(bad.body.detail).toBe('没有这个行政区划：519999');
    // A name typed where a code belongs: refused in Chinese, telling the editor the code to use.
    const named = await (await server.as('jinjiang_admin')).post('/api/push/segments/count', { definition: { regions: ['大邑县'] } });
    expect(named.status).toBe(400);
    expect(named.body.detail).toBe('没有这个行政区划：大邑县（地区请填区划代码：成都市大邑县 是 510129）');
    expect((await (await server.as('jinjiang_admin')).post('/api/push/segments/count', { definition: { minReads: 0 } })).status).toBe(400);
  });

  it('is scoped to the unit: the root counts everyone, other units are refused', async () => {
    expect(await count({}, 'admin')).toBe(4);
    expect(await count({}, 'mianyang_admin')).toBe(1);
    expect(await count({}, 'chengdu_admin', jinjiangUnit)).toBe(3);
    expect(await count({}, 'jinjiang_admin', mianyangUnit)).toBe(403);
    expect(await count({}, 'jinjiang_reporter')).toBe(403);
    // Another unit's app cannot be used to reach its readers.
    expect(await count({ apps: [jpushApp] }, 'mianyang_admin')).toBe(400);
    const saved = await (await server.as('jinjiang_admin')).post('/api/push/segments', { name: '锦江美食', definition: { interests: ['美食'] } });
    expect(saved.status).toBe(201);
    const mianyang = await server.as('mianyang_admin');
    expect((await mianyang.put(`/api/push/segments/${saved.body.id}`, { name: 'x', definition: {} })).status).toBe(404);
    expect((await mianyang.post('/api/push/campaigns', { title: 't', body: 'b', itemId: storyId, segmentId: saved.body.id })).status).toBe(404);
    // A story not on the unit's portals cannot be pushed.
    expect((await mianyang.post('/api/push/campaigns', { title: 't', body: 'b', itemId: storyId, definition: {} })).status).toBe(400);
  });
});

describe('campaigns', () => {
  it('sends to each channel, records deliveries and opens', async () => {
    const admin = await server.as('jinjiang_admin');
    const created = await admin.post('/api/push/campaigns', { title: '灯会今晚开幕', body: '东大街灯会今晚七点开幕', itemId: storyId, definition: {} });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('scheduled');
    expect(await server.services.pushCampaigns.run(created.body.id)).toEqual({ audience: 3, capped: 0 });

    const got = webFake.messagesFor(r.A!.endpoint!);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ title: '灯会今晚开幕', body: '东大街灯会今晚七点开幕', campaign: created.body.id });
    expect(webFake.messagesFor(r.D!.endpoint!)).toHaveLength(0);
    expect(webFake.messagesFor(r.F!.endpoint!)).toHaveLength(0);
    expect(jpushFake.received.get('140fe1da9e8d2e3c0a1')![0]!.title).toBe('灯会今晚开幕');
    expect(getuiFake.received.get('cid0c1d2e3f4a5b6c7d')![0]!.url).toContain(`/push/o/${created.body.id}?r=${r.C!.id}.`);

    // A taps the notification: the tracked link counts the open and goes to the story.
    const url = new URL(String(got[0]!.url));
    const open = await fetch(`${server.url}${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(open.status).toBe(302);
    expect(open.headers.get('location')).toContain(`/portal/510104/a/${storyId}`);
    // A forged token counts nothing.
    await fetch(`${server.url}${url.pathname}?r=${r.B!.id}.AAAAAAAAAAAAAAAAAAAAAA`, { redirect: 'manual' });

    const result = await admin.get(`/api/push/campaigns/${created.body.id}`);
    expect(result.body.state).toBe('sent');
    expect(result.body.results).toMatchObject({ sent: 3, delivered: 3, failed: 0, opened: 1, audience: 3, capped: 0 });
    expect(result.body.results.openRate).toBeCloseTo(0.333, 2);
    expect(result.body.results.deliveries).toEqual(expect.arrayContaining([{ channel: 'webpush', status: 'accepted', count: 1 }, { channel: 'jpush', status: 'accepted', count: 1 }]));
  });

  it('a dead subscription is recorded as failed and removed', async () => {
    webFake.unsubscribe(r.A!.endpoint!);
    const admin = await server.as('jinjiang_admin');
    const c = await admin.post('/api/push/campaigns', { title: '再推一次', body: '测试', itemId: storyId, definition: { channels: ['webpush'] } });
    await server.services.pushCampaigns.run(c.body.id);
    const res = await admin.get(`/api/push/campaigns/${c.body.id}`);
    expect(res.body.results).toMatchObject({ sent: 1, delivered: 0, failed: 1 });
    expect(await count({ channels: ['webpush'] })).toBe(0);
    await subscribeWeb('A');
  });

  it('frequency cap: at most 3 pushes per reader in 24 h, across units', async () => {
    // A has had 2 (the two campaigns above). 绵阳's alliance-wide view: the root admin pushes a third to everyone.
    const root = await server.as('admin');
    const third = await root.post('/api/push/campaigns', { title: '全省要闻', body: '第三条', itemId: storyId, definition: { regions: ['510104'] } });
    expect(third.status).toBe(201);
    expect(await server.services.pushCampaigns.run(third.body.id)).toEqual({ audience: 1, capped: 0 });
    const admin = await server.as('jinjiang_admin');
    const fourth = await admin.post('/api/push/campaigns', { title: '第四条', body: '超出上限', itemId: storyId, definition: {} });
    expect(await server.services.pushCampaigns.run(fourth.body.id)).toEqual({ audience: 3, capped: 1 });
    expect(webFake.messagesFor(r.A!.endpoint!).map((m) => m.title)).toEqual(['全省要闻']);
    // A day later the window has moved on.
    server.services.pushClock.now = () => new Date(day.getTime() + 86_400_000 + 60_000);
    const fifth = await admin.post('/api/push/campaigns', { title: '第五条', body: '次日', itemId: storyId, definition: { regions: ['510104'] } });
    expect(await server.services.pushCampaigns.run(fifth.body.id)).toEqual({ audience: 1, capped: 0 });
    server.services.pushClock.now = () => day;
  });

  it('quiet hours defer a campaign to 08:00 Shanghai; urgent goes at once; a scheduled one can be cancelled', async () => {
    const admin = await server.as('jinjiang_admin');
    const night = new Date(day.getTime() + 12 * 3_600_000 + 30 * 60_000); // 15:30 UTC = 23:30 Shanghai
    server.services.pushClock.now = () => night;
    const deferred = await admin.post('/api/push/campaigns', { title: '夜间', body: '不打扰', itemId: storyId, definition: { channels: ['getui'] } });
    const morning = new Date(day.getTime() + 21 * 3_600_000); // next day 00:00 UTC = 08:00 Shanghai
    expect(deferred.body.scheduledAt).toBe(morning.toISOString());
    expect(await server.services.pushCampaigns.run(deferred.body.id)).toEqual({ deferredUntil: morning.toISOString() });
    const urgent = await admin.post('/api/push/campaigns', { title: '紧急', body: '暴雨预警', itemId: storyId, urgent: true, definition: { channels: ['getui'] } });
    expect(urgent.body.scheduledAt).toBe(night.toISOString());
    expect((await server.services.pushCampaigns.run(urgent.body.id)).audience).toBe(1);
    server.services.pushClock.now = () => morning;
    expect((await server.services.pushCampaigns.run(deferred.body.id)).audience).toBe(1);

    const later = await admin.post('/api/push/campaigns', { title: '定时', body: '明天', itemId: storyId, definition: {}, scheduledAt: new Date(morning.getTime() + 3_600_000).toISOString() });
    expect((await admin.post(`/api/push/campaigns/${later.body.id}/cancel`, {})).body.state).toBe('cancelled');
    expect(await server.services.pushCampaigns.run(later.body.id)).toEqual({ skipped: 'cancelled' });
    expect((await admin.post(`/api/push/campaigns/${later.body.id}/cancel`, {})).status).toBe(409);
    server.services.pushClock.now = () => day;
  });
});

describe('quiet hours (injected clock)', () => {
  it('22:00–08:00 Asia/Shanghai is quiet', () => {
    expect(inQuietHours(new Date('2026-11-27T13:59:00Z'))).toBe(false); // 21:59
    expect(inQuietHours(new Date('2026-11-27T14:00:00Z'))).toBe(true); // 22:00
    expect(inQuietHours(new Date('2026-11-27T23:59:00Z'))).toBe(true); // 07:59
    expect(inQuietHours(new Date('2026-11-28T00:00:00Z'))).toBe(false); // 08:00
    expect(earliestSend(at('2026-11-27T15:00:00Z')(), false).toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(earliestSend(at('2026-11-27T18:30:00Z')(), false).toISOString()).toBe('2026-11-28T00:00:00.000Z'); // 02:30 → same morning
    expect(earliestSend(at('2026-11-27T15:00:00Z')(), true).toISOString()).toBe('2026-11-27T15:00:00.000Z');
    expect(earliestSend(at('2026-11-27T05:00:00Z')(), false).toISOString()).toBe('2026-11-27T05:00:00.000Z');
  });
});
