import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import { startTestServer, type ApiClient, type TestServer } from '../../test/harness.ts';
import { docFromText } from '../content/doc.ts';
import { recordAudit } from '../identity/audit.service.ts';
import { sign, WebhookService } from './webhooks.ts';

let server: TestServer;
let province: ApiClient;
beforeAll(async () => {
  server = await startTestServer();
  province = await server.as('admin');
});
afterAll(() => server.close());

const unitId = async (code: string) =>
  (await server.db.selectFrom('units').select('id').where('division_code', '=', code).executeTakeFirstOrThrow()).id;
const userId = async (username: string) => (await server.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const inbox = async (c: ApiClient) => (await c.get('/api/notifications')).body.items as { kind: string; title: string; body: string | null }[];

describe('topics (选题)', () => {
  it('a reporter proposes, the chief editor returns with a reason, the reporter revises, the chief approves', async () => {
    const reporter = await server.as('jinjiang_reporter');
    const chief = await server.as('jinjiang_chief');
    const made = await reporter.post('/api/topics', { title: '春熙路夜经济调查', angle: '从摊主视角看夜间消费', channels: ['客户端', '微信'], deadline: '2026-12-10T10:00:00.000Z' });
    expect(made.status).toBe(201);
    expect(made.body.status).toBe('proposed');
    expect((await inbox(chief)).some((n) => n.title.includes('春熙路夜经济调查'))).toBe(true);
    expect((await reporter.post(`/api/topics/${made.body.id}/decision`, { decision: 'approve' })).status).toBe(403);
    expect((await chief.post(`/api/topics/${made.body.id}/decision`, { decision: 'return' })).status).toBe(400);
    const returned = await chief.post(`/api/topics/${made.body.id}/decision`, { decision: 'return', reason: '请补充采访对象' });
    expect(returned.body.status).toBe('returned');
    expect((await inbox(reporter)).find((n) => n.kind === 'return')?.body).toBe('请补充采访对象');
    const revised = await reporter.patch(`/api/topics/${made.body.id}`, { resources: '摊主三位、商圈管委会一位' });
    expect(revised.body.status).toBe('proposed');
    expect((await chief.post(`/api/topics/${made.body.id}/decision`, { decision: 'approve' })).body.status).toBe('approved');
    const item = await reporter.post('/api/items', { type: 'article', title: '春熙路的夜', body: docFromText('夜色中的春熙路。') });
    expect((await reporter.post(`/api/topics/${made.body.id}/items`, { itemId: item.body.id })).status).toBe(204);
    const board = await chief.get('/api/topics?board=unit');
    expect(board.body.items.find((t: { id: string }) => t.id === made.body.id).items[0].title).toBe('春熙路的夜');
    // Another county does not see this unit's topics.
    const qingyang = await server.as('qingyang_editor');
    expect((await qingyang.get(`/api/topics/${made.body.id}`)).status).toBe(404);
  });

  it('a joint topic: the province assigns three counties, each accepts and files, and the joint board fills up', async () => {
    const counties = ['510104', '510105', '510108'];
    const topic = await province.post('/api/topics', { title: '联合报道：川西林盘保护', jointUnitIds: await Promise.all(counties.map(unitId)) });
    expect(topic.body.joint).toBe(true);
    await province.post(`/api/topics/${topic.body.id}/decision`, { decision: 'approve' });
    const tasks: string[] = [];
    for (const code of counties) {
      const t = await province.post('/api/tasks', { title: `林盘保护：${code}`, assigneeUnitId: await unitId(code), topicId: topic.body.id, dueAt: new Date(Date.now() + 3 * 86400_000).toISOString() });
      expect(t.status, JSON.stringify(t.body)).toBe(201);
      tasks.push(t.body.id);
    }
    const staff = [await server.as('jinjiang_editor'), await server.as('qingyang_editor'), await server.as('multi')];
    await staff[2]!.put('/api/session/unit', { unitId: await unitId('510108') });
    for (const [i, c] of staff.entries()) {
      const unitInbox = await c.get('/api/tasks?view=unit');
      expect(unitInbox.body.items.some((t: { id: string }) => t.id === tasks[i])).toBe(true);
      expect((await c.post(`/api/tasks/${tasks[i]}/accept`, {})).body.status).toBe('accepted');
      const story = await c.post('/api/items', { type: 'article', title: `林盘故事 ${i + 1}`, body: docFromText('林盘是川西平原的农家院落。') });
      const done = await c.post(`/api/tasks/${tasks[i]}/complete`, { itemId: story.body.id });
      expect(done.body.status).toBe('done');
    }
    const joint = await province.get(`/api/topics/${topic.body.id}`);
    expect(joint.body.items).toHaveLength(3);
    expect(joint.body.tasks.every((t: { status: string }) => t.status === 'done')).toBe(true);
    const jointBoard = await staff[0]!.get('/api/topics?board=joint');
    expect(jointBoard.body.items.find((t: { id: string }) => t.id === topic.body.id).items).toHaveLength(3);
    const closed = await province.post(`/api/topics/${topic.body.id}/decision`, { decision: 'complete' });
    expect(closed.body.status).toBe('done');
  });
});

describe('tasks (派单)', () => {
  it('go down and up the tree but not sideways', async () => {
    const city = await server.as('chengdu_admin');
    expect((await city.post('/api/tasks', { title: '下派', assigneeUnitId: await unitId('510104') })).status).toBe(201);
    const county = await server.as('jinjiang_editor');
    const up = await county.post('/api/tasks', { title: '请市里支援航拍', assigneeUnitId: await unitId('510100') });
    expect(up.status).toBe(201);
    expect((await inbox(city)).some((n) => n.title.includes('请市里支援航拍'))).toBe(true);
    const sideways = await county.post('/api/tasks', { title: '跨区', assigneeUnitId: await unitId('510105') });
    expect(sideways.status).toBe(403);
    const reporter = await server.as('jinjiang_reporter');
    expect((await reporter.post('/api/tasks', { title: '记者派单', assigneeUnitId: await unitId('510104') })).status).toBe(403);
  });

  it('decline needs a reason and tells the sender; hand over moves it to a colleague', async () => {
    const city = await server.as('chengdu_admin');
    const t1 = await city.post('/api/tasks', { title: '采访区长', assigneeUnitId: await unitId('510104'), assigneeUserId: await userId('jinjiang_editor') });
    const editor = await server.as('jinjiang_editor');
    expect((await editor.get('/api/tasks?view=mine')).body.items.some((t: { id: string }) => t.id === t1.body.id)).toBe(true);
    expect((await editor.post(`/api/tasks/${t1.body.id}/decline`, {})).status).toBe(400);
    expect((await editor.post(`/api/tasks/${t1.body.id}/decline`, { reason: '当天有会议直播' })).body.status).toBe('declined');
    expect((await inbox(city)).find((n) => n.title.includes('拒绝了任务'))?.body).toBe('当天有会议直播');
    expect((await editor.post(`/api/tasks/${t1.body.id}/accept`, {})).status).toBe(409);

    const t2 = await city.post('/api/tasks', { title: '拍摄街景', assigneeUnitId: await unitId('510104'), assigneeUserId: await userId('jinjiang_editor') });
    const other = await server.as('jinjiang_reporter');
    expect((await other.post(`/api/tasks/${t2.body.id}/accept`, {})).status).toBe(403);
    const handed = await editor.post(`/api/tasks/${t2.body.id}/handover`, { toUserId: await userId('jinjiang_reporter') });
    expect(handed.body.assigneeUserId).toBe(await userId('jinjiang_reporter'));
    expect((await other.post(`/api/tasks/${t2.body.id}/accept`, {})).body.status).toBe('accepted');
  });

  it('the province sees open tasks across the alliance; a county does not see other counties’ tasks', async () => {
    const all = await province.get('/api/tasks?view=alliance&status=open');
    expect(all.body.items.length).toBeGreaterThan(0);
    const supervisor = await server.as('supervisor');
    expect((await supervisor.get('/api/tasks?view=alliance')).status).toBe(200);
    const county = await server.as('jinjiang_reporter');
    expect((await county.get('/api/tasks?view=alliance')).status).toBe(403);
    const mianyangTask = await province.post('/api/tasks', { title: '绵阳的任务', assigneeUnitId: await unitId('510703') });
    expect((await county.get(`/api/tasks/${mianyangTask.body.id}`)).status).toBe(404);
  });

  it('reminds once before the deadline', async () => {
    const city = await server.as('chengdu_admin');
    const t = await city.post('/api/tasks', { title: '明早交稿', assigneeUnitId: await unitId('510104'), assigneeUserId: await userId('jinjiang_reporter'), dueAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(t.status).toBe(201);
    await server.services.planning.remindDue();
    await server.services.planning.remindDue();
    const reporter = await server.as('jinjiang_reporter');
    const reminders = (await inbox(reporter)).filter((n) => n.kind === 'deadline' && n.title.includes('明早交稿'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.title).toContain('即将到期');
  });
});

describe('editing together', () => {
  it('a soft lock shows its holder, refuses a second editor, and can be taken over', async () => {
    const a = await server.as('jinjiang_editor');
    const b = await server.as('jinjiang_chief');
    const item = await a.post('/api/items', { type: 'article', title: '锁测试', body: docFromText('正文。') });
    expect((await a.post(`/api/items/${item.body.id}/lock`, {})).body.holderName).toBe('jinjiang_editor');
    const refused = await b.post(`/api/items/${item.body.id}/lock`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.holder.name).toBe('jinjiang_editor');
    expect(refused.body.detail).toContain('正在编辑');
    expect((await b.get(`/api/items/${item.body.id}/lock`)).body.lock.holderName).toBe('jinjiang_editor');
    const taken = await b.post(`/api/items/${item.body.id}/lock`, { takeover: true });
    expect(taken.body.holderName).toBe('jinjiang_chief');
    expect((await inbox(a)).some((n) => n.kind === 'lock_taken')).toBe(true);
    expect((await b.delete(`/api/items/${item.body.id}/lock`)).status).toBe(204);
    expect((await a.get(`/api/items/${item.body.id}/lock`)).body.lock).toBeNull();
    const outsider = await server.as('qingyang_editor');
    expect((await outsider.post(`/api/items/${item.body.id}/lock`, {})).status).toBe(404);
  });

  it('comments anchor to a passage and @mentions notify colleagues, live over SSE', async () => {
    const author = await server.as('jinjiang_reporter');
    const editor = await server.as('jinjiang_editor');
    const item = await author.post('/api/items', { type: 'article', title: '批注测试', body: docFromText('第一段写得很好。第二段的数据需要核实。') });

    const controller = new AbortController();
    const stream = await fetch(`${server.url}/api/notifications/stream`, { headers: { cookie: editor.cookie }, signal: controller.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const received = (async () => {
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes('event: notification')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return text;
    })();

    const comment = await author.post(`/api/items/${item.body.id}/comments`, {
      revision: 1,
      anchor: { from: 8, to: 18, quote: '第二段的数据需要核实' },
      body: '@jinjiang_editor 请帮忙核一下这个数据 @nobody_here',
    });
    expect(comment.status).toBe(201);
    expect(comment.body.mentions).toEqual([await userId('jinjiang_editor')]);
    expect(comment.body.authorName).toBe('jinjiang_reporter');
    expect(comment.body.anchor).toEqual({ from: 8, to: 18, quote: '第二段的数据需要核实' });
    const event = await Promise.race([received, new Promise<string>((r) => setTimeout(() => r('timeout'), 8000))]);
    controller.abort();
    expect(event).toContain('event: notification');
    expect(event).toContain('批注测试');

    const list = await editor.get(`/api/items/${item.body.id}/comments`);
    expect(list.body.items[0].authorName).toBe('jinjiang_reporter');
    const resolved = await author.patch(`/api/items/${item.body.id}/comments/${comment.body.id}`, { resolved: true });
    expect(resolved.body.resolved).toBe(true);
    expect((await author.post(`/api/items/${item.body.id}/comments`, { revision: 9, body: '未来版本' })).status).toBe(400);
  });
});

describe('unit webhooks', () => {
  it('refuses a file:, loopback or metadata address when it is entered, in Chinese, offering the operator switch only where it helps', async () => {
    const admin = await server.as('jinjiang_admin');
    const before = (await admin.get('/api/webhooks')).body.items.length;
    const refused = async (url: string) => {
      const res = await admin.post('/api/webhooks', { url, events: ['publish'] });
      expect(res.status, url).toBe(400);
      expect(res.body.code, url).toBe('webhook_url');
      expect(res.body.detail, url).toMatch(/^无法使用该地址：.*[\u4e00-\u9fff]/);
      return res.body as { detail: string; detailEn: string };
    };
    for (const url of ['file:///etc/passwd', 'gopher://a.example.cn/']) expect(JSON.stringify(await refused(url))).not.toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://224.0.0.1/', 'http://0.0.0.0/']) {
      const body = await refused(url);
      expect(body.detail, url).toContain('保留地址');
      expect(JSON.stringify(body), url).not.toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
    }
    for (const url of ['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'http://10.0.0.5/hook']) {
      const body = await refused(url);
      expect(body.detail, url).toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
      expect(body.detailEn, url).toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
    }
    expect((await admin.get('/api/webhooks')).body.items.length).toBe(before);
  });

  it('are signed so the receiver can check them', async () => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const admin = await server.as('jinjiang_admin');
      // The API refuses loopback targets unless the operator allows private addresses.
      const refused = await admin.post('/api/webhooks', { url, events: ['publish'] });
      expect(refused.status).toBe(400);
      const hooks = new WebhookService(server.db, recordAudit, new OutboundHttpClient({ allowPrivate: true }));
      const ctx = { actor: { userId: await userId('jinjiang_admin'), unitId: await unitId('510104'), unitPath: '', role: 'unit_admin' as const }, actorUserId: await userId('jinjiang_admin') };
      const hook = await hooks.create(ctx, { url, events: ['publish'] });
      await hooks.deliver({ unitId: await unitId('510104'), event: 'publish', title: '已发布：测试', body: null, link: '/items/x' });
      await hooks.deliver({ unitId: await unitId('510104'), event: 'mention', title: '不订阅的事件', body: null, link: null });
      expect(received).toHaveLength(1);
      const { headers, body } = received[0]!;
      expect(headers['x-tianfu-event']).toBe('publish');
      expect(headers['x-tianfu-signature']).toBe(sign(hook.secret, String(headers['x-tianfu-timestamp']), body));
      expect(JSON.parse(body).title).toBe('已发布：测试');
      const listed = await admin.get('/api/webhooks');
      expect(listed.body.items[0].lastStatus).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(hook.secret);
      expect((await (await server.as('jinjiang_reporter')).get('/api/webhooks')).status).toBe(403);
    } finally {
      receiver.close();
    }
  });
});
