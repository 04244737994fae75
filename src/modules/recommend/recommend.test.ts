import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from '../../test/harness.ts';
import type { ChannelAdapter, ChannelRef } from '../distribution/contract.ts';
import { siteAdapters } from '../portal/site.adapters.ts';
import { channel, deliver, source, type StoryInput, unitByCode } from '../../test/site-store.ts';

let server: TestServer;
let adapters: ChannelAdapter[];
let jinjiang: { id: string; name: string; slug: string };
let portal: ChannelRef;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const eid = () => crypto.randomBytes(12).toString('base64url');

async function publish(s: Omit<StoryInput, 'unit'>) {
  const src = source({ unit: jinjiang, ...s });
  await deliver(adapters, portal, src);
  return src;
}

/** A device reads stories (tracker events), then the recommender folds them in, as its job does. */
async function read(device: string, itemIds: string[], at = new Date()) {
  const events = itemIds.map((item) => ({ id: eid(), type: 'read', at: at.toISOString(), item, unit: '510104', depth: 0.9, dwellMs: 60_000 }));
  const res = await new ApiClient(server.url).request('POST', '/api/reader/events', { device, events }, { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await server.services.readerEvents.buffer.flush();
  await server.services.recommend.catchUp();
}

type Feed = { subject: string; items: { itemId: string; title: string; category: string | null; reason: string; reasonKind: string }[] };
const feed = async (path: string) => {
  const res = await new ApiClient(server.url).get<Feed>(path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

const marathon = ['成都马拉松开跑，三万名跑者沿锦江赛道奔跑。', '马拉松赛道经过九眼桥，跑者补给站设在江边。', '赛事组委会说，马拉松志愿者超过两千人。'];
let readStory: { itemId: string; title: string };
let fillers: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  adapters = siteAdapters(server.db);
  jinjiang = await unitByCode(server.db, '510104');
  portal = channel('portal', jinjiang.id);
  readStory = await publish({ title: '成都马拉松鸣枪开跑', paragraphs: marathon, category: '体育', publishedAt: hoursAgo(30) });
  // Many stories of one category (民生) and a few of others, so diversity has something to do.
  for (let i = 0; i < 12; i++) {
    const s = await publish({ title: `社区便民服务点第${i + 1}站开放`, paragraphs: [`社区便民服务点为居民提供缴费、维修和咨询服务，第${i + 1}站今天开放。`], category: '民生', publishedAt: hoursAgo(2 + i) });
    fillers.push(s.itemId);
  }
  for (const [i, c] of ['文旅', '教育', '财经'].entries()) await publish({ title: `${c}新闻${i}`, paragraphs: [`${c}方面的消息，涉及本区的发展。`], category: c, publishedAt: hoursAgo(5 + i) });
});
afterAll(() => server.close());

describe('推荐 feed', () => {
  it('cold start: a brand-new story like one the reader read shows up at once, with the reason, and the read one never again', async () => {
    const device = 'dev-cold-start-01';
    await read(device, [readStory.itemId]);
    // Published after the reading, never read by anyone: only its text can recommend it.
    const fresh = await publish({ title: '马拉松跑者的赛道故事', paragraphs: ['马拉松跑者讲述锦江赛道上的故事，补给站的志愿者为跑者加油。', '这届马拉松的赛道更平。'], category: '体育' });
    const f = await feed(`/api/recommend/510104/feed?device=${device}`);
    expect(f.subject).toBe('device');
    const hit = f.items.find((i) => i.itemId === fresh.itemId);
    expect(hit, JSON.stringify(f.items.slice(0, 5))).toBeDefined();
    expect(hit!.reason).toBe('因为你读过《成都马拉松鸣枪开跑》');
    expect(f.items.slice(0, 3).map((i) => i.itemId)).toContain(fresh.itemId);
    expect(f.items.map((i) => i.itemId)).not.toContain(readStory.itemId);
    // Related stories of the one read: the new one first.
    const rel = await new ApiClient(server.url).get<{ items: { itemId: string; reason: string }[] }>(`/api/recommend/510104/items/${readStory.itemId}/related`);
    expect(rel.status).toBe(200);
    expect(rel.body.items[0]).toMatchObject({ itemId: fresh.itemId, reason: '内容相近' });
  });

  it('never shows anything the reader read, however popular', async () => {
    const device = 'dev-no-repeat-01';
    await read(device, fillers.slice(0, 6));
    for (let d = 0; d < 4; d++) await read(`dev-crowd-${d}-0001`, fillers.slice(0, 3));
    const f = await feed(`/api/recommend/510104/feed?device=${device}&limit=50`);
    for (const id of fillers.slice(0, 6)) expect(f.items.map((i) => i.itemId)).not.toContain(id);
  });

  it('diversity: never more than two stories of one category in a row while others remain', async () => {
    const f = await feed('/api/recommend/510104/feed?limit=12');
    const cats = f.items.map((i) => i.category);
    for (let i = 2; i < cats.length; i++) {
      const run = cats[i] === cats[i - 1] && cats[i] === cats[i - 2];
      const othersLeft = cats.slice(i).some((c) => c !== cats[i]);
      if (run) expect(othersLeft, cats.join(',')).toBe(false);
    }
  });

  it('anonymous readers get popular and fresh stories, with reasons', async () => {
    const popular = await publish({ title: '锦江区图书馆夜间开放', paragraphs: ['区图书馆开放夜间阅览室。'], category: '文化', publishedAt: hoursAgo(60) });
    const unread = await publish({ title: '锦江区公园调整开放时间', paragraphs: ['公园调整开放时间。'], category: '城建', publishedAt: hoursAgo(60) });
    for (let d = 0; d < 8; d++) await read(`dev-pop-${d}-00001`, [popular.itemId]);
    const f = await feed('/api/recommend/510104/feed?limit=50');
    expect(f.subject).toBe('anonymous');
    // As old as the unread one, but what everyone reads: it comes first, as 热门.
    const ids = f.items.map((i) => i.itemId);
    expect(ids.indexOf(popular.itemId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(popular.itemId)).toBeLessThan(ids.indexOf(unread.itemId));
    expect(f.items.find((i) => i.itemId === popular.itemId)).toMatchObject({ reason: '热门', reasonKind: 'popular' });
    expect(f.items.some((i) => i.reason === '新发布')).toBe(true);
    for (const i of f.items) expect(i.reason.length).toBeGreaterThan(0);
  });

  it('a retracted story disappears from every feed', async () => {
    const src = await publish({ title: '将被撤回的稿件', paragraphs: ['这篇稿件很快会被撤回。'], category: '时政' });
    expect((await feed('/api/recommend/510104/feed?limit=50')).items.map((i) => i.itemId)).toContain(src.itemId);
    await deliver(adapters, portal, src, 'retract');
    expect((await feed('/api/recommend/510104/feed?limit=50')).items.map((i) => i.itemId)).not.toContain(src.itemId);
  });
});

describe('本地 locality', () => {
  it('the county first, then the city; other places not in the local feed and behind in 推荐', async () => {
    const county = await publish({ title: '锦江区春熙路街区改造', paragraphs: ['春熙路街区改造完成。'], category: '城建', regionCode: '510104', publishedAt: hoursAgo(1) });
    const city = await publish({ title: '成都市地铁新线试运行', paragraphs: ['成都地铁新线开始试运行。'], category: '交通', regionCode: '510100', publishedAt: hoursAgo(1) });
    const away = await publish({ title: '乐山大佛景区限流', paragraphs: ['乐山大佛景区实行限流。'], category: '文旅', regionCode: '511102', publishedAt: hoursAgo(1) });
    const local = await feed('/api/recommend/510104/local?limit=50');
    const ids = local.items.map((i) => i.itemId);
    expect(ids).toContain(county.itemId);
    expect(ids).toContain(city.itemId);
    expect(ids).not.toContain(away.itemId);
    expect(ids.indexOf(county.itemId)).toBeLessThan(ids.indexOf(city.itemId));
    expect(local.items.find((i) => i.itemId === county.itemId)!.reason).toBe('本地');
    expect(local.items.find((i) => i.itemId === city.itemId)!.reason).toBe('同城');
    const all = (await feed('/api/recommend/510104/feed?limit=50')).items.map((i) => i.itemId);
    expect(all.indexOf(county.itemId)).toBeLessThan(all.indexOf(away.itemId));
  });
});

describe('editorial pins', () => {
  let editor: ApiClient;
  beforeAll(async () => {
    editor = new ApiClient(server.url);
    await editor.login('jinjiang_editor');
  });

  it('a pin leads the feed, a must-show slot is kept exactly, with 编辑推荐', async () => {
    const old = await publish({ title: '一篇编辑想让大家看到的旧稿', paragraphs: ['编辑推荐的内容。'], category: '评论', publishedAt: hoursAgo(200) });
    const slotted = await publish({ title: '必显位置的稿件', paragraphs: ['必须出现在第三条。'], category: '公告', publishedAt: hoursAgo(190) });
    expect((await editor.put('/api/recommend/pins', { unit: '510104', itemId: old.itemId })).status).toBe(200);
    expect((await editor.put('/api/recommend/pins', { unit: '510104', itemId: slotted.itemId, slot: 3 })).status).toBe(200);
    const f = await feed('/api/recommend/510104/feed?device=dev-pins-000001');
    expect(f.items[0]).toMatchObject({ itemId: old.itemId, reason: '编辑推荐', reasonKind: 'pinned' });
    expect(f.items[2]).toMatchObject({ itemId: slotted.itemId, reason: '编辑推荐' });
    const list = await editor.get<{ pins: { itemId: string; slot: number | null }[] }>('/api/recommend/pins?unit=510104');
    expect(list.body.pins.map((p) => p.slot)).toEqual([null, 3]);
    expect((await editor.delete(`/api/recommend/pins/510104/${slotted.itemId}`)).status).toBe(204);
    expect((await editor.delete(`/api/recommend/pins/510104/${old.itemId}`)).status).toBe(204);
    const audit = await server.db.selectFrom('audit_log').select('action').where('action', 'like', 'recommend.%').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['recommend.pin', 'recommend.unpin']));
  });

  it('another unit’s editor is refused; a story not live on the portal is a 400', async () => {
    const other = new ApiClient(server.url);
    await other.login('qingyang_editor');
    expect((await other.put('/api/recommend/pins', { unit: '510104', itemId: readStory.itemId })).status).toBe(403);
    expect((await other.get('/api/recommend/pins?unit=510104')).status).toBe(403);
    const reporter = new ApiClient(server.url);
    await reporter.login('jinjiang_reporter');
    expect((await reporter.put('/api/recommend/pins', { unit: '510104', itemId: readStory.itemId })).status).toBe(403);
    const res = await editor.put('/api/recommend/pins', { unit: '510104', itemId: crypto.randomUUID() });
    expect(res.status).toBe(400);
    expect(await server.db.selectFrom('rec_pins').selectAll().execute()).toEqual([]);
  });
});

describe('console preview and portal pages', () => {
  it('staff see the feed a test device sees, with reasons; only for their own unit', async () => {
    const editor = new ApiClient(server.url);
    await editor.login('jinjiang_editor');
    const res = await editor.get<Feed>('/api/recommend/preview?unit=510104&device=dev-cold-start-01');
    expect(res.status).toBe(200);
    expect(res.body.items.some((i) => i.reason.startsWith('因为你读过'))).toBe(true);
    const other = new ApiClient(server.url);
    await other.login('qingyang_editor');
    expect((await other.get('/api/recommend/preview?unit=510104')).status).toBe(403);
    expect((await new ApiClient(server.url).get('/api/recommend/preview?unit=510104')).status).toBe(401);
  });

  it('the portal has 推荐 and 本地 pages, private to the reader', async () => {
    const res = await fetch(`${server.url}/portal/510104/for-you`, { headers: { cookie: 'tf_device=dev-cold-start-01' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('<h1 class="page-title">推荐</h1>');
    expect(html).toContain('因为你读过《成都马拉松鸣枪开跑》');
    const local = await fetch(`${server.url}/portal/510104/local`);
    expect(await local.text()).toContain('本地');
  });

  it('bad input is a 4xx', async () => {
    const c = new ApiClient(server.url);
    expect((await c.get('/api/recommend/510104/feed?limit=0')).status).toBe(400);
    expect((await c.get('/api/recommend/510104/feed?device=x')).status).toBe(400);
    expect((await c.get('/api/recommend/999999/feed')).status).toBe(404);
    expect((await c.get(`/api/recommend/510104/items/${crypto.randomUUID()}/related`)).status).toBe(404);
  });
});
