import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type TestServer, startTestServer } from '../../test/harness.ts';
import { channel, deliver, source, unitByCode } from '../../test/site-store.ts';
import type { ChannelAdapter, ChannelRef } from '../distribution/contract.ts';
import { siteAdapters } from './site.adapters.ts';

/** 门户编排 over HTTP: a unit's editor chooses its 头条, 专题 and 栏目 order; the home page follows; other units' stories are refused. */
let server: TestServer;
let adapters: ChannelAdapter[];
let editor: ApiClient;
let reporter: ApiClient;
let qingyangEditor: ApiClient;
type Unit = Awaited<ReturnType<typeof unitByCode>>;
let jinjiang: Unit;
let qingyang: Unit;
let jjPortal: ChannelRef;
let qyPortal: ChannelRef;

const home = async (slug: string) => (await fetch(`${server.url}/portal/${slug}`)).text();
/** The part of the home page between two markers. */
const between = (page: string, from: string, to: string) => page.slice(page.indexOf(from), page.indexOf(to, page.indexOf(from)));
const hourAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  adapters = siteAdapters(server.db);
  [editor, reporter, qingyangEditor] = await Promise.all(['jinjiang_editor', 'jinjiang_reporter', 'qingyang_editor'].map((u) => server.as(u)));
  jinjiang = await unitByCode(server.db, '510104');
  qingyang = await unitByCode(server.db, '510105');
  jjPortal = channel('portal', jinjiang.id);
  qyPortal = channel('portal', qingyang.id);
});
afterAll(() => server.close());

describe('门户编排', () => {
  it('an editor picks the 头条 by search, a 专题 and the 栏目 order; the home shows them, big 头条 first', async () => {
    const older = source({ unit: jinjiang, title: '锦江区老旧小区改造全面完工', category: '民生', publishedAt: hourAgo(5) });
    const newest = source({ unit: jinjiang, title: '锦江区今日天气晴好', category: '民生', coverAssetId: crypto.randomUUID(), publishedAt: hourAgo(1) });
    const culture = source({ unit: jinjiang, title: '锦江区非遗市集开市', category: '文化', publishedAt: hourAgo(2) });
    const topic = source({ unit: jinjiang, type: 'special', title: '专题：锦江两岸夜经济', category: '专题', specialItemIds: [older.itemId], publishedAt: hourAgo(3) });
    for (const s of [older, newest, culture, topic]) await deliver(adapters, jjPortal, s);

    // Automatic before anyone chooses: the newest story with a picture is the 头条, the newest topic is on the strip.
    let page = await home('510104');
    expect(between(page, 'id="headline-h"', '</section>')).toContain('锦江区今日天气晴好');
    expect(between(page, 'id="topics-h"', '</section>')).toContain('专题：锦江两岸夜经济');

    const found = await editor.get('/api/portal/curation/candidates?q=' + encodeURIComponent('老旧小区'));
    expect(found.status).toBe(200);
    expect(found.body.items.map((s: { itemId: string }) => s.itemId)).toEqual([older.itemId]);
    const topics = await editor.get('/api/portal/curation/candidates?type=special');
    expect(topics.body.items.map((s: { itemId: string }) => s.itemId)).toEqual([topic.itemId]);

    const set = await editor.put('/api/portal/curation', { headlineItemId: older.itemId, topicItemIds: [topic.itemId], sectionOrder: ['文化', '民生'] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ unit: { slug: '510104' }, headline: { itemId: older.itemId, title: '锦江区老旧小区改造全面完工' }, topics: [{ itemId: topic.itemId }], sectionOrder: ['文化', '民生'] });
    expect((await editor.get('/api/portal/curation')).body.headline.itemId).toBe(older.itemId);

    // The home is not served stale from the page cache: the choice shows at once.
    page = await home('510104');
    const headline = between(page, 'id="headline-h"', '</section>');
    expect(headline).toContain('锦江区老旧小区改造全面完工');
    expect(headline).toContain('class="card lead');
    expect(between(page, 'id="latest-h"', '</section>')).not.toContain('锦江区老旧小区改造全面完工');
    expect(between(page, 'id="topics-h"', '</section>')).toContain('专题：锦江两岸夜经济');
    // 栏目 blocks in the chosen order: 文化 before 民生 (民生 has more stories, so it came first before).
    const blocks = [...page.matchAll(/<section class="section-block" aria-labelledby="sec-\d+"><h2 id="sec-\d+"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(blocks.slice(0, 2)).toEqual(['文化', '民生']);
    expect(page.indexOf('id="headline-h"')).toBeLessThan(page.indexOf('id="topics-h"'));
    expect(page.indexOf('id="topics-h"')).toBeLessThan(page.indexOf('class="section-grid"'));

    const audit = await server.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'portal.curate').execute();
    expect(audit).toEqual([{ action: 'portal.curate', target_id: jinjiang.id }]);

    // Back to automatic.
    expect((await editor.put('/api/portal/curation', { headlineItemId: null, topicItemIds: [], sectionOrder: [] })).status).toBe(200);
    expect(between(await home('510104'), 'id="headline-h"', '</section>')).toContain('锦江区今日天气晴好');
  });

  it('a unit cannot pick another unit’s story as its 头条 or 专题, nor arrange another unit’s home; nothing is saved', async () => {
    const mine = source({ unit: jinjiang, title: '锦江区自己的头条', category: '民生' });
    const theirs = source({ unit: qingyang, title: '青羊区的稿件', category: '民生' });
    const theirsHere = source({ unit: qingyang, title: '青羊区送到锦江门户的稿件', category: '民生' });
    const theirTopic = source({ unit: qingyang, type: 'special', title: '青羊区专题', category: '专题' });
    await deliver(adapters, jjPortal, mine);
    await deliver(adapters, qyPortal, theirs);
    await deliver(adapters, qyPortal, theirTopic);
    // Delivered to Jinjiang's portal, but still Qingyang's story.
    await deliver(adapters, jjPortal, theirsHere);
    expect((await editor.put('/api/portal/curation', { headlineItemId: mine.itemId, topicItemIds: [], sectionOrder: [] })).status).toBe(200);

    for (const id of [theirs.itemId, theirsHere.itemId, crypto.randomUUID()]) {
      const refused = await editor.put('/api/portal/curation', { headlineItemId: id, topicItemIds: [], sectionOrder: [] });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('headline_not_own');
      expect(refused.body.detail).toContain('头条只能选本单位门户上在发的稿件');
    }
    const topic = await editor.put('/api/portal/curation', { headlineItemId: mine.itemId, topicItemIds: [theirTopic.itemId], sectionOrder: [] });
    expect(topic.status).toBe(400);
    expect(topic.body.code).toBe('topic_not_own');
    const notTopic = await editor.put('/api/portal/curation', { headlineItemId: null, topicItemIds: [mine.itemId], sectionOrder: [] });
    expect(notTopic.status).toBe(400);
    expect(notTopic.body.detail).toContain('不是专题稿件');
    const section = await editor.put('/api/portal/curation', { headlineItemId: null, topicItemIds: [], sectionOrder: ['没有的栏目'] });
    expect(section.status).toBe(400);
    expect(section.body.detail).toContain('没有「没有的栏目」栏目');
    expect((await editor.get('/api/portal/curation')).body.headline.itemId).toBe(mine.itemId);
    // Not in the candidates either.
    const candidates = (await editor.get('/api/portal/curation/candidates?q=' + encodeURIComponent('青羊区'))).body.items;
    expect(candidates).toEqual([]);

    // Another unit's home, and a reporter: refused by the rulebook.
    const foreign = await qingyangEditor.put('/api/portal/curation', { unit: '510104', headlineItemId: null, topicItemIds: [], sectionOrder: [] });
    expect(foreign.status).toBe(403);
    expect(foreign.body.detail).toContain('只有本单位的编辑、主编或管理员可以编排门户首页');
    expect((await qingyangEditor.get('/api/portal/curation?unit=510104')).status).toBe(403);
    expect((await reporter.put('/api/portal/curation', { headlineItemId: null, topicItemIds: [], sectionOrder: [] })).status).toBe(403);
    expect((await editor.get('/api/portal/curation')).body.headline.itemId).toBe(mine.itemId);
    expect(between(await home('510104'), 'id="headline-h"', '</section>')).toContain('锦江区自己的头条');
  });

  it('a chosen 头条 that is retracted drops out and the home falls back to automatic', async () => {
    const chosen = source({ unit: jinjiang, title: '将被撤回的头条', category: '民生' });
    await deliver(adapters, jjPortal, chosen);
    expect((await editor.put('/api/portal/curation', { headlineItemId: chosen.itemId, topicItemIds: [], sectionOrder: [] })).status).toBe(200);
    expect(between(await home('510104'), 'id="headline-h"', '</section>')).toContain('将被撤回的头条');
    await deliver(adapters, jjPortal, chosen, 'retract');
    expect(await home('510104')).not.toContain('将被撤回的头条');
    expect((await editor.get('/api/portal/curation')).body.headline).toBeNull();
  });
});
