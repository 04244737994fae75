import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import { type ApiClient, type TestServer, startTestServer } from '../../../test/harness.ts';
import { atom, brokenRss, jsonFeed, newsml, ninjs, rss2, startFeedServer } from '../../../test/feeds.ts';

let server: TestServer;
let feeds: Awaited<ReturnType<typeof startFeedServer>>;
let editor: ApiClient; // 青羊区 editor
let jinjiangAdmin: ApiClient; // 锦江区 unit admin
let jinjiangReporter: ApiClient; // 锦江区 reporter

/** Tests reach the local feed server through a client that may connect to loopback, and nothing else private. */
const loopbackClient = new OutboundHttpClient({ allowLoopback: true });

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  feeds = await startFeedServer({
    '/rss.xml': { body: rss2, etag: '"rss-v1"' },
    '/atom.xml': { body: atom, contentType: 'application/atom+xml' },
    '/feed.json': { body: jsonFeed, contentType: 'application/feed+json' },
    '/ninjs.json': { body: ninjs, contentType: 'application/json' },
    '/newsml.xml': { body: newsml },
  });
  server.services.ingest.outbound = loopbackClient;
  editor = await server.as('qingyang_editor');
  jinjiangAdmin = await server.as('jinjiang_admin');
  jinjiangReporter = await server.as('jinjiang_reporter');
});
afterAll(async () => {
  await server?.close();
  await feeds?.close();
});

function rssOf(title: string, items: { guid: string; title: string; text: string }[]) {
  const entries = items
    .map((i) => `<item><title>${i.title}</title><guid>${i.guid}</guid><description><![CDATA[${i.text.split('\n').map((p) => `<p>${p}</p>`).join('')}]]></description></item>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title>${entries}</channel></rss>`;
}

/** Every source in these tests is created paused, so the minute cron never races a manual pull; "pull now" works regardless. */
async function addSource(client: ApiClient, path: string, extra: Record<string, unknown> = {}) {
  const res = await client.post('/api/ingest/sources', { name: `测试源 ${path}`, url: feeds.url(path), paused: true, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; status: string };
}

const incoming = async (client: ApiClient) => (await client.get('/api/items?view=incoming&limit=100')).body.items as { id: string; title: string }[];

const countItems = async () => Number((await server.db.selectFrom('content_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('ingest', () => {
  it('refuses loopback targets unless allowed: at entry for an IP literal, at fetch time for a name', async () => {
    server.services.ingest.outbound = new OutboundHttpClient();
    try {
      const literal = await editor.post('/api/ingest/sources', { name: '本机', url: feeds.url('/rss.xml') });
      expect(literal.status).toBe(400);
      expect(literal.body.code).toBe('blocked_address');
      expect(literal.body.detail).toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
      expect((await editor.post('/api/ingest/sources', { name: '元数据', url: 'http://169.254.169.254/latest/meta-data/' })).status).toBe(400);

      const named = await editor.post('/api/ingest/sources', { name: '本机域名', url: `http://localhost:${feeds.port}/rss.xml`, paused: true });
      expect(named.status).toBe(201);
      const hits = feeds.hits.length;
      const pulled = await editor.post(`/api/ingest/sources/${named.body.id}/pull`);
      expect(pulled.status).toBe(200);
      expect(pulled.body.status).toBe('error');
      expect(pulled.body.error).toContain('拒绝访问');
      expect(feeds.hits.length).toBe(hits);
      const source = (await editor.get(`/api/ingest/sources/${named.body.id}`)).body;
      expect(source.status).toBe('error');
      expect(source.lastError).toMatch(/拒绝访问.*Refused to connect/);
      await editor.delete(`/api/ingest/sources/${named.body.id}`);
    } finally {
      server.services.ingest.outbound = loopbackClient;
    }
  });

  it('pulls RSS, Atom, JSON Feed, NINJS and NewsML-G2 into the incoming queue with their fields', async () => {
    const expected = { '/rss.xml': 3, '/atom.xml': 2, '/feed.json': 2, '/ninjs.json': 2, '/newsml.xml': 2 };
    const started = performance.now();
    for (const [path, n] of Object.entries(expected)) {
      const source = await addSource(editor, path);
      expect(source.status).toBe('never');
      const pulled = await editor.post(`/api/ingest/sources/${source.id}/pull`);
      expect(pulled.status).toBe(200);
      expect(pulled.body, path).toMatchObject({ status: 'ok', entries: n, imported: n, seen: 0, nearDuplicates: 0, error: null });
      const after = (await editor.get(`/api/ingest/sources/${source.id}`)).body;
      expect(after).toMatchObject({ status: 'ok', lastError: null, itemCount: n });
      expect(after.lastSuccessAt).not.toBeNull();
    }
    console.info(`ingest: 11 entries from 5 feeds pulled and imported in ${Math.round(performance.now() - started)} ms (HTTP round trips included)`);

    const queue = await incoming(editor);
    expect(queue).toHaveLength(11);
    const metro = queue.find((i) => i.title.startsWith('成都地铁示范线'))!;
    const item = (await editor.get(`/api/items/${metro.id}`)).body;
    expect(item).toMatchObject({
      status: 'incoming',
      unitName: '青羊区融媒体中心',
      source: '锦官城晨报',
      creditLine: '锦官城晨报',
      byline: '晨报记者 周明远',
      tags: ['交通', '民生'],
      embargoUntil: null,
      language: 'zh-CN',
      revision: 1,
    });
    expect(item.bodyHtml).toBe(
      '<p>3月2日上午，成都地铁示范线正式开通试运营，全线设站十二座，连接锦江区与龙泉驿区。</p>' +
        '<p>据运营方介绍，开通后沿线居民早高峰通勤时间平均缩短二十分钟，首班车六点三十分发车。</p>' +
        '<p>市民王女士说：“以前要换乘两次，现在一趟就到。”</p>',
    );
    const wire = (await editor.get(`/api/items/${queue.find((i) => i.title.startsWith('川渝两地'))!.id}`)).body;
    expect(wire).toMatchObject({ summary: '二十条跨省旅游线路发布', byline: '通讯员 何平', creditLine: '示例通讯社供稿', tags: ['旅游', '川渝', '春游'] });
    const g2 = (await editor.get(`/api/items/${queue.find((i) => i.title.startsWith('四川一季度外贸'))!.id}`)).body;
    expect(g2).toMatchObject({ byline: '记者 杨帆', creditLine: '示例省级通讯社', tags: ['经济', '外贸'] });

    // Incoming items are the unit's own: not in its hub view until accepted, invisible to other units.
    expect((await editor.get('/api/items?view=unit&limit=100')).body.items.map((i: { id: string }) => i.id)).not.toContain(metro.id);
    expect((await jinjiangReporter.get(`/api/items/${metro.id}`)).status).toBe(404);

    // The understanding job reads ingested items too, and agrees with ingest on the fingerprint.
    const stored = await server.db.selectFrom('content_items').select('simhash').where('id', '=', metro.id).executeTakeFirstOrThrow();
    expect(stored.simhash).toMatch(/^[0-9a-f]{16}$/);
    let understood = false;
    for (let i = 0; i < 100 && !understood; i++) {
      const r = await server.db.selectFrom('content_items').select(['understood_at', 'simhash']).where('id', '=', metro.id).executeTakeFirstOrThrow();
      understood = r.understood_at !== null;
      if (understood) expect(r.simhash).toBe(stored.simhash);
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(understood).toBe(true);
  });

  it('re-pulls import nothing new: a 304 for an unchanged ETag, guid de-duplication when the body changed', async () => {
    const source = (await editor.get('/api/ingest/sources')).body.items.find((s: { url: string }) => s.url.endsWith('/rss.xml'));
    const before = await countItems();
    const again = await editor.post(`/api/ingest/sources/${source.id}/pull`);
    expect(again.body).toMatchObject({ status: 'not_modified', imported: 0 });
    expect(feeds.hits.at(-1)!.headers['if-none-match']).toBe('"rss-v1"');

    feeds.routes['/rss.xml'] = { body: rss2.replace('<description>测试用的示例新闻源</description>', '<description>改版</description>'), etag: '"rss-v2"' };
    const changed = await editor.post(`/api/ingest/sources/${source.id}/pull`);
    expect(changed.body).toMatchObject({ status: 'ok', entries: 3, imported: 0, seen: 3 });
    expect(await countItems()).toBe(before);
    expect((await editor.get(`/api/ingest/sources/${source.id}`)).body.itemCount).toBe(3);
  });

  it('skips a near-duplicate under a new guid (SimHash within 3 bits) and imports the genuinely new entry', async () => {
    const metroText = [
      '3月2日上午，成都地铁示范线正式开通试运营，全线设站十二座，连接锦江区与龙泉驿区。',
      '据运营方介绍，开通后沿线居民早高峰通勤时间平均缩短二十分钟，首班车六点三十分发车。',
      '市民王女士说：“以前要换乘两次，现在一趟就到。”（完）',
    ].join('');
    feeds.routes['/resend.xml'] = {
      body: rssOf('另一家晨报', [
        { guid: 'other-777', title: '成都地铁示范线开通试运营 沿线居民通勤时间缩短', text: metroText },
        { guid: 'other-778', title: '新津区举办油菜花节', text: '新津区油菜花节开幕，十万亩油菜花进入盛花期，周末游客超过五万人次。\n景区开通了三条观光小火车线路。' },
      ]),
    };
    const source = await addSource(editor, '/resend.xml');
    const pulled = await editor.post(`/api/ingest/sources/${source.id}/pull`);
    expect(pulled.body).toMatchObject({ status: 'ok', entries: 2, imported: 1, nearDuplicates: 1 });
    const titles = (await incoming(editor)).map((i) => i.title);
    expect(titles.filter((t) => t.startsWith('成都地铁示范线'))).toHaveLength(1);
    expect(titles).toContain('新津区举办油菜花节');
    // The skipped guid is remembered, so the next pull does not look at it again.
    expect((await editor.post(`/api/ingest/sources/${source.id}/pull`)).body).toMatchObject({ imported: 0, seen: 2, nearDuplicates: 0 });
  });

  it('a malformed feed marks the source in error with a clear message and imports nothing half-way', async () => {
    const good = rssOf('简阳日报', [
      { guid: 'jy-1', title: '简阳羊肉汤节开幕', text: '简阳羊肉汤美食节今天开幕，全市一百家羊肉汤店参加评选。' },
      { guid: 'jy-2', title: '简阳新机场航线增加', text: '天府国际机场新开通十条国内航线，简阳市民出行更加方便。' },
    ]);
    // Broken halfway through its second item.
    feeds.routes['/jianyang.xml'] = { body: good.slice(0, good.indexOf('天府国际机场')) };
    const source = await addSource(editor, '/jianyang.xml');
    const before = await countItems();
    const broken = await editor.post(`/api/ingest/sources/${source.id}/pull`);
    expect(broken.body).toMatchObject({ status: 'error', imported: 0 });
    expect(broken.body.error).toContain('XML 格式错误');
    expect(broken.body.errorEn).toContain('Malformed XML');
    const failed = (await editor.get(`/api/ingest/sources/${source.id}`)).body;
    expect(failed).toMatchObject({ status: 'error', itemCount: 0, lastSuccessAt: null });
    expect(failed.lastError).toMatch(/解析失败：XML 格式错误（第 \d+ 行第 \d+ 列）.* \/ Parse failed: Malformed XML at line \d+/);
    expect(await countItems()).toBe(before);
    expect(await server.db.selectFrom('ingest_seen').select('guid').where('source_id', '=', source.id).execute()).toEqual([]);

    // Fixed: both entries arrive and the error clears.
    feeds.routes['/jianyang.xml'] = { body: good };
    expect((await editor.post(`/api/ingest/sources/${source.id}/pull`)).body).toMatchObject({ status: 'ok', imported: 2 });
    expect((await editor.get(`/api/ingest/sources/${source.id}`)).body).toMatchObject({ status: 'ok', lastError: null, itemCount: 2 });

    // Broken again, with new entries ahead of the break: still nothing, and the counts stand.
    feeds.routes['/jianyang.xml'] = { body: brokenRss };
    const after = await countItems();
    expect((await editor.post(`/api/ingest/sources/${source.id}/pull`)).body.status).toBe('error');
    expect(await countItems()).toBe(after);
    expect((await editor.get(`/api/ingest/sources/${source.id}`)).body).toMatchObject({ status: 'error', itemCount: 2 });

    // A JSON Feed whose second item is invalid: the valid first one is not imported either.
    const doc = JSON.parse(jsonFeed);
    doc.items[0].id = 'fresh-1';
    doc.items[0].title = '全新的第一条';
    delete doc.items[1].id;
    feeds.routes['/half.json'] = { body: JSON.stringify(doc), contentType: 'application/feed+json' };
    const half = await addSource(editor, '/half.json');
    const res = await editor.post(`/api/ingest/sources/${half.id}/pull`);
    expect(res.body).toMatchObject({ status: 'error', imported: 0 });
    expect(res.body.error).toContain('第 2 条');
    expect(await countItems()).toBe(after);
  });

  it('the schedule enqueues due sources only: paused sources are not pulled', async () => {
    feeds.routes['/sched.xml'] = { body: rssOf('定时源', [{ guid: 's-1', title: '定时拉取的稿件', text: '这是一条由定时任务拉取的测试稿件，内容关于彭州市牡丹花会的筹备情况。' }]) };
    feeds.routes['/sched-paused.xml'] = { body: rssOf('暂停源', [{ guid: 'p-1', title: '不应出现的稿件', text: '暂停的源不应被定时任务拉取，这条稿件不应出现在待处理队列中。' }]) };
    const active = await addSource(editor, '/sched.xml', { paused: false, intervalMinutes: 5 });
    const paused = await addSource(editor, '/sched-paused.xml', { paused: true });

    const due = await server.services.ingest.enqueueDue();
    const ids = due.map((d) => d.sourceId);
    expect(ids).toContain(active.id);
    expect(ids).not.toContain(paused.id);

    // The pull job runs in the background (pg-boss) as the source's creator.
    const until = Date.now() + 20_000;
    let status = 'never';
    while (status === 'never' && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await editor.get(`/api/ingest/sources/${active.id}`)).body.status;
    }
    expect(status).toBe('ok');
    expect((await incoming(editor)).map((i) => i.title)).toContain('定时拉取的稿件');
    expect((await editor.get(`/api/ingest/sources/${paused.id}`)).body.status).toBe('never');
    expect(feeds.hits.some((h) => h.path === '/sched-paused.xml')).toBe(false);
    // Just pulled: not due again until its interval has passed.
    expect((await server.services.ingest.enqueueDue()).map((d) => d.sourceId)).not.toContain(active.id);
    const audit = await server.db.selectFrom('audit_log').select(['actor_user_id', 'request_id']).where('target_id', '=', active.id).where('action', '=', 'ingest.pull').execute();
    expect(audit).toEqual([{ actor_user_id: null, request_id: 'job:ingest.pull' }]);
  });

  it('editors manage, reporters read, other units see nothing (404); every change is audited', async () => {
    feeds.routes['/jinjiang.xml'] = {
      body: rssOf('锦江快讯', [{ guid: 'jj-1', title: '春熙路商圈客流回升', text: '春熙路商圈上周客流同比增长一成，多家首店开业吸引年轻消费者。' }]),
    };
    const source = await addSource(jinjiangAdmin, '/jinjiang.xml');

    // 锦江区's reporter reads but does not manage.
    expect((await jinjiangReporter.get('/api/ingest/sources')).body.items.map((s: { id: string }) => s.id)).toContain(source.id);
    const seenByReporter = await jinjiangReporter.get(`/api/ingest/sources/${source.id}`);
    expect(seenByReporter.body.canManage).toBe(false);
    expect((await jinjiangReporter.post(`/api/ingest/sources/${source.id}/pull`)).status).toBe(403);
    expect((await jinjiangReporter.patch(`/api/ingest/sources/${source.id}`, { paused: false })).status).toBe(403);
    expect((await jinjiangReporter.delete(`/api/ingest/sources/${source.id}`)).status).toBe(403);
    expect((await jinjiangReporter.post('/api/ingest/sources', { name: 'x', url: feeds.url('/x.xml') })).status).toBe(403);

    // 青羊区 and the city above cannot see, pull, change or delete it.
    const chengduAdmin = await server.as('chengdu_admin');
    for (const other of [editor, chengduAdmin]) {
      expect((await other.get('/api/ingest/sources')).body.items.map((s: { id: string }) => s.id)).not.toContain(source.id);
      expect((await other.get(`/api/ingest/sources/${source.id}`)).status).toBe(404);
      expect((await other.post(`/api/ingest/sources/${source.id}/pull`)).status).toBe(404);
      expect((await other.patch(`/api/ingest/sources/${source.id}`, { name: '改名' })).status).toBe(404);
      expect((await other.delete(`/api/ingest/sources/${source.id}`)).status).toBe(404);
    }

    // The owner changes it: interval, name, a new URL (validators forgotten), a duplicate URL refused.
    const changed = await jinjiangAdmin.patch(`/api/ingest/sources/${source.id}`, { name: '锦江快讯（新）', intervalMinutes: 60, format: 'rss' });
    expect(changed.body).toMatchObject({ name: '锦江快讯（新）', intervalMinutes: 60, format: 'rss', paused: true });
    expect((await jinjiangAdmin.patch(`/api/ingest/sources/${source.id}`, { intervalMinutes: 1 })).status).toBe(400);
    expect((await jinjiangAdmin.post('/api/ingest/sources', { name: '重复', url: feeds.url('/jinjiang.xml') })).status).toBe(409);
    expect((await jinjiangAdmin.post('/api/ingest/sources', { name: '坏地址', url: 'ftp://example.cn/feed' })).status).toBe(400);

    // Accepting an incoming item: an editor's call; the item becomes a draft in the hub.
    const pulled = await jinjiangAdmin.post(`/api/ingest/sources/${source.id}/pull`);
    expect(pulled.body.imported).toBe(1);
    const [item] = await incoming(jinjiangAdmin);
    expect((await jinjiangReporter.post(`/api/items/${item!.id}/accept`)).status).toBe(403);
    expect((await editor.post(`/api/items/${item!.id}/accept`)).status).toBe(404);
    const accepted = await jinjiangAdmin.post(`/api/items/${item!.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('draft');
    expect((await jinjiangAdmin.post(`/api/items/${item!.id}/accept`)).status).toBe(409);
    expect((await jinjiangAdmin.get('/api/items?view=unit')).body.items.map((i: { id: string }) => i.id)).toContain(item!.id);

    // Deleting the source keeps what it brought in.
    expect((await jinjiangAdmin.delete(`/api/ingest/sources/${source.id}`)).status).toBe(204);
    expect((await jinjiangAdmin.get(`/api/ingest/sources/${source.id}`)).status).toBe(404);
    expect((await jinjiangAdmin.get(`/api/items/${item!.id}`)).status).toBe(200);

    const actions = (await server.db.selectFrom('audit_log').select('action').where((eb) => eb.or([eb('target_id', '=', source.id), eb('target_id', '=', item!.id)])).orderBy('id').execute()).map((r) => r.action);
    expect(actions).toEqual(['ingest.source.create', 'ingest.source.update', 'content.create', 'ingest.pull', 'content.accept', 'ingest.source.delete']);
  });
});
