import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type TestServer } from '../../test/harness.ts';
import { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import { docFromText } from '../content/doc.ts';
import { LlmScreener } from './llm.ts';

let server: TestServer;
let reporter: ApiClient;
let editor: ApiClient;
let chief: ApiClient;
let leader: ApiClient;
let qingyang: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  [reporter, editor, chief, leader, qingyang] = await Promise.all(
    ['jinjiang_reporter', 'jinjiang_editor', 'jinjiang_chief', 'jinjiang_admin', 'qingyang_editor'].map((u) => server.as(u)),
  );
}, 120_000);
afterAll(() => server.close());

const write = async (by: ApiClient, title: string, text: string) => {
  const res = await by.post('/api/items', { type: 'article', title, body: docFromText(text) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const act = (by: ApiClient, id: string, action: string, body: Record<string, unknown> = {}) => by.post(`/api/items/${id}/workflow/${action}`, body);
const unitLexicon = async (by: ApiClient, name: string) => {
  const res = await by.post('/api/screening/lexicons', { name, scope: 'unit' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};

describe('lexicons', () => {
  it('seeds the default alliance lexicon once and lets only the alliance admin change it', async () => {
    const list = (await reporter.get('/api/screening/lexicons')).body.items;
    const houbb = list.find((l: { builtin: boolean; scope: string }) => l.builtin && l.scope === 'alliance');
    expect(houbb.termCount).toBeGreaterThan(10_000);
    expect(houbb.version).toBe(1);
    // Tiered: ordinary words are info, so a news sentence about a film is no finding of review or above.
    expect((await reporter.post('/api/screening/test', { text: '这部日本电影的美女主角谈到签证和证券。' })).body.verdict).toBe('pass');
    const nearHit = (await reporter.post('/api/screening/test', { text: '有人在出售黑市炸药。' })).body.findings;
    expect(nearHit.some((f: { reason?: string }) => f.reason?.includes('附近有')), JSON.stringify(nearHit)).toBe(true);
    expect((await chief.post(`/api/screening/lexicons/${houbb.id}/terms`, { terms: [{ term: '某词', category: 'custom', severity: 'review' }] })).status).toBe(403);
    expect((await chief.post('/api/screening/lexicons', { name: '联合体新词库', scope: 'alliance' })).status).toBe(403);
  });

  it('rejects a malformed import with line numbers and changes nothing', async () => {
    const id = await unitLexicon(chief, '导入测试');
    await chief.post(`/api/screening/lexicons/${id}/terms`, { terms: [{ term: '原有词', category: 'custom', severity: 'review' }] });
    const bad = await chief.post(`/api/screening/lexicons/${id}/import`, { format: 'csv', content: 'term,category,severity\n好词,ads,review\n坏词,nonsense,block\n"未闭合,ads,review\n' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('bad_lexicon_file');
    expect(bad.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4]);
    const after = (await chief.get(`/api/screening/lexicons/${id}`)).body;
    expect(after.lexicon.version).toBe(1);
    expect(after.terms.map((t: { term: string }) => t.term)).toEqual(['原有词']);
  });

  it('refuses an over-long term in a txt or CSV import as a line error, like the terms route, and changes nothing', async () => {
    const id = await unitLexicon(chief, '长词测试');
    await chief.post(`/api/screening/lexicons/${id}/terms`, { terms: [{ term: '原有词', category: 'custom', severity: 'review' }] });
    // 3,000 different CJK characters are 9,000 bytes that do not compress: beyond what a PostgreSQL index row holds.
    const huge = Array.from({ length: 3000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join('');
    const txt = await chief.post(`/api/screening/lexicons/${id}/import`, { format: 'txt', content: `好词\n${huge}\n${'词'.repeat(101)}\tads review\n` });
    expect(txt.status, JSON.stringify(txt.body)).toBe(400);
    expect(txt.body.code).toBe('bad_lexicon_file');
    expect(txt.body.errors.map((e: { line: number }) => e.line)).toEqual([2, 3]);
    expect(txt.body.errors[0].message).toContain('100');
    const csv = await chief.post(`/api/screening/lexicons/${id}/import`, { format: 'csv', content: `term,category,severity\n"${huge}",ads,review\n好词,ads,review\n` });
    expect(csv.status, JSON.stringify(csv.body)).toBe(400);
    expect(csv.body.errors.map((e: { line: number }) => e.line)).toEqual([2]);
    const after = (await chief.get(`/api/screening/lexicons/${id}`)).body;
    expect(after.lexicon.version).toBe(1);
    expect(after.terms.map((t: { term: string }) => t.term)).toEqual(['原有词']);
    // The limit is the terms route's: exactly 100 characters (astral ones count once) is accepted.
    const longest = '𠀀'.repeat(50) + '词'.repeat(50);
    const ok = await chief.post(`/api/screening/lexicons/${id}/import`, { format: 'txt', content: `${longest}\n` });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await chief.post(`/api/screening/lexicons/${id}/terms`, { terms: [{ term: longest, category: 'custom', severity: 'review' }] })).status).toBe(200);
  });

  it('versions every change and exports any version as CSV or txt that imports back unchanged', async () => {
    const id = await unitLexicon(chief, '版本测试');
    const v1 = await chief.post(`/api/screening/lexicons/${id}/import`, { format: 'csv', content: 'term,category,severity\n甲词,ads,review\n乙词,fraud,block\n' });
    expect(v1.body).toMatchObject({ version: 1, added: 2, removed: 0 });
    const v2 = await chief.post(`/api/screening/lexicons/${id}/terms`, { terms: [{ term: '丙词', category: 'gambling', severity: 'block' }, { term: '甲词', category: 'ads', severity: 'block' }] });
    expect(v2.body).toMatchObject({ version: 2, added: 2, removed: 0 });
    const v3 = await chief.request('DELETE', `/api/screening/lexicons/${id}/terms`, { terms: ['乙词'] });
    expect(v3.body).toMatchObject({ version: 3, removed: 1 });
    const same = await chief.post(`/api/screening/lexicons/${id}/terms`, { terms: [{ term: '丙词', category: 'gambling', severity: 'block' }] });
    expect(same.body).toMatchObject({ version: 3, changed: false });

    const detail = (await chief.get(`/api/screening/lexicons/${id}`)).body;
    expect(detail.versions.map((v: { version: number; changedByName: string }) => [v.version, v.changedByName])).toEqual([
      [3, 'jinjiang_chief'],
      [2, 'jinjiang_chief'],
      [1, 'jinjiang_chief'],
    ]);
    const csv1 = (await chief.get(`/api/screening/lexicons/${id}/export?format=csv&version=1`)).body;
    expect(csv1).toBe('term,category,severity\n乙词,fraud,block\n甲词,ads,review\n');
    const csv3 = (await chief.get(`/api/screening/lexicons/${id}/export?format=csv`)).body as string;
    expect(csv3).toContain('甲词,ads,block');
    expect(csv3).not.toContain('乙词');
    expect((await chief.get(`/api/screening/lexicons/${id}/export?format=csv&version=9`)).status).toBe(404);

    // Round trips: a fresh lexicon imported from each export holds the same terms.
    for (const format of ['csv', 'txt'] as const) {
      const exported = (await chief.get(`/api/screening/lexicons/${id}/export?format=${format}`)).body as string;
      const copy = await unitLexicon(chief, `副本 ${format}`);
      expect((await chief.post(`/api/screening/lexicons/${copy}/import`, { format, content: exported })).status).toBe(200);
      expect((await chief.get(`/api/screening/lexicons/${copy}/export?format=${format}`)).body).toBe(exported);
    }
    const audit = (await leader.get('/api/audit?action=screening.lexicon')).body;
    expect(JSON.stringify(audit)).toContain('screening.lexicon.import');
  });

  it('applies a unit lexicon only to that unit, and an allow-list suppresses a term', async () => {
    const id = await unitLexicon(chief, '锦江专用');
    await chief.post(`/api/screening/lexicons/${id}/terms`, { terms: [{ term: '锦江禁词', category: 'custom', severity: 'block' }] });
    const mine = (await reporter.post('/api/screening/test', { text: '这里有锦江禁词。' })).body;
    expect(mine.verdict).toBe('block');
    expect(mine.findings[0]).toMatchObject({ rule: 'lexicon.custom', severity: 'block', start: 3, end: 7 });
    expect((await qingyang.post('/api/screening/test', { text: '这里有锦江禁词。' })).body.verdict).toBe('pass');
    expect((await qingyang.get(`/api/screening/lexicons/${id}`)).status).toBe(404);

    expect((await reporter.post('/api/screening/allow-list', { scope: 'unit', add: ['锦江禁词'] })).status).toBe(403);
    expect((await chief.post('/api/screening/allow-list', { scope: 'unit', add: ['锦江禁词'] })).body).toEqual({ added: 1, removed: 0 });
    expect((await reporter.post('/api/screening/test', { text: '这里有锦江禁词。' })).body.verdict).toBe('pass');
    expect((await chief.get('/api/screening/allow-list')).body.unit.map((t: { term: string }) => t.term)).toEqual(['锦江禁词']);
    await chief.post('/api/screening/allow-list', { scope: 'unit', remove: ['锦江禁词'] });
    expect((await reporter.post('/api/screening/test', { text: '这里有锦江禁词。' })).body.verdict).toBe('block');
  });

  it('「不是问题」: an editor proposes, only a chief editor approves, and the finding is gone with an audit row', async () => {
    const id = await unitLexicon(chief, '误报测试');
    await chief.post(`/api/screening/lexicons/${id}/terms`, { terms: [{ term: '误报词', category: 'custom', severity: 'review' }] });
    const finding = (await editor.post('/api/screening/test', { text: '一个误报词组。' })).body.findings[0];
    expect(finding).toMatchObject({ severity: 'review', reason: expect.stringContaining('慎用') });

    expect((await reporter.post('/api/screening/allow-proposals', { term: '误报词组', rule: finding.rule })).status).toBe(403);
    const proposed = await editor.post('/api/screening/allow-proposals', { term: '误报词组', rule: finding.rule, excerpt: '误报词', note: '是词组的一部分' });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    expect((await editor.post('/api/screening/allow-proposals', { term: '误报词组', rule: finding.rule })).status).toBe(409);
    // Proposed is not allowed: the finding stays until a chief editor agrees.
    expect((await editor.post('/api/screening/test', { text: '一个误报词组。' })).body.verdict).toBe('review');
    expect((await editor.post(`/api/screening/allow-proposals/${proposed.body.id}/decide`, { decision: 'approve' })).status).toBe(403);
    expect((await qingyang.get('/api/screening/allow-proposals')).body.items).toEqual([]);

    const approved = await chief.post(`/api/screening/allow-proposals/${proposed.body.id}/decide`, { decision: 'approve' });
    expect(approved.body).toMatchObject({ status: 'approved', term: '误报词组' });
    expect((await chief.post(`/api/screening/allow-proposals/${proposed.body.id}/decide`, { decision: 'reject' })).status).toBe(409);
    expect((await editor.post('/api/screening/test', { text: '一个误报词组。' })).body.verdict).toBe('pass');
    // Only the phrase is allowed: the term alone still counts.
    expect((await editor.post('/api/screening/test', { text: '另一个误报词。' })).body.verdict).toBe('review');
    expect((await chief.get('/api/screening/allow-list')).body.unit.map((t: { term: string }) => t.term)).toContain('误报词组');
    expect(JSON.stringify((await leader.get('/api/audit?action=screening.allow_proposal')).body)).toContain('screening.allow_proposal.approve');
    await chief.post('/api/screening/allow-list', { scope: 'unit', remove: ['误报词组'] });
  });
});

describe('wording packs', () => {
  it('seeds the starter pack and validates a unit pack', async () => {
    const packs = (await chief.get('/api/screening/wording-packs')).body.items;
    expect(packs.some((p: { builtin: boolean }) => p.builtin)).toBe(true);
    const bad = await chief.post('/api/screening/wording-packs', { name: '坏包', scope: 'unit', rules: [{ wrong: '', right: 'x', explanation: '', source: '' }] });
    expect(bad.status).toBe(400);
    const good = await chief.post('/api/screening/wording-packs', {
      name: '锦江表述',
      scope: 'unit',
      rules: [{ wrong: '锦江区融媒', right: '锦江区融媒体中心', explanation: '用全称', source: '本中心稿件规范' }],
    });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    const found = (await reporter.post('/api/screening/test', { text: '来自锦江区融媒的报道' })).body.findings;
    expect(found.some((f: { rule: string; suggestion?: string }) => f.rule === 'wording' && f.suggestion === '锦江区融媒体中心')).toBe(true);
    expect((await qingyang.post('/api/screening/test', { text: '来自锦江区融媒的报道' })).body.findings.some((f: { rule: string }) => f.rule === 'wording')).toBe(false);
    const put = await chief.put(`/api/screening/wording-packs/${good.body.id}`, { enabled: false });
    expect(put.body.version).toBe(2);
    expect((await chief.request('DELETE', `/api/screening/wording-packs/${good.body.id}`)).status).toBe(204);
  });
});

describe('newsroom hook and patrol', () => {
  it('blocks a story with a block-severity term; a chief editor overrides with a reason kept in the timeline and audit log', async () => {
    const id = await unitLexicon(chief, '拦截测试');
    await chief.post(`/api/screening/lexicons/${id}/terms`, { terms: [{ term: '违禁测试词', category: 'custom', severity: 'block' }] });
    const story = await write(reporter, '社区新闻', '今天社区里出现了违禁测试词的说法。');
    const blocked = await act(reporter, story, 'submit');
    expect(blocked.status).toBe(409);
    expect(blocked.body.findings.some((f: { rule: string; severity: string }) => f.rule === 'lexicon.custom' && f.severity === 'block')).toBe(true);
    const inline = (await editor.get(`/api/items/${story}/screening`)).body;
    expect(inline.verdict).toBe('block');

    const chiefStory = await write(chief, '主编稿件', '引用原话：违禁测试词。');
    const ok = await act(chief, chiefStory, 'submit', { override: { reason: '引用当事人原话，已核实' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const timeline = (await chief.get(`/api/items/${chiefStory}/timeline`)).body.items;
    expect(timeline[0].overrideReason).toBe('引用当事人原话，已核实');
    expect(timeline[0].findings.some((f: { rule: string }) => f.rule === 'lexicon.custom')).toBe(true);
    const audit = (await leader.get('/api/audit?action=workflow.')).body;
    expect(JSON.stringify(audit)).toContain('引用当事人原话，已核实');
  });

  it('patrols published items after a lexicon change, raising each new block finding once and notifying editors', async () => {
    const story = await write(reporter, '已发布的报道', '这篇报道提到了巡查新词，也提到巡查疑词。');
    for (const [by, action] of [
      [reporter, 'submit'],
      [editor, 'approve'],
      [chief, 'approve'],
      [leader, 'approve'],
      [chief, 'publish'],
    ] as const) {
      const res = await act(by, story, action);
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const id = await unitLexicon(chief, '巡查测试');
    // Only the block-tier term alerts: a review-tier word was seen by the story's editors before sign-off.
    await chief.post(`/api/screening/lexicons/${id}/terms`, {
      terms: [
        { term: '巡查新词', category: 'custom', severity: 'block' },
        { term: '巡查疑词', category: 'custom', severity: 'review' },
      ],
    });
    // The job was enqueued with the change; here the patrol runs directly (tests run without a queue).
    const unitId = (await chief.get(`/api/screening/lexicons/${id}`)).body.lexicon.unitId as string;
    const first = await server.services.screening.patrol.run([unitId]);
    expect(first.raised).toBe(1);
    expect((await server.services.screening.patrol.run([unitId])).raised).toBe(0);

    const alerts = (await editor.get('/api/screening/alerts?status=open')).body.items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ itemId: story, rule: 'lexicon.custom', excerpt: '巡查新词', field: 'body' });
    expect((await qingyang.get('/api/screening/alerts')).body.items).toHaveLength(0);
    const inbox = (await editor.get('/api/notifications')).body;
    expect(JSON.stringify(inbox)).toContain('巡查');
    const resolved = await editor.post(`/api/screening/alerts/${alerts[0].id}/resolve`, { resolution: '已更正' });
    expect(resolved.body.status).toBe('resolved');
    expect((await editor.post(`/api/screening/alerts/${alerts[0].id}/resolve`, {})).status).toBe(409);
  });
});

describe('reader text', () => {
  it('gives block, review and pass verdicts by the unit lexicons', async () => {
    const id = await unitLexicon(chief, '读者文本');
    await chief.post(`/api/screening/lexicons/${id}/terms`, {
      terms: [
        { term: '读者禁词', category: 'custom', severity: 'block' },
        { term: '读者疑词', category: 'custom', severity: 'review' },
      ],
    });
    const unitId = (await chief.get(`/api/screening/lexicons/${id}`)).body.lexicon.unitId as string;
    const { readerText } = server.services.screening;
    expect((await readerText.check(unitId, '评论里有读者禁词')).verdict).toBe('block');
    expect((await readerText.check(unitId, '评论里有读者疑词')).verdict).toBe('review');
    expect((await readerText.check(unitId, '谢谢记者的报道')).verdict).toBe('pass');
  });
});

describe('LLM screener', () => {
  let fake: http.Server;
  let base: string;
  let mode: 'ok' | 'error' | 'malformed' | 'slow' = 'ok';
  const seen: { auth?: string; body?: { model: string; response_format: unknown; messages: unknown[] } } = {};

  beforeAll(async () => {
    fake = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        seen.auth = req.headers.authorization;
        seen.body = JSON.parse(raw);
        if (req.url !== '/v1/chat/completions') return res.writeHead(404).end();
        if (mode === 'error') return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"overloaded"}}');
        if (mode === 'slow') return setTimeout(() => res.end('{}'), 2000);
        const content = mode === 'malformed' ? '好的，我检查了：没有问题' : JSON.stringify({ findings: [{ quote: '据说', reason: '消息来源不明', suggestion: '注明来源' }, { bogus: true }] });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const addr = fake.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1`;
  });
  afterAll(() => new Promise<void>((r) => fake.close(() => r())));

  const screener = () => new LlmScreener({ baseUrl: base, model: 'qwen-test', apiKey: 'k-123', timeoutMs: 500 }, new OutboundHttpClient({ allowLoopback: true }));

  it('adds review findings with the model’s reasons, and never blocks when the model fails', async () => {
    mode = 'ok';
    const ok = await screener().screen('标题', '据说明天停水。');
    expect(ok).toEqual([{ rule: 'llm', severity: 'review', message: expect.stringContaining('消息来源不明'), start: 0, end: 2, suggestion: '注明来源' }]);
    expect(seen.auth).toBe('Bearer k-123');
    expect(seen.body).toMatchObject({ model: 'qwen-test', response_format: { type: 'json_object' } });

    for (const m of ['error', 'malformed', 'slow'] as const) {
      mode = m;
      const failed = await screener().screen('标题', `据说明天停水（${m}）。`);
      expect(failed, m).toHaveLength(1);
      expect(failed[0]).toMatchObject({ rule: 'llm', severity: 'info' });
    }
  });

  it('refuses a loopback model server unless outbound HTTP allows it', async () => {
    mode = 'ok';
    const guarded = new LlmScreener({ baseUrl: base, model: 'm', apiKey: '' }, new OutboundHttpClient({}));
    expect((await guarded.screen('t', '据说'))[0]).toMatchObject({ rule: 'llm', severity: 'info' });
  });
});
