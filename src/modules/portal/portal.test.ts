import crypto from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import type { ChannelAdapter, ChannelRef } from '../distribution/contract.ts';
import { siteAdapters } from './site.adapters.ts';
import { channel, deliver, source, unitByCode } from '../../test/site-store.ts';

let server: TestServer;
let adapters: ChannelAdapter[];
type Unit = Awaited<ReturnType<typeof unitByCode>>;
let jinjiang: Unit;
let qingyang: Unit;
const ch = {} as Record<'jjPortal' | 'jjApp' | 'jjFeed' | 'qyPortal' | 'qyFeed', ChannelRef>;

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });
/** The alliance home's front (头条 and 最新) only (a story also shows again under its section). */
const latestBlock = (page: string) => page.slice(page.indexOf('<div class="front">'), page.indexOf('</div>\n', page.indexOf('id="latest-h"')));
const html = async (path: string) => {
  const res = await get(path);
  return { status: res.status, text: await res.text(), headers: res.headers };
};

/** Publishes one story on the portal, app and feed channels of a unit. */
async function publishEverywhere(src: ReturnType<typeof source>, channels: ChannelRef[]) {
  for (const c of channels) await deliver(adapters, c, src);
}

beforeAll(async () => {
  server = await startTestServer();
  adapters = siteAdapters(server.db);
  jinjiang = await unitByCode(server.db, '510104');
  qingyang = await unitByCode(server.db, '510105');
  ch.jjPortal = channel('portal', jinjiang.id);
  ch.jjApp = channel('app', jinjiang.id);
  ch.jjFeed = channel('feed', jinjiang.id);
  ch.qyPortal = channel('portal', qingyang.id);
  ch.qyFeed = channel('feed', qingyang.id);
});
afterAll(() => server.close());

describe('portal pages', () => {
  it('renders a delivered story on its unit site, the alliance home and the article page, with SEO and accessible markup', async () => {
    const src = source({ unit: jinjiang, title: '春熙路夜间便民服务站开放', category: '公共服务', tags: ['春熙路'] });
    await publishEverywhere(src, [ch.jjPortal, ch.jjApp, ch.jjFeed]);

    const home = await html('/portal/510104');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(home.text).toContain('<html lang="zh-CN">');
    expect(home.text).toContain('class="skip" href="#main"');
    expect(home.text).toMatch(/<main id="main"/);
    expect(home.text).toContain('role="banner"');
    expect(home.text).toContain(`/portal/510104/a/${src.itemId}`);
    expect(home.text).toContain('春熙路夜间便民服务站开放');
    expect(home.text).toContain('/c/%E5%85%AC%E5%85%B1%E6%9C%8D%E5%8A%A1'); // the section in the nav
    expect(home.text).toContain('application/rss+xml');

    const alliance = await html('/portal');
    expect(alliance.status).toBe(200);
    expect(alliance.text).toContain('春熙路夜间便民服务站开放');

    const page = await html(`/portal/510104/a/${src.itemId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>春熙路夜间便民服务站开放 - 锦江区');
    expect(page.text).toContain(`<link rel="canonical" href="${src.portalUrl}">`);
    expect(page.text).toContain('<meta property="og:type" content="article">');
    expect(page.text).toContain('<meta property="og:title" content="春熙路夜间便民服务站开放');
    expect(page.text).toContain('<meta name="description" content="春熙路夜间便民服务站开放的摘要">');
    expect(page.text).toContain('<p>第一段正文。</p>');
    expect(page.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");

    const section = await html('/portal/510104/c/' + encodeURIComponent('公共服务'));
    expect(section.status).toBe(200);
    expect(section.text).toContain('春熙路夜间便民服务站开放');
  });

  it('escapes what a story says everywhere it is shown', async () => {
    const nasty = '<script>alert("x")</script> & "引号"';
    const src = source({ unit: jinjiang, title: nasty, summary: `摘要 ${nasty}`, category: '测试<b>', tags: ['<i>标签</i>'] });
    await publishEverywhere(src, [ch.jjPortal, ch.jjFeed]);
    for (const path of ['/portal/510104', `/portal/510104/a/${src.itemId}`, '/portal']) {
      const { text } = await html(path);
      expect(text, path).not.toContain('<script>alert');
      expect(text, path).not.toContain('<b>');
      expect(text, path).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;引号&quot;');
    }
    const rss = await (await get('/feeds/510104/rss.xml')).text();
    expect(() => new XMLParser().parse(rss)).not.toThrow();
    expect(rss).not.toContain('<script>');
  });

  it('answers 304 to a matching If-None-Match, and a new revision changes the ETag and shows the correction note', async () => {
    const src = source({ unit: jinjiang, title: '锦江区一窗通办', category: '公共服务' });
    await deliver(adapters, ch.jjPortal, src);
    const path = `/portal/510104/a/${src.itemId}`;
    const first = await get(path);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"1-/);
    expect((await get(path, { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/portal/510104', { 'if-none-match': (await get('/portal/510104')).headers.get('etag')! })).status).toBe(304);

    const corrected = { ...src, revision: 2, title: '锦江区社区政务一窗通办', correctionNote: '原稿事项数量有误，已更正为四十余项。' };
    await deliver(adapters, ch.jjPortal, corrected, 'update');
    const after = await get(path, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    const text = await after.text();
    expect(after.headers.get('etag')).toMatch(/^W\/"2-/);
    expect(text).toContain('锦江区社区政务一窗通办');
    expect(text).toContain('原稿事项数量有误，已更正为四十余项。');
    expect(text).toContain('class="tianfu-correction"');
    expect(text.split('原稿事项数量有误').length - 1, 'the note is shown once').toBe(1);

    // A late repeat of revision 1 does not put the old text back.
    await deliver(adapters, ch.jjPortal, src, 'publish');
    expect(await (await get(path)).text()).toContain('锦江区社区政务一窗通办');
  });

  it('shows only what was delivered to that unit: B’s story is on A’s portal only when delivered to A’s channel', async () => {
    const own = source({ unit: qingyang, title: '青羊区新增老年助餐点', category: '民生' });
    await deliver(adapters, ch.qyPortal, own);
    expect((await html('/portal/510105')).text).toContain('青羊区新增老年助餐点');
    expect((await html('/portal/510104')).text).not.toContain('青羊区新增老年助餐点');
    // Not on Jinjiang's site at Jinjiang's address either.
    expect((await html(`/portal/510104/a/${own.itemId}`)).status).toBe(404);

    // Qingyang's story delivered to Jinjiang's portal (e.g. an alliance-wide push): listed, canonical stays with Qingyang.
    await deliver(adapters, ch.jjPortal, own);
    const onJinjiang = await html(`/portal/510104/a/${own.itemId}`);
    expect(onJinjiang.status).toBe(200);
    expect(onJinjiang.text).toContain(`<link rel="canonical" href="${own.portalUrl}">`);
    expect((await html('/portal/510104')).text).toContain('青羊区新增老年助餐点');
    // The alliance shows it once.
    expect(latestBlock((await html('/portal')).text).split('青羊区新增老年助餐点</a>').length - 1).toBe(1);
  });

  it('a picked-up story links its origin as canonical and says where it came from', async () => {
    const original = source({ unit: qingyang, title: '杜甫草堂诗歌诵读会', category: '文化' });
    await deliver(adapters, ch.qyPortal, original);
    const copy = source({ unit: jinjiang, title: '杜甫草堂诗歌诵读会', category: '文化', origin: { unitId: qingyang.id, unitName: qingyang.name, itemId: original.itemId }, canonicalUrl: original.portalUrl });
    await deliver(adapters, ch.jjPortal, copy);
    const page = await html(`/portal/510104/a/${copy.itemId}`);
    expect(page.text).toContain(`<link rel="canonical" href="${original.portalUrl}">`);
    expect(page.text).toContain(`转载自 <a href="${original.portalUrl}">${qingyang.name}</a>`);
    // The copy is not in the sitemap (its canonical is elsewhere); the original is.
    const map = await (await get('/portal/sitemap.xml')).text();
    expect(map).toContain(`/portal/510105/a/${original.itemId}`);
    expect(map).not.toContain(`/portal/510104/a/${copy.itemId}`);
    expect(latestBlock((await html('/portal')).text).split('杜甫草堂诗歌诵读会</a>').length - 1).toBe(1);
  });

  it('a retracted story leaves every list and feed and its page answers 410 with the notice', async () => {
    const src = source({ unit: jinjiang, title: '将被撤回的稿件', category: '民生', paragraphs: ['撤回前的正文独有词甲乙丙。'] });
    await publishEverywhere(src, [ch.jjPortal, ch.jjApp, ch.jjFeed]);
    expect((await html('/portal/510104/search?q=' + encodeURIComponent('甲乙丙'))).text).toContain('将被撤回的稿件');
    for (const c of [ch.jjPortal, ch.jjApp, ch.jjFeed]) await deliver(adapters, c, src, 'retract', { retractionNote: '经核实，稿件信息有误。' });

    const page = await html(`/portal/510104/a/${src.itemId}`);
    expect(page.status).toBe(410);
    expect(page.text).toContain('本文已撤回');
    expect(page.text).toContain('经核实，稿件信息有误。');
    expect(page.text).not.toContain('撤回前的正文独有词甲乙丙');
    expect(page.text).toContain('<meta name="robots" content="noindex">');
    for (const path of ['/portal/510104', '/portal', '/portal/510104/c/' + encodeURIComponent('民生'), '/feeds/510104/rss.xml', '/feeds/510104/atom.xml', '/feeds/510104/feed.json', '/portal/sitemap.xml', '/portal/510104/sitemap.xml', '/portal/510104/search?q=' + encodeURIComponent('甲乙丙')]) {
      const text = await (await get(path)).text();
      expect(text, path).not.toContain(src.itemId);
    }
    const list = await server.client().get('/api/app/v1/units/510104/items?limit=50');
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(src.itemId);
    const detail = await server.client().get(`/api/app/v1/items/${src.itemId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ retracted: true, retractionNote: '经核实，稿件信息有误。', blocks: [] });
  });

  it('a special topic lists its live members in order', async () => {
    const members = [source({ unit: jinjiang, title: '专题成员一' }), source({ unit: qingyang, title: '专题成员二' }), source({ unit: jinjiang, title: '专题成员三（未发布）' })];
    await deliver(adapters, ch.jjPortal, members[0]!);
    await deliver(adapters, ch.qyPortal, members[1]!);
    const topic = source({ unit: jinjiang, title: '天府文旅季专题', type: 'special', specialItemIds: [members[1]!.itemId, members[0]!.itemId, members[2]!.itemId] });
    await deliver(adapters, ch.jjPortal, topic);
    const { text } = await html(`/portal/510104/a/${topic.itemId}`);
    expect(text).toContain('专题稿件');
    const two = text.indexOf('专题成员二');
    const one = text.indexOf('专题成员一');
    expect(two).toBeGreaterThan(0);
    expect(one).toBeGreaterThan(two);
    expect(text).not.toContain('专题成员三');
    expect(text).toContain(`/portal/510105/a/${members[1]!.itemId}`);
  });

  it('search finds title and body text on a site and across the alliance, and nothing else', async () => {
    const src = source({ unit: qingyang, title: '宽窄巷子夜间川剧', paragraphs: ['游客近距离看变脸表演。'] });
    await deliver(adapters, ch.qyPortal, src);
    const unitHit = await html('/portal/510105/search?q=' + encodeURIComponent('变脸'));
    expect(unitHit.status).toBe(200);
    expect(unitHit.text).toContain('宽窄巷子夜间川剧');
    expect((await html('/portal/510104/search?q=' + encodeURIComponent('变脸'))).text).not.toContain('宽窄巷子夜间川剧');
    expect((await html('/portal/search?q=' + encodeURIComponent('川剧'))).text).toContain('宽窄巷子夜间川剧');
    const pct = await html('/portal/search?q=' + encodeURIComponent('%_'));
    expect(pct.status).toBe(200);
    expect(pct.text).toContain('找到 0 篇');
  });

  it('the showcase tells Sichuan’s story by theme and browses by prefecture', async () => {
    const src = source({ unit: qingyang, title: '火把节非遗展演', category: '文化', regionCode: '513431' });
    await deliver(adapters, ch.qyPortal, src);
    const page = await html('/portal/showcase');
    expect(page.status).toBe(200);
    expect(page.text).toContain('文化四川');
    expect(page.text).toContain('火把节非遗展演');
    expect(page.text).toContain('/portal/showcase/513400');
    expect(page.text.match(/<li><a href="\/portal\/showcase\/\d{6}">/g)?.length).toBe(21);
    const liangshan = await html('/portal/showcase/513400');
    expect(liangshan.status).toBe(200);
    expect(liangshan.text).toContain('火把节非遗展演');
    expect((await html('/portal/showcase/510100')).text).not.toContain('火把节非遗展演');
    expect((await html('/portal/showcase/999900')).status).toBe(404);
  });

  it('unknown pages answer a 404 page, never the console', async () => {
    for (const path of ['/portal/999999', '/portal/not-a-unit', `/portal/510104/a/${crypto.randomUUID()}`, '/portal/510104/a/nope', '/portal/510104/c/' + encodeURIComponent('没有的栏目'), '/portal/a/b/c/d', '/feeds/510104/other.xml', '/feeds/nope/rss.xml', `/portal/media/${crypto.randomUUID()}/large`]) {
      const res = await html(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).toContain('页面不存在');
    }
  });

  it('serves sitemaps, robots.txt, the stylesheet and the favicon every page names', async () => {
    const robots = await html('/robots.txt');
    expect(robots.text).toContain('Sitemap: http://localhost:3000/portal/sitemap.xml');
    const unitMap = await html('/portal/510104/sitemap.xml');
    expect(unitMap.headers.get('content-type')).toContain('application/xml');
    const parsed = new XMLParser().parse(unitMap.text);
    const locs: string[] = [parsed.urlset.url].flat().map((u: { loc: string }) => u.loc);
    expect(locs).toContain('http://localhost:3000/portal/510104');
    expect(locs.every((l) => l.startsWith('http://localhost:3000/portal/510104'))).toBe(true);
    const css = await get('/portal/static/portal.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await html('/portal/510104')).text).toContain('<link rel="icon" href="/favicon.svg"');
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const icon = await html(path);
      expect([icon.status, icon.headers.get('content-type')], path).toEqual([200, 'image/svg+xml']);
      expect(icon.text).toContain('<svg');
    }
  });
});

describe('pictures', () => {
  it('copies the cover and body pictures at delivery and serves them only while the story is live', async () => {
    const cover = crypto.randomUUID();
    const inline = crypto.randomUUID();
    const src = source({ unit: jinjiang, title: '有图的稿件', coverAssetId: cover, imageAssetIds: [inline] });
    await deliver(adapters, ch.jjPortal, src);
    const page = await html(`/portal/510104/a/${src.itemId}`);
    // the portal rendition asks for the large cover (portal rules in distribution/renditions)
    expect(page.text).toContain(`src="/portal/media/${cover}/large"`);
    expect(page.text).toContain(`src="/portal/media/${inline}/large"`);
    expect(page.text).not.toContain('/api/assets/');
    expect(page.text).toContain(`<meta property="og:image" content="http://localhost:3000/portal/media/${cover}/large">`);
    const img = await get(`/portal/media/${inline}/large`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    await deliver(adapters, ch.jjPortal, src, 'retract');
    expect((await get(`/portal/media/${inline}/large`)).status).toBe(404);
  });
});

describe('feeds', () => {
  it('RSS 2.0, Atom 1.0 and JSON Feed 1.1 parse and carry the unit’s feed stories, corrections included', async () => {
    const src = source({ unit: qingyang, title: '青羊区社区文化站开放', category: '文化', tags: ['文化站'] });
    await deliver(adapters, ch.qyFeed, src);
    await deliver(adapters, ch.qyFeed, { ...src, revision: 2, correctionNote: '开放时间更正为上午九点。' }, 'update');
    const parser = new XMLParser({ ignoreAttributes: false });

    const rssRes = await get('/feeds/510105/rss.xml');
    expect(rssRes.headers.get('content-type')).toContain('application/rss+xml');
    const rss = parser.parse(await rssRes.text());
    expect(rss.rss['@_version']).toBe('2.0');
    const items = [rss.rss.channel.item].flat();
    const item = items.find((i: { title: string }) => i.title === '青羊区社区文化站开放');
    expect(item.link).toBe(`http://localhost:3000/portal/510105/a/${src.itemId}`);
    expect(item['content:encoded']).toContain('开放时间更正为上午九点。');
    expect(new Date(item.pubDate).getTime()).toBeGreaterThan(0);

    const atom = parser.parse(await (await get('/feeds/510105/atom.xml')).text());
    expect(atom.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    const entry = [atom.feed.entry].flat().find((e: { id: string }) => e.id === `urn:uuid:${src.itemId}`);
    expect(entry.title).toBe('青羊区社区文化站开放');
    expect(Date.parse(entry.updated)).toBeGreaterThanOrEqual(Date.parse(entry.published));

    const json = await (await get('/feeds/510105/feed.json')).json();
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.items.find((i: { id: string }) => i.id === src.itemId)).toMatchObject({ title: '青羊区社区文化站开放', tags: ['文化站'] });

    // The portal channel's stories are not the feed's: Qingyang's portal-only stories are absent.
    expect(json.items.map((i: { title: string }) => i.title)).not.toContain('青羊区新增老年助餐点');
  });
});

describe('app delivery API', () => {
  it('pages a unit’s cards by an opaque cursor, newest first, each once', async () => {
    const app = channel('app', qingyang.id);
    const base = Date.parse('2026-11-01T00:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      // Two stories share each timestamp, so the id must break the tie.
      const src = source({ unit: qingyang, title: `客户端稿件 ${i}`, publishedAt: new Date(base + Math.floor(i / 2) * 60_000).toISOString(), coverAssetId: i === 0 ? crypto.randomUUID() : null });
      await deliver(adapters, app, src);
      ids.push(src.itemId);
    }
    const c = server.client();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await c.get(`/api/app/v1/units/510105/items?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(new Set(seen)).toEqual(new Set(ids));

    const first = await c.get('/api/app/v1/units/510105/items?limit=2');
    const card = first.body.items[0];
    expect(card).toMatchObject({ unit: { id: qingyang.id, slug: '510105' }, category: '民生' });
    expect(Object.keys(card).sort()).toEqual(['aiLabel', 'category', 'cover', 'id', 'publishedAt', 'regionCode', 'revision', 'summary', 'title', 'type', 'unit', 'updatedAt', 'webUrl']);
    const withCover = (await c.get('/api/app/v1/units/510105/items?limit=50')).body.items.find((i: { title: string }) => i.title === '客户端稿件 0');
    expect(withCover.cover.url).toMatch(/^http:\/\/localhost:3000\/portal\/media\/[0-9a-f-]+\/crop_16x9$/);

    const detail = await c.get(`/api/app/v1/items/${ids[0]}`);
    expect(detail.status).toBe(200);
    expect(detail.body.blocks[0]).toEqual({ type: 'paragraph', text: '第一段正文。' });
    expect(detail.body.retracted).toBe(false);

    // ETag and 304 on both endpoints.
    for (const path of ['/api/app/v1/units/510105/items?limit=2', `/api/app/v1/items/${ids[0]}`]) {
      const res = await get(path);
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^W\//);
      expect((await get(path, { 'if-none-match': etag })).status).toBe(304);
    }
  });

  it('answers 4xx problems to bad cursors, limits, slugs and ids', async () => {
    const c = server.client();
    const bad = [
      ['/api/app/v1/units/510105/items?cursor=' + Buffer.from('2026-01-01|nope').toString('base64url'), 400],
      ['/api/app/v1/units/510105/items?cursor=abc', 400],
      ['/api/app/v1/units/510105/items?cursor=' + encodeURIComponent('a/b'), 400],
      ['/api/app/v1/units/510105/items?limit=0', 400],
      ['/api/app/v1/units/510105/items?limit=51', 400],
      ['/api/app/v1/units/510105/items?other=1', 400],
      ['/api/app/v1/units/not-a-unit/items', 400],
      ['/api/app/v1/units/999999/items', 404],
      ['/api/app/v1/items/not-an-id', 400],
      [`/api/app/v1/items/${crypto.randomUUID()}`, 404],
    ] as const;
    for (const [path, status] of bad) {
      const res = await c.get(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type'), path).toContain('application/problem+json');
    }
    // A unit that exists but has published nothing to its app: an empty page.
    expect((await c.get('/api/app/v1/units/510100/items')).body).toEqual({ items: [], nextCursor: null });
  });

  it('is documented in OpenAPI as public', async () => {
    const spec = (await server.client().get('/api/docs/json')).body;
    const op = spec.paths['/api/app/v1/units/{unitSlug}/items'].get;
    expect(op.security).toEqual([]);
    expect(op.responses['200'].content['application/json'].schema.properties.nextCursor).toBeDefined();
    expect(spec.paths['/api/app/v1/items/{id}'].get).toBeDefined();
    expect(Object.keys(spec.paths).some((p) => p.startsWith('/portal'))).toBe(false);
  });
});

describe('site adapters', () => {
  it('reconcile finds a delivery by its idempotency key, and nothing for one that never landed', async () => {
    const portal = adapters.find((a) => a.kind === 'portal')!;
    const src = source({ unit: jinjiang, title: '对账测试' });
    const { req, result } = await deliver(adapters, ch.jjPortal, src);
    expect(result).toEqual({ remoteId: src.itemId, remoteUrl: `http://localhost:3000/portal/510104/a/${src.itemId}` });
    expect(await portal.reconcile(req)).toEqual(result);
    expect(await portal.reconcile({ ...req, idempotencyKey: 'never-sent' })).toBeNull();
    const other = source({ unit: jinjiang, title: '未送达' });
    expect(await portal.reconcile({ ...req, source: other })).toBeNull();
  });

  it('refuses a publish without its revision, as a rejection the worker will not retry', async () => {
    const src = source({ unit: jinjiang, title: '缺少来源' });
    await expect(deliver(adapters, ch.jjPortal, src, 'publish', { source: undefined })).rejects.toMatchObject({ failure: 'rejected' });
  });
});
