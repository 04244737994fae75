import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type TestServer, startTestServer } from '../../../test/harness.ts';
import { docFromText } from '../doc.ts';

let server: TestServer;
let editor: ApiClient; // 青羊区 editor
let reporter: ApiClient; // 锦江区 reporter
const timings: number[] = [];

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  editor = await server.as('qingyang_editor');
  reporter = await server.as('jinjiang_reporter');
});
afterAll(async () => {
  if (timings.length) {
    const sorted = [...timings].sort((a, b) => a - b);
    console.info(`understanding: ${timings.length} items, median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms of computation per item`);
  }
  await server.close();
});

const row = (id: string) =>
  server.db
    .selectFrom('content_items')
    .select(['understanding', 'understood_at', 'simhash', 'revision', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/** Waits until the background job has read `revision` of the item. */
async function understood(id: string, revision = 1, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await row(id);
    const u = r.understanding as { machine?: { revision: number; ms: number } } | null;
    if (u?.machine && u.machine.revision >= revision) {
      timings.push(u.machine.ms);
      return r;
    }
    if (Date.now() > until) throw new Error(`item ${id} not understood within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const story = '青羊区文化馆昨天举办川剧变脸公益课堂，川剧演员王晓东为四十多名小学生讲解变脸的历史。成都市青羊区融媒体中心进行了直播。' +
  '\n活动现场，孩子们在宽窄巷子附近的剧场体验了川剧脸谱绘制。青羊区文化馆负责人表示，今年将在全区举办二十场非遗进校园活动。' +
  '\n据了解，川剧变脸已列入国家级非物质文化遗产名录，青羊区共有五个川剧传习点。';

async function create(client: ApiClient, title: string, text: string, extra: Record<string, unknown> = {}) {
  const res = await client.post('/api/items', { type: 'article', title, body: docFromText(text), ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; revision: number; understanding: unknown; updatedAt: string };
}

describe('understanding', () => {
  it('never holds up a save: the save answers first, the job fills in keywords, entities, summary and SimHash', async () => {
    // Hold the job at the door: the save must answer while the job for it is still waiting.
    const service = server.services.understanding;
    const real = service.understand.bind(service);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const waiting: string[] = [];
    service.understand = async (itemId: string) => {
      waiting.push(itemId);
      await gate;
      return real(itemId);
    };
    let created: Awaited<ReturnType<typeof create>>;
    let saveMs: number;
    try {
      const started = performance.now();
      created = await create(editor, '川剧变脸走进青羊课堂', story);
      saveMs = performance.now() - started;
      expect(created.understanding).toBeNull();
      // The job was enqueued with the save and picked up, and is held; the item has no understanding yet.
      for (let i = 0; i < 100 && !waiting.includes(created.id); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(waiting).toContain(created.id);
      expect((await row(created.id)).understood_at).toBeNull();
    } finally {
      service.understand = real;
      release();
    }

    const r = await understood(created.id);
    const u = r.understanding as Record<string, any>;
    console.info(`save answered in ${Math.round(saveMs)} ms; understanding stored ${Date.now() - new Date(created.updatedAt).getTime()} ms after the save`);
    expect(u.keywords.map((k: { word: string }) => k.word)).toEqual(expect.arrayContaining(['川剧', '变脸']));
    const places = u.entities.places as { name: string; code?: string }[];
    expect(places).toContainEqual(expect.objectContaining({ name: '青羊区', code: '510105' }));
    expect(u.entities.organisations.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['成都市青羊区融媒体中心']));
    expect(u.summary.length).toBeGreaterThan(10);
    expect(u.summary.length).toBeLessThanOrEqual(150);
    expect(u.simhash).toMatch(/^[0-9a-f]{16}$/);
    expect(r.simhash).toBe(u.simhash);
    expect(u.edited).toBe(false);
    expect(u.machine.revision).toBe(1);
    // Understanding is not an edit: no revision, no updated_at change.
    expect(r.revision).toBe(1);
    expect(new Date(r.updated_at).toISOString()).toBe(created.updatedAt);
    expect((await editor.get(`/api/items/${created.id}/revisions`)).body.items).toHaveLength(1);
    // And the item API shows it.
    expect((await editor.get(`/api/items/${created.id}`)).body.understanding.simhash).toBe(u.simhash);
  });

  it('recomputes after each save; the job skips an item that is gone', async () => {
    const created = await create(editor, '锦城湖公园春季花展开幕', '锦城湖公园春季花展今天开幕，展出郁金香等二十多个品种。');
    await understood(created.id);
    await editor.patch(`/api/items/${created.id}`, { body: docFromText('锦城湖公园春季花展今天开幕，展出郁金香、樱花等三十多个品种，预计接待游客十万人次。') });
    const r = await understood(created.id, 2);
    expect((r.understanding as { machine: { revision: number } }).machine.revision).toBe(2);
    expect(await server.services.understanding.understand('00000000-0000-4000-8000-000000000000')).toEqual({
      itemId: '00000000-0000-4000-8000-000000000000',
      outcome: 'gone',
    });
  });

  it("suggests a category from the unit's own labelled items, only once it has enough, and retrains only when they change", async () => {
    const first = await create(editor, '温江区举办少儿足球联赛', '温江区少儿足球联赛今天开赛，三十支球队参加比赛。');
    expect(((await understood(first.id)).understanding as { category: unknown }).category).toBeNull();

    const sports = [
      ['成都蓉城主场取胜', '成都蓉城足球队主场二比一战胜对手，球迷在凤凰山体育场为球队加油，前锋梅开二度。'],
      ['四川男篮客场惜败', '四川男篮客场以五分之差惜败，球队下周回到主场迎战强敌，教练表示将调整防守。'],
      ['马拉松报名开启', '成都马拉松今天开启报名，赛事设全程、半程和欢乐跑三个项目，运动员名额三万个。'],
      ['乒乓球公开赛落幕', '乒乓球公开赛在成都落幕，中国选手包揽男女单打冠军，比赛吸引上万名观众。'],
      ['游泳冠军回乡', '奥运游泳冠军回到家乡眉山，与小运动员交流训练经验，鼓励孩子们坚持比赛。'],
    ];
    const culture = [
      ['博物馆推出三星堆特展', '四川博物院推出三星堆文物特展，青铜面具和金杖首次同场展出，观众排起长队。'],
      ['蜀绣技艺传承', '蜀绣非遗传承人在青羊区开办培训班，学员用一年时间学习针法，作品将在展览中亮相。'],
      ['杜甫草堂诗歌节', '杜甫草堂举办诗歌节，诗人朗诵新作，书法家现场书写杜诗，市民感受传统文化。'],
      ['川剧新编剧目首演', '新编川剧剧目在锦城艺术宫首演，剧本取材于三国故事，演员唱腔赢得阵阵掌声。'],
      ['非遗市集开张', '宽窄巷子非遗市集开张，竹编、漆器、糖画等二十个非遗项目展示传统手艺。'],
    ];
    const labelled: string[] = [];
    for (const [title, text] of sports) labelled.push((await create(editor, title!, text!, { category: '体育' })).id);
    for (const [title, text] of culture) labelled.push((await create(editor, title!, text!, { category: '文化' })).id);
    const probe = await create(editor, '篮球联赛青羊赛区开打', '青羊区篮球联赛今天开打，二十支球队将进行八十场比赛，冠军将代表成都参加全省比赛。');
    const u = (await understood(probe.id)).understanding as { category: { label: string; probability: number; source: string }; machine: { model: { labels: string[]; labelled: number } } };
    expect(u.category.label).toBe('体育');
    expect(u.category.source).toBe('model');
    expect(u.machine.model.labels).toEqual(['体育', '文化']);
    const culturalProbe = await create(editor, '青羊区举办非遗展览', '青羊区文化馆举办非遗展览，蜀绣、川剧脸谱和竹编作品吸引市民参观。');
    expect(((await understood(culturalProbe.id)).understanding as { category: { label: string } }).category.label).toBe('文化');

    // An unlabelled save leaves the model alone; a labelled one retrains it.
    const model = () => server.db.selectFrom('unit_category_models as m').innerJoin('units as u', 'u.id', 'm.unit_id').select(['m.trained_at', 'm.labelled_count']).where('u.division_code', '=', '510105').executeTakeFirstOrThrow();
    const before = await model();
    await editor.patch(`/api/items/${probe.id}`, { summary: '篮球联赛开打' });
    await understood(probe.id, 2);
    expect((await model()).trained_at).toEqual(before.trained_at);
    await editor.patch(`/api/items/${probe.id}`, { category: '体育' });
    await understood(probe.id, 3);
    const after = await model();
    expect(after.labelled_count).toBe(before.labelled_count + 1);
    expect(after.trained_at.getTime()).toBeGreaterThan(before.trained_at.getTime());
  });

  it('lets an editor correct it: corrections win, the machine values are kept, later saves keep them until reset', async () => {
    const created = await create(editor, '青羊区启动老旧小区改造', '青羊区今年启动五十个老旧小区改造项目，涉及居民一万两千户，加装电梯一百部。');
    await understood(created.id);
    const corrected = await editor.patch(`/api/items/${created.id}/understanding`, {
      summary: '青羊区启动五十个老旧小区改造。',
      keywords: ['老旧小区', '加装电梯', '老旧小区'],
      entities: { places: [{ name: '青羊区', code: '510105' }], people: [{ name: '李华' }] },
      category: '民生',
    });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    const u = corrected.body;
    expect(u.edited).toBe(true);
    expect(u.editedFields).toEqual(['keywords', 'entities', 'summary', 'category']);
    expect(u.summary).toBe('青羊区启动五十个老旧小区改造。');
    expect(u.keywords).toEqual([{ word: '老旧小区' }, { word: '加装电梯' }]);
    expect(u.entities.people).toEqual([{ name: '李华' }]);
    expect(u.category).toEqual({ label: '民生', probability: null, source: 'editor' });
    expect(u.machine.summary).not.toBe(u.summary);
    expect(u.machine.keywords.length).toBeGreaterThan(0);

    // A later save recomputes the machine reading; the correction stays in force.
    await editor.patch(`/api/items/${created.id}`, { title: '青羊区启动老旧小区改造（更新）' });
    const after = (await understood(created.id, 2)).understanding as Record<string, any>;
    expect(after.summary).toBe('青羊区启动五十个老旧小区改造。');
    expect(after.machine.revision).toBe(2);
    expect(after.edited).toBe(true);

    const reset = await editor.patch(`/api/items/${created.id}/understanding`, { reset: ['summary', 'keywords', 'entities', 'category'] });
    expect(reset.body.edited).toBe(false);
    expect(reset.body.summary).toBe(after.machine.summary);

    const audit = await server.db.selectFrom('audit_log').select(['action', 'after']).where('target_id', '=', created.id).where('action', '=', 'content.understanding.correct').execute();
    expect(audit).toHaveLength(2);

    // Another unit cannot see the item, let alone correct it; bad input is a 400.
    expect((await reporter.patch(`/api/items/${created.id}/understanding`, { summary: 'x' })).status).toBe(404);
    expect((await editor.patch(`/api/items/${created.id}/understanding`, {})).status).toBe(400);
    expect((await editor.patch(`/api/items/${created.id}/understanding`, { reset: ['title'] })).status).toBe(400);
  });

  it('lists near-duplicates within 3 bits among the items the caller can see', async () => {
    const text = [
      '龙泉驿区第三十八届桃花节将于三月十八日在桃花故里景区开幕，活动持续到四月上旬。',
      '今年的桃花节新增夜游灯光秀、桃花诗会和农特产品市集，景区内二十多个观景点全部免费开放。',
      '主办方介绍，预计活动期间接待游客两百万人次，旅游综合收入有望突破十亿元。',
      '为方便市民出行，景区周边新增停车位三千个，地铁站设置接驳专线，节假日每十分钟发一班车。',
    ].join('\n');
    const original = await create(editor, '龙泉驿桃花节三月十八日开幕', text);
    // The same story re-sent with its punctuation and layout changed and a closing mark: 0–3 bits apart.
    const copy = await create(editor, '龙泉驿桃花节三月十八日开幕', `${text.replaceAll('，', '、').replaceAll('\n', '')}（完）`);
    const other = await create(editor, '锦江区夜市开市', '锦江区春熙路夜市今晚开市，一百多个摊位售卖小吃和文创产品。');
    await Promise.all([understood(original.id), understood(copy.id), understood(other.id)]);
    const dups = await editor.get(`/api/items/${copy.id}/duplicates`);
    expect(dups.status).toBe(200);
    const ids = dups.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(original.id);
    expect(ids).not.toContain(other.id);
    expect(ids).not.toContain(copy.id);
    expect(dups.body.items[0].distance).toBeLessThanOrEqual(3);

    // 锦江区's reporter writes the same story; 青羊区's items are private to 青羊区, so it sees none of them.
    const theirs = await create(reporter, '龙泉驿桃花节三月十八日开幕', text);
    await understood(theirs.id);
    const seenByThem = await reporter.get(`/api/items/${theirs.id}/duplicates`);
    expect(seenByThem.body.items).toEqual([]);
    expect((await reporter.get(`/api/items/${copy.id}/duplicates`)).status).toBe(404);
    // …while 青羊区 does not see 锦江区's draft either.
    expect((await editor.get(`/api/items/${original.id}/duplicates`)).body.items.map((i: { id: string }) => i.id)).not.toContain(theirs.id);
  });
});
