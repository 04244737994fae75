import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type TestServer } from '../../test/harness.ts';
import { docFromText } from '../content/doc.ts';

/**
 * 工作台 per role in 锦江区: the reporter's own stories and tasks, the editor's queue with overdue items and
 * today's 签发, the unit admin's pipeline with a failed delivery, and the province supervisor's subtree. A
 * 青羊区 draft next door never shows in 锦江区's numbers.
 */
let server: TestServer;
let reporter: ApiClient;
let editor: ApiClient;
let chief: ApiClient;
let leader: ApiClient;
const ids: Record<string, string> = {};

const write = async (by: ApiClient, title: string) => {
  const res = await by.post('/api/items', { type: 'article', title, body: docFromText(`${title}。正文第一段。`) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const act = async (by: ApiClient, id: string, action: string, body: Record<string, unknown> = {}) => {
  const res = await by.post(`/api/items/${id}/workflow/${action}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};
const workbench = async (by: ApiClient) => {
  const res = await by.get('/api/workbench');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const titles = (entries: { title: string }[]) => entries.map((e) => e.title);

beforeAll(async () => {
  server = await startTestServer();
  [reporter, editor, chief, leader] = await Promise.all(['jinjiang_reporter', 'jinjiang_editor', 'jinjiang_chief', 'jinjiang_admin'].map((u) => server.as(u)));
  const channel = await leader.post('/api/channels', { kind: 'webhook', name: '区政务平台', config: { url: 'https://gov.example.cn/hook' }, secrets: { signingSecret: 'super-secret-signing-key-1' } });
  expect(channel.status).toBe(201);

  ids.draft = await write(reporter, '锦江区草稿');
  ids.returned = await write(reporter, '锦江区退回稿');
  await act(reporter, ids.returned, 'submit');
  await act(editor, ids.returned, 'return', { comment: '请补充采访对象' });
  ids.waiting = await write(reporter, '锦江区待初审稿');
  await act(reporter, ids.waiting, 'submit');
  ids.published = await write(reporter, '锦江区今日发布稿');
  await act(reporter, ids.published, 'submit');
  await act(editor, ids.published, 'approve');
  await act(chief, ids.published, 'approve');
  await act(leader, ids.published, 'approve');
  await act(chief, ids.published, 'publish');
  // The channel refused the delivery (as the worker would record it).
  await server.db.updateTable('distribution_deliveries').set({ status: 'failed', failure: 'rejected', last_error: '接口返回 400' }).where('item_id', '=', ids.published).execute();

  const unit = (await server.services.alliance.findUnitByDivisionCode('510104'))!;
  const reporterId = (await reporter.get('/api/session')).body.user.id;
  const task = await editor.post('/api/tasks', { title: '采访春熙路商户', assigneeUnitId: unit.id, assigneeUserId: reporterId, dueAt: new Date(Date.now() - 3600_000).toISOString() });
  expect(task.status, JSON.stringify(task.body)).toBe(201);

  await write(await server.as('qingyang_reporter'), '青羊区草稿');
}, 240_000);
afterAll(() => server.close());

describe('GET /api/workbench', () => {
  it("shows a reporter their own drafts, what came back with the reviewer's comment, what is in review, published today and their tasks", async () => {
    const w = await workbench(reporter);
    expect(w.sections).toEqual(['mine']);
    expect(w.review).toBeNull();
    expect(titles(w.mine.drafts)).toEqual(['锦江区草稿']);
    expect(w.mine.returned).toMatchObject([{ itemId: ids.returned, title: '锦江区退回稿', note: '请补充采访对象', who: 'jinjiang_editor' }]);
    expect(w.mine.inReview).toMatchObject([{ itemId: ids.waiting, where: '初审' }]);
    expect(titles(w.mine.publishedToday)).toEqual(['锦江区今日发布稿']);
    expect(w.mine.tasks).toMatchObject([{ title: '采访春熙路商户', status: 'open', overdue: true }]);
  });

  it("shows an editor what waits for them at their level, marks what waited over a day, and lists today's sign-offs", async () => {
    let w = await workbench(editor);
    expect(w.sections).toEqual(['review']);
    expect(w.review.waiting).toMatchObject([{ itemId: ids.waiting, where: '初审', who: 'jinjiang_reporter', overdue: false }]);
    expect(w.review.overdue).toBe(0);
    expect(w.review.signedOffToday).toMatchObject([{ itemId: ids.published, who: 'jinjiang_admin' }]);

    await sql`update item_transitions set at = now() - interval '25 hours' where item_id = ${ids.waiting}`.execute(server.db);
    w = await workbench(editor);
    expect(w.review.overdue).toBe(1);
    expect(w.review.waiting[0].overdue).toBe(true);
    // the author is never asked to review their own story
    expect((await workbench(reporter)).review).toBeNull();
  });

  it("gives a unit admin the unit's pipeline, failed deliveries and staff, and their own review queue", async () => {
    const w = await workbench(leader);
    expect(w.sections).toEqual(['review', 'pipeline']);
    expect(w.pipeline.counts).toEqual({ draft: 2, submitted: 1, inReview: 0, signedOff: 0, publishedToday: 1 });
    expect(w.pipeline.failedDeliveries).toBe(1);
    expect(w.pipeline.failures).toMatchObject([{ itemId: ids.published, where: '区政务平台', note: '接口返回 400' }]);
    expect(w.pipeline.staff).toBe(5);
    // the default chain lets the unit's leader act at 初审 too, and 终审 is theirs
    expect(titles(w.review.waiting)).toEqual(['锦江区待初审稿']);
  });

  it("never counts another unit's stories", async () => {
    const w = await workbench(await server.as('qingyang_admin'));
    expect(w.pipeline.counts).toEqual({ draft: 1, submitted: 0, inReview: 0, signedOff: 0, publishedToday: 0 });
    expect(w.pipeline.failedDeliveries).toBe(0);
    const other = await workbench(await server.as('qingyang_reporter'));
    expect(titles(other.mine.drafts)).toEqual(['青羊区草稿']);
  });

  it("shows the province supervisor each child unit's activity, counting its whole branch", async () => {
    const w = await workbench(await server.as('supervisor'));
    expect(w.sections).toEqual(['subtree']);
    const chengdu = w.subtree.children.find((c: { name: string }) => c.name.startsWith('成都'));
    expect(chengdu).toMatchObject({ inReview: 1, publishedToday: 1 });
    const others = w.subtree.children.filter((c: { unitId: string }) => c.unitId !== chengdu.unitId);
    expect(others.every((c: { inReview: number; publishedToday: number }) => c.inReview === 0 && c.publishedToday === 0)).toBe(true);
    expect(w.subtree.publishedToday).toMatchObject([{ itemId: ids.published, unitName: expect.stringContaining('锦江') }]);
    // a supervisor of 青羊区 sees only 青羊区
    const county = await workbench(await server.as('qingyang_supervisor'));
    expect(county.subtree).toMatchObject({ own: { inReview: 0, publishedToday: 0 }, children: [], publishedToday: [] });
  });
});

describe('the unit chosen in the switcher', () => {
  it('is where the next sign-in opens, after signing out', async () => {
    const first = await server.as('multi');
    const before = (await first.get('/api/session')).body;
    const other = before.user.memberships.find((m: { unitId: string }) => m.unitId !== before.activeUnitId);
    expect((await first.put('/api/session/unit', { unitId: other.unitId })).status).toBe(200);
    expect((await first.delete('/api/session')).status).toBe(204);
    const again = await server.as('multi');
    expect((await again.get('/api/session')).body).toMatchObject({ activeUnitId: other.unitId, role: other.role });
  });
});
