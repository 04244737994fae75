import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type TestServer } from '../../test/harness.ts';
import { docFromText } from './doc.ts';

let server: TestServer;
let editor: ApiClient; // 青羊区 editor
let reporter: ApiClient; // 锦江区 reporter
beforeAll(async () => {
  server = await startTestServer();
  editor = await server.as('qingyang_editor');
  reporter = await server.as('jinjiang_reporter');
});
afterAll(() => server.close());

const unitId = async (code: string) =>
  (await server.db.selectFrom('units').select('id').where('division_code', '=', code).executeTakeFirstOrThrow()).id;

const article = (title: string, text = '青羊区今天举办了非遗文化节。市民在宽窄巷子体验蜀绣和川剧变脸。') => ({
  type: 'article',
  title,
  summary: '非遗文化节开幕',
  body: docFromText(text),
  byline: '本台记者 张三',
  contributors: [{ name: '李四', role: '摄影' }],
  source: '青羊区融媒体中心',
  tags: ['非遗', '文化'],
  category: '文化',
  regionCode: '510105',
  embargoUntil: '2026-12-01T08:00:00.000Z',
  aiAssisted: false,
});

describe('content items', () => {
  it('round-trips every item type through the API and NINJS', async () => {
    const items = [
      article('非遗文化节在青羊开幕'),
      { type: 'gallery', title: '图集：宽窄巷子的冬日', body: docFromText('一组照片') },
      { type: 'video', title: '视频：川剧变脸', summary: '两分钟看懂变脸' },
      { type: 'audio', title: '音频：成都话新闻', aiAssisted: true },
      { type: 'live', title: '直播：文化节开幕式', liveUrl: 'https://live.example.cn/qingyang/1' },
    ];
    const ids: string[] = [];
    for (const input of items) {
      const created = await editor.post('/api/items', input);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      ids.push(created.body.id);
      const got = await editor.get(`/api/items/${created.body.id}`);
      for (const [k, v] of Object.entries(input)) expect(got.body[k], `${input.type}.${k}`).toEqual(v);
      expect(got.body.status).toBe('draft');
      expect(got.body.unitName).toBe('青羊区融媒体中心');
      const ninjs = await editor.get(`/api/items/${created.body.id}/ninjs`);
      expect(ninjs.status).toBe(200);
      expect(ninjs.body.headlines[0]).toEqual({ role: 'main', value: input.title });
      expect(ninjs.body.pubstatus).toBe('withheld');
      expect(ninjs.body.version).toBe('1');
      if (input.aiAssisted) expect(ninjs.body.trustindicators).toHaveLength(1);
    }
    const special = await editor.post('/api/items', { type: 'special', title: '专题：青羊非遗季', specialItemIds: ids.slice(0, 3) });
    expect(special.status).toBe(201);
    expect(special.body.specialItems.map((i: { id: string }) => i.id)).toEqual(ids.slice(0, 3));
    const ninjs = (await editor.get(`/api/items/${ids[0]}/ninjs`)).body;
    expect(ninjs.type).toBe('text');
    expect(ninjs.bylines).toEqual([
      { byline: '本台记者 张三', role: 'author' },
      { byline: '李四', role: '摄影' },
    ]);
    expect(ninjs.embargoed).toBe('2026-12-01T08:00:00.000Z');
    expect(ninjs.places[0].code).toBe('510105');
    expect(ninjs.bodies[0].value).toContain('<p>青羊区今天举办了非遗文化节。');
  });

  it('sanitises the body: raw HTML in text is escaped and unsafe links dropped', async () => {
    const body = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '<script>alert(1)</script>' },
            { type: 'text', text: '点我', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
            { type: 'text', text: '官网', marks: [{ type: 'link', attrs: { href: 'https://www.sc.gov.cn/' } }] },
          ],
        },
      ],
    };
    const res = await editor.post('/api/items', { type: 'article', title: '安全测试', body });
    expect(res.body.bodyHtml).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;点我<a href="https://www.sc.gov.cn/" rel="noopener noreferrer">官网</a></p>',
    );
    const bad = await editor.post('/api/items', { type: 'article', title: 'x', body: { type: 'doc', content: [{ type: 'iframe' }] } });
    expect(bad.status).toBe(400);
  });

  it('keeps a revision per save, diffs them by sentence and character, and restores', async () => {
    const created = await editor.post('/api/items', article('修订测试', '成都大运会开幕。运动员入场。'));
    const id = created.body.id;
    const v2 = await editor.patch(`/api/items/${id}`, { body: docFromText('成都大运会隆重开幕。运动员入场。观众欢呼。'), note: '补充现场' });
    expect(v2.body.revision).toBe(2);
    await editor.patch(`/api/items/${id}`, { title: '修订测试（改）' });
    const revs = await editor.get(`/api/items/${id}/revisions`);
    expect(revs.body.items.map((r: { number: number }) => r.number)).toEqual([3, 2, 1]);
    expect(revs.body.items[1].note).toBe('补充现场');
    expect(revs.body.items[1].authorName).toBe('qingyang_editor');

    const diff = await editor.get(`/api/items/${id}/diff?from=1&to=3`);
    expect(diff.body.fields).toEqual([{ field: 'title', before: '修订测试', after: '修订测试（改）' }]);
    expect(diff.body.body.map((o: { op: string }) => o.op)).toEqual(['change', 'equal', 'insert']);
    expect(diff.body.body[0].parts.find((p: { op: string }) => p.op === 'insert').text).toBe('隆重');
    expect(diff.body.stats.insertedChars).toBe('隆重'.length + '观众欢呼。'.length);

    const restored = await editor.post(`/api/items/${id}/revisions/1/restore`, {});
    expect(restored.body.revision).toBe(4);
    expect(restored.body.title).toBe('修订测试');
    expect(restored.body.bodyHtml).toBe('<p>成都大运会开幕。运动员入场。</p>');
    const one = await editor.get(`/api/items/${id}/revisions/2`);
    expect(one.body.bodyText).toBe('成都大运会隆重开幕。运动员入场。观众欢呼。');
  });

  it('refuses a save based on an old revision with a conflict that carries the diff, losing nothing', async () => {
    const created = await editor.post('/api/items', article('并发保存', '第一版。'));
    const id = created.body.id;
    await editor.patch(`/api/items/${id}`, { body: docFromText('第一版。同事加的一句。'), baseRevision: 1 });
    const mine = await editor.patch(`/api/items/${id}`, { body: docFromText('第一版。我加的一句。'), baseRevision: 1 });
    expect(mine.status).toBe(409);
    expect(mine.body.currentRevision).toBe(2);
    expect(mine.body.diff.body.some((o: { after?: string }) => o.after?.includes('同事加的一句'))).toBe(true);
    const now = await editor.get(`/api/items/${id}`);
    expect(now.body.bodyHtml).toContain('同事加的一句');
  });
});

describe('scope rules between units', () => {
  it("a county's own-unit item is invisible to a sibling county and to other cities", async () => {
    const own = await editor.post('/api/items', article('青羊未共享稿'));
    const id = own.body.id;
    expect((await reporter.get(`/api/items/${id}`)).status).toBe(404);
    const mianyang = await server.as('mianyang_admin');
    expect((await mianyang.get(`/api/items/${id}`)).status).toBe(404);
    expect((await reporter.patch(`/api/items/${id}`, { title: '改别人的稿' })).status).toBe(404);
    const pool = await reporter.get('/api/items?view=shared');
    expect(pool.body.items.some((i: { id: string }) => i.id === id)).toBe(false);
    // The province supervisor reads everything below it, but never writes.
    const supervisor = await server.as('supervisor');
    expect((await supervisor.get(`/api/items/${id}`)).status).toBe(200);
    expect((await supervisor.patch(`/api/items/${id}`, { title: '监管改稿' })).status).toBe(403);
  });

  it('a shared item is readable by the units its scope names; parents scope reaches only the parent chain', async () => {
    const item = await editor.post('/api/items', article('青羊共享给上级'));
    const id = item.body.id;
    await editor.put(`/api/items/${id}/share`, { scope: 'parents' });
    const chengdu = await server.as('chengdu_admin');
    expect((await chengdu.get(`/api/items/${id}`)).status).toBe(200);
    expect((await reporter.get(`/api/items/${id}`)).status).toBe(404);
    await editor.put(`/api/items/${id}/share`, { scope: 'units', unitIds: [await unitId('510104')] });
    expect((await reporter.get(`/api/items/${id}`)).status).toBe(200);
    expect((await (await server.as('mianyang_admin')).get(`/api/items/${id}`)).status).toBe(404);
    await editor.put(`/api/items/${id}/share`, { scope: 'alliance' });
    const mianyang = await server.as('mianyang_admin');
    expect((await mianyang.get(`/api/items/${id}`)).status).toBe(200);
  });

  it('the shared pool offers another unit\'s story only once it is signed off, never its draft', async () => {
    const mianyang = await server.as('mianyang_admin');
    const inPool = async (id: string) => (await mianyang.get('/api/items?view=shared&limit=100')).body.items.find((i: { id: string }) => i.id === id);
    // 青羊区: the reporter writes, the editor, chief editor and unit admin approve in turn (初审, 复审, 终审 = 签发)
    const [qyReporter, qyChief, qyAdmin] = await Promise.all(['qingyang_reporter', 'qingyang_chief', 'qingyang_admin'].map((u) => server.as(u)));
    const story = await qyReporter.post('/api/items', article('青羊共享草稿不进稿池'));
    const id = story.body.id;
    expect((await editor.put(`/api/items/${id}/share`, { scope: 'alliance' })).status).toBe(200);
    expect(await inPool(id)).toBeUndefined();
    expect((await qyReporter.post(`/api/items/${id}/workflow/submit`, {})).status).toBe(200);
    expect(await inPool(id)).toBeUndefined();
    for (const by of [editor, qyChief, qyAdmin]) expect((await by.post(`/api/items/${id}/workflow/approve`, {})).status).toBe(200);
    const offered = await inPool(id);
    expect(offered).toMatchObject({ status: 'signed_off', unitName: '青羊区融媒体中心' });
    // the pool's own status filter cannot bring a draft back
    const drafts = await mianyang.get('/api/items?view=shared&status=draft');
    expect(drafts.status).toBe(200);
    expect(drafts.body.items).toEqual([]);
  });

  it('only editors share; a reporter may not', async () => {
    const mine = await reporter.post('/api/items', article('记者稿'));
    const res = await reporter.put(`/api/items/${mine.body.id}/share`, { scope: 'alliance' });
    expect(res.status).toBe(403);
  });

  it('an adopted copy keeps provenance and counts for the originator, once per unit', async () => {
    const original = await editor.post('/api/items', article('可采用的稿件'));
    const id = original.body.id;
    await editor.put(`/api/items/${id}/share`, { scope: 'alliance' });
    const multi = await server.as('multi');
    await multi.put('/api/session/unit', { unitId: await unitId('510108') }); // chief editor in 成华
    const copy = await multi.post(`/api/items/${id}/adopt`);
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    expect(copy.body.unitName).toBe('成华区融媒体中心');
    expect(copy.body.provenance).toEqual({
      originUnitId: await unitId('510105'),
      originUnitName: '青羊区融媒体中心',
      originItemId: id,
      creditLine: '来源：青羊区融媒体中心',
    });
    expect(copy.body.title).toBe('可采用的稿件');
    expect(copy.body.status).toBe('draft');
    const again = await multi.post(`/api/items/${id}/adopt`);
    expect(again.status).toBe(409);
    const origin = await editor.get(`/api/items/${id}`);
    expect(origin.body.adoptionCount).toBe(1);
    expect(origin.body.adoptions[0].unitName).toBe('成华区融媒体中心');
    // As a reporter in 锦江 the same person may not adopt.
    await multi.put('/api/session/unit', { unitId: await unitId('510104') });
    expect((await multi.post(`/api/items/${id}/adopt`)).status).toBe(403);
  });

  it('relays up to the parent and down to units below, each landing in the receiving inbox', async () => {
    const item = await editor.post('/api/items', article('报送市里的稿件'));
    const up = await editor.post(`/api/items/${item.body.id}/relay-up`, { note: '请市里采用' });
    expect(up.status).toBe(201);
    const chengdu = await server.as('chengdu_admin');
    const inbox = await chengdu.get('/api/relays');
    const got = inbox.body.items.find((d: { itemId: string }) => d.itemId === item.body.id);
    expect(got).toMatchObject({ direction: 'up', fromUnitName: '青羊区融媒体中心', note: '请市里采用', revision: item.body.revision });
    expect((await chengdu.get(`/api/items/${item.body.id}`)).status).toBe(200);
    // the item page opened from 汇聚 asks for this item's relays only, to show the note
    const forItem = await chengdu.get(`/api/relays?itemId=${item.body.id}`);
    expect(forItem.body.items.map((d: { note: string }) => d.note)).toEqual(['请市里采用']);
    const mianyang = await server.as('mianyang_admin');
    expect((await mianyang.get(`/api/items/${item.body.id}`)).status).toBe(404);
    expect((await mianyang.get(`/api/relays?itemId=${item.body.id}`)).body.items).toEqual([]);

    const cityItem = await chengdu.post('/api/items', article('市里下发的通稿'));
    const down = await chengdu.post(`/api/items/${cityItem.body.id}/relay-down`, { unitIds: [await unitId('510104'), await unitId('510105')], note: '各区县参考' });
    expect(down.body.relays).toBe(2);
    expect((await reporter.get(`/api/items/${cityItem.body.id}`)).status).toBe(200);
    const wrong = await chengdu.post(`/api/items/${cityItem.body.id}/relay-down`, { unitIds: [await unitId('510703')] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toContain('下级');
    const sideways = await editor.post(`/api/items/${item.body.id}/relay-up`, { toUnitId: await unitId('510104') });
    expect(sideways.status).toBe(400);
  });

  it('relays a revision to a unit once: a second 上报 is refused naming the unit, an edited revision may go again', async () => {
    const item = await editor.post('/api/items', article('只报一次的稿件'));
    expect((await editor.post(`/api/items/${item.body.id}/relay-up`, {})).status).toBe(201);
    const again = await editor.post(`/api/items/${item.body.id}/relay-up`, { note: '再报一次' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'already_relayed', revision: item.body.revision });
    expect(again.body.detail).toContain('成都市');
    const chengdu = await server.as('chengdu_admin');
    const inboxRows = async () => (await chengdu.get('/api/relays')).body.items.filter((d: { itemId: string }) => d.itemId === item.body.id);
    expect(await inboxRows()).toHaveLength(1);
    const edited = await editor.patch(`/api/items/${item.body.id}`, { title: '只报一次的稿件（修改）', baseRevision: item.body.revision });
    expect(edited.status).toBe(200);
    expect((await editor.post(`/api/items/${item.body.id}/relay-up`, {})).status).toBe(201);
    expect(await inboxRows()).toHaveLength(2);
    // 下发 to two units where one already has this revision: refused as a whole, nothing new is written.
    const cityItem = await chengdu.post('/api/items', article('只发一次的通稿'));
    expect((await chengdu.post(`/api/items/${cityItem.body.id}/relay-down`, { unitIds: [await unitId('510105')] })).status).toBe(201);
    const both = await chengdu.post(`/api/items/${cityItem.body.id}/relay-down`, { unitIds: [await unitId('510104'), await unitId('510105')] });
    expect(both.status).toBe(409);
    expect((await reporter.get('/api/relays')).body.items.some((d: { itemId: string }) => d.itemId === cityItem.body.id)).toBe(false);
  });
});
