import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type TestServer, startTestServer } from '../../../test/harness.ts';
import { docFromText } from '../doc.ts';

let server: TestServer;
let editor: ApiClient; // 青羊区 editor
let reporter: ApiClient; // 锦江区 reporter
let jinjiangAdmin: ApiClient;

interface Hit {
  id: string;
  title: string;
  unitId: string;
  snippet: string;
  titleHighlight: string;
  score: number;
}
interface Facet {
  value: string;
  label: string;
  count: number;
}
interface Result {
  total: number;
  items: Hit[];
  facets: Record<'unit' | 'type' | 'status' | 'category' | 'scope' | 'region', Facet[]>;
}

const ids: Record<string, string> = {};

async function create(client: ApiClient, key: string, input: Record<string, unknown>) {
  const res = await client.post('/api/items', { type: 'article', ...input, body: docFromText(String(input.body ?? '')) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  ids[key] = res.body.id;
  return res.body.id as string;
}

async function search(client: ApiClient, params: Record<string, string | number | boolean>): Promise<Result> {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const res = await client.get<Result>(`/api/search?${qs}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const titles = (r: Result) => r.items.map((i) => i.title).sort();

beforeAll(async () => {
  server = await startTestServer();
  editor = await server.as('qingyang_editor');
  reporter = await server.as('jinjiang_reporter');
  jinjiangAdmin = await server.as('jinjiang_admin');
  await create(editor, 'center', {
    title: '青羊区融媒体中心挂牌成立',
    summary: '区级融媒体中心正式运行',
    body: '青羊区融媒体中心今天挂牌。中心整合了报纸、广播、电视和新媒体。',
    tags: ['融媒体', '挂牌'],
    category: '时政',
    regionCode: '510105',
  });
  await create(editor, 'sport', {
    title: '全民健身运动会开幕',
    body: '第十届全民健身运动会在青羊区开幕，体育爱好者踊跃参加。发展群众体育是重点。',
    category: '体育',
    regionCode: '510105',
  });
  await create(editor, 'traditional', {
    type: 'video',
    title: '視頻：文化產業發展論壇',
    body: '成都舉辦文化產業發展論壇，探討數字出版與融媒發展。',
    category: '文化',
  });
  await create(editor, 'apart', {
    title: '融媒与媒体的区别',
    body: '本文讨论融媒，以及传统媒体。',
    category: '时政',
  });
  await create(editor, 'markup', {
    title: '代码里的<script>标签',
    body: '有人在正文里写<b>融媒</b>和 <script>alert("x")</script> 这样的文字。',
  });
  // A sibling county's item, not shared: 青羊 must never see it, nor count it.
  await create(reporter, 'sibling', {
    title: '锦江区融媒体中心内部稿',
    body: '锦江区融媒体中心的内部选题，不对外共享。体育新闻。',
    category: '时政',
    regionCode: '510104',
  });
});
afterAll(() => server.close());

describe('search', () => {
  it('finds a partial word: 融媒 finds 融媒体中心, with a highlighted snippet', async () => {
    const r = await search(editor, { q: '融媒' });
    expect(titles(r)).toEqual(['代码里的<script>标签', '融媒与媒体的区别', '視頻：文化產業發展論壇', '青羊区融媒体中心挂牌成立'].sort());
    const center = r.items.find((i) => i.id === ids.center)!;
    expect(center.snippet).toContain('<mark>融媒</mark>体中心');
    expect(center.titleHighlight).toBe('青羊区<mark>融媒</mark>体中心挂牌成立');
    expect(center.score).toBeGreaterThan(0);
  });

  it('finds longer phrases only where the characters are adjacent', async () => {
    expect(titles(await search(editor, { q: '融媒体中心' }))).toEqual(['青羊区融媒体中心挂牌成立']);
    // 融媒与媒体的区别 has 融媒 and 媒体 but never 融媒体.
    expect(titles(await search(editor, { q: '融媒体' }))).toEqual(['青羊区融媒体中心挂牌成立']);
  });

  it('finds two-character words, single characters and several words at once', async () => {
    expect(titles(await search(editor, { q: '挂牌' }))).toEqual(['青羊区融媒体中心挂牌成立']);
    expect(titles(await search(editor, { q: '健身' }))).toEqual(['全民健身运动会开幕']);
    expect(titles(await search(editor, { q: '幕' }))).toEqual(['全民健身运动会开幕']);
    expect(titles(await search(editor, { q: '融媒 电视' }))).toEqual(['青羊区融媒体中心挂牌成立']);
    expect((await search(editor, { q: '不存在的词语' })).total).toBe(0);
  });

  it('finds the same items for traditional and simplified queries', async () => {
    const simplified = titles(await search(editor, { q: '发展' }));
    expect(simplified).toEqual(['全民健身运动会开幕', '視頻：文化產業發展論壇']);
    expect(titles(await search(editor, { q: '發展' }))).toEqual(simplified);
    expect(titles(await search(editor, { q: '體育' }))).toEqual(['全民健身运动会开幕']);
    expect(titles(await search(editor, { q: '产业发展论坛' }))).toEqual(['視頻：文化產業發展論壇']);
    const hit = (await search(editor, { q: '体育' })).items[0]!;
    expect(hit.snippet).toContain('<mark>体育</mark>');
    const trad = (await search(editor, { q: '文化产业' })).items[0]!;
    expect(trad.titleHighlight).toBe('視頻：<mark>文化產業</mark>發展論壇');
  });

  it('escapes HTML from the text in titles and snippets', async () => {
    const r = await search(editor, { q: 'script' });
    expect(r.items).toHaveLength(1);
    const [hit] = r.items;
    expect(hit!.titleHighlight).toBe('代码里的&lt;<mark>script</mark>&gt;标签');
    expect(hit!.snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(hit!.snippet).toContain('&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)');
  });

  it('ranks title hits above body hits, and sorts by time on request', async () => {
    const byRank = await search(editor, { q: '融媒' });
    // 融媒 in the title (center, apart) outranks 融媒 in the body only (traditional, markup).
    expect(byRank.items.slice(0, 2).map((i) => i.id).sort()).toEqual([ids.center, ids.apart].sort());
    expect(byRank.items.slice(2).map((i) => i.id).sort()).toEqual([ids.traditional, ids.markup].sort());
    const scores = byRank.items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const byTime = await search(editor, { q: '融媒', sort: 'time' });
    // Created in order center, traditional, apart, markup: newest first.
    expect(byTime.items.map((i) => i.id)).toEqual([ids.markup, ids.apart, ids.traditional, ids.center]);
    expect(byTime.items.every((i) => i.score > 0)).toBe(true);
    const noQuery = await search(editor, { limit: 2 });
    expect(noQuery.items.map((i) => i.id)).toEqual([ids.markup, ids.apart]);
    expect(noQuery.total).toBe(5);
  });

  it('pages by relevance one at a time in the same order as one long page, inside and below the title matches', async () => {
    const all = (await search(editor, { q: '融媒', limit: 10 })).items.map((i) => i.id);
    expect(all).toHaveLength(4);
    const paged: string[] = [];
    for (let k = 0; k < all.length; k++) {
      const page = await search(editor, { q: '融媒', limit: 1, offset: k });
      expect(page.total).toBe(4);
      paged.push(...page.items.map((i) => i.id));
    }
    expect(paged).toEqual(all);
    expect((await search(editor, { q: '融媒', limit: 2, offset: 4 })).items).toEqual([]);
  });

  it('filters by type, category, region, status, unit, author and date, with paging', async () => {
    expect(titles(await search(editor, { q: '发展', type: 'video' }))).toEqual(['視頻：文化產業發展論壇']);
    expect(titles(await search(editor, { q: '融媒', category: '时政' }))).toEqual(['融媒与媒体的区别', '青羊区融媒体中心挂牌成立']);
    expect(titles(await search(editor, { q: '青羊', regionCode: '510105' }))).toEqual(['全民健身运动会开幕', '青羊区融媒体中心挂牌成立']);
    await server.db.updateTable('content_items').set({ status: 'published' }).where('id', '=', ids.center!).execute();
    expect(titles(await search(editor, { q: '融媒', status: 'published' }))).toEqual(['青羊区融媒体中心挂牌成立']);
    const me = (await editor.get('/api/session')).body.user.id as string;
    expect((await search(editor, { q: '融媒', authorId: me })).total).toBe(4);
    expect((await search(editor, { q: '融媒', authorId: '00000000-0000-4000-8000-000000000000' })).total).toBe(0);
    const qingyang = (await server.db.selectFrom('units').select('id').where('division_code', '=', '510105').executeTakeFirstOrThrow()).id;
    expect((await search(editor, { q: '融媒', unitId: qingyang })).total).toBe(4);
    expect((await search(editor, { q: '融媒', from: '2000-01-01T00:00:00Z', to: '2001-01-01T00:00:00Z' })).total).toBe(0);
    expect((await search(editor, { q: '融媒', from: '2000-01-01T00:00:00Z', dateField: 'created' })).total).toBe(4);
    const page = await search(editor, { q: '融媒', sort: 'time', limit: 2, offset: 2 });
    expect(page.total).toBe(4);
    expect(page.items.map((i) => i.id)).toEqual([ids.traditional, ids.center]);
  });

  it('counts facets over the filtered hits, with labels', async () => {
    const r = await search(editor, { q: '融媒' });
    expect(r.total).toBe(4);
    const count = (facet: keyof Result['facets']) => Object.fromEntries(r.facets[facet].map((f) => [f.value, f.count]));
    expect(count('type')).toEqual({ article: 3, video: 1 });
    expect(count('category')).toEqual({ 时政: 2, 文化: 1 });
    expect(count('region')).toEqual({ '510105': 1 });
    expect(count('status')).toEqual({ draft: 3, published: 1 });
    expect(count('scope')).toEqual({ unit: 4 });
    expect(r.facets.unit).toEqual([{ value: expect.any(String), label: '青羊区融媒体中心', count: 4 }]);
    expect(r.facets.type.find((f) => f.value === 'video')!.label).toBe('视频');
    expect(r.facets.region[0]!.label).toBe('青羊区');
    const filtered = await search(editor, { q: '融媒', type: 'video' });
    expect(filtered.facets.category).toEqual([{ value: '文化', label: '文化', count: 1 }]);
    const noFacets = await search(editor, { q: '融媒', facets: false });
    expect(noFacets.total).toBe(4);
    expect(noFacets.facets.unit).toEqual([]);
  });

  it("never shows a sibling county's unshared item, in hits or facets, until it is shared", async () => {
    const r = await search(editor, { q: '融媒体中心' });
    expect(r.items.map((i) => i.id)).not.toContain(ids.sibling);
    expect(r.total).toBe(1);
    expect(r.facets.region.map((f) => f.value)).not.toContain('510104');
    const sport = await search(editor, { q: '体育' });
    expect(sport.items.map((i) => i.id)).toEqual([ids.sport]);
    expect(sport.facets.unit.reduce((n, f) => n + f.count, 0)).toBe(1);
    // The owner finds it, and so does the alliance admin, who oversees every unit.
    expect((await search(reporter, { q: '锦江区融媒体' })).items.map((i) => i.id)).toEqual([ids.sibling]);
    const admin = await server.as('admin');
    expect((await search(admin, { q: '锦江区融媒体' })).total).toBe(1);
    // Shared with the whole alliance, it appears for 青羊 too.
    const shared = await jinjiangAdmin.put(`/api/items/${ids.sibling}/share`, { scope: 'alliance' });
    expect(shared.status, JSON.stringify(shared.body)).toBe(200);
    const after = await search(editor, { q: '融媒体中心' });
    expect(after.items.map((i) => i.id).sort()).toEqual([ids.center, ids.sibling].sort());
    expect(after.facets.scope.find((f) => f.value === 'alliance')!.count).toBe(1);
    await jinjiangAdmin.put(`/api/items/${ids.sibling}/share`, { scope: 'unit' });
    expect((await search(editor, { q: '锦江' })).total).toBe(0);
  });

  it('keeps the index in step with every save', async () => {
    const id = await create(editor, 'edited', { title: '初稿标题', body: '关于熊猫基地的报道' });
    expect((await search(editor, { q: '熊猫基地' })).items.map((i) => i.id)).toEqual([id]);
    const saved = await editor.patch(`/api/items/${id}`, { body: docFromText('改为报道金沙遗址'), title: '改后的标题' });
    expect(saved.status).toBe(200);
    expect((await search(editor, { q: '熊猫基地' })).total).toBe(0);
    expect((await search(editor, { q: '金沙遗址' })).items.map((i) => i.title)).toEqual(['改后的标题']);
    // A failed save leaves the index as it was (the listener runs inside the save's transaction).
    const stale = await editor.patch(`/api/items/${id}`, { title: '冲突的保存', baseRevision: 1 });
    expect(stale.status).toBe(409);
    expect((await search(editor, { q: '冲突' })).total).toBe(0);
  });

  it('rebuilds the whole index', async () => {
    await server.db.deleteFrom('content_search').execute();
    expect((await search(editor, { q: '融媒' })).total).toBe(0);
    const progress: number[] = [];
    const done = await server.services.search.reindex((n) => progress.push(n), 3);
    expect(done).toBeGreaterThanOrEqual(7);
    expect(progress.length).toBeGreaterThan(1);
    expect((await search(editor, { q: '融媒' })).total).toBe(4);
  });

  it('answers bad input with 400s a person can act on', async () => {
    for (const qs of ['q=%EF%BC%8C%E3%80%82', 'sort=best', 'limit=0', 'limit=101', 'regionCode=51', 'from=yesterday', 'unitId=x', 'nope=1', `q=${'字'.repeat(101)}`]) {
      const res = await editor.get(`/api/search?${qs}`);
      expect(res.status, qs).toBe(400);
      expect(res.body.detail.length, qs).toBeGreaterThan(0);
    }
    const range = await editor.get('/api/search?q=融媒&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(range.status).toBe(400);
    expect(range.body.code).toBe('bad_range');
    expect((await server.client().get('/api/search?q=融媒')).status).toBe(401);
  });

  it("follows a county moved to another city: its items shared with its parents reach the new city, no longer the old", async () => {
    const id = await create(reporter, 'moved', { title: '锦江河畔的夜市', body: '夜市里的冰粉摊前排起了长队。' });
    const chengdu = await server.as('chengdu_admin');
    const mianyang = await server.as('mianyang_admin');
    const found = async (client: ApiClient) => (await search(client, { q: '冰粉摊' })).items.map((i) => i.id);
    // shared with the parent chain: 成都 sees it, 绵阳 does not
    expect((await jinjiangAdmin.put(`/api/items/${id}/share`, { scope: 'parents' })).status).toBe(200);
    expect(await found(chengdu)).toEqual([id]);
    expect(await found(mianyang)).toEqual([]);
    const admin = await server.as('admin');
    const units = (await admin.get('/api/units?includeInactive=true')).body.items as { id: string; divisionCode: string | null }[];
    const jinjiang = units.find((u) => u.divisionCode === '510104')!;
    const mianyangCity = units.find((u) => u.divisionCode === '510700')!;
    expect((await admin.patch(`/api/units/${jinjiang.id}`, { parentId: mianyangCity.id })).status).toBe(200);
    expect(await found(chengdu)).toEqual([]);
    expect(await found(mianyang)).toEqual([id]);
  });
});

describe('saved searches', () => {
  it('are kept per person: create, list, delete', async () => {
    const query = { q: '融媒体', type: 'article', category: '时政', sort: 'time' };
    const made = await editor.post('/api/search/saved', { name: '  时政融媒  ', query });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ name: '时政融媒', query });
    const list = await editor.get('/api/search/saved');
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([made.body.id]);
    // Running it gives the same answer as typing it.
    const qs = new URLSearchParams(list.body.items[0].query).toString();
    expect(titles((await editor.get(`/api/search?${qs}`)).body)).toEqual(['青羊区融媒体中心挂牌成立']);
    // Someone else neither sees nor deletes it.
    expect((await reporter.get('/api/search/saved')).body.items).toEqual([]);
    expect((await reporter.delete(`/api/search/saved/${made.body.id}`)).status).toBe(404);
    expect((await editor.delete(`/api/search/saved/${made.body.id}`)).status).toBe(204);
    expect((await editor.get('/api/search/saved')).body.items).toEqual([]);
    expect((await editor.delete(`/api/search/saved/${made.body.id}`)).status).toBe(404);
  });

  it('refuses bad saved searches', async () => {
    expect((await editor.post('/api/search/saved', { name: '', query: {} })).status).toBe(400);
    expect((await editor.post('/api/search/saved', { name: '坏的', query: { limit: 5 } })).status).toBe(400);
    expect((await editor.post('/api/search/saved', { name: '坏的', query: { q: '！！' } })).status).toBe(400);
    expect((await editor.post('/api/search/saved', { name: '坏的', query: { type: 'poem' } })).status).toBe(400);
  });
});
