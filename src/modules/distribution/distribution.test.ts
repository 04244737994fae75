import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import { type ApiClient, type TestServer, startTestServer } from '../../test/harness.ts';
import { docFromText } from '../content/doc.ts';
import { createDouyinAdapter } from './adapters/douyin.ts';
import { createAdapterRegistry } from './adapters/registry.ts';
import { webhookAdapter } from './adapters/webhook.ts';
import { type ChannelAdapter, DeliveryError, type DeliveryRequest } from './contract.ts';
import * as repo from './deliveries.repo.ts';
import { DeliveryWorker } from './delivery.worker.ts';
import { WebhookReceiver } from '../../test/webhook-receiver.ts';

/**
 * The distribution core end to end over HTTP: channels, the outbox written with the publish decision,
 * and workers that deliver exactly once through crashes, throttling, failures, corrections and retractions.
 */
const SECRET = 'jinjiang-webhook-secret-2026';
let server: TestServer;
let reporter: ApiClient;
let chief: ApiClient;
let leader: ApiClient;
let receiver: WebhookReceiver;
let platform: FakePlatform;

/** A social platform that does NOT dedupe (like a real one): a repeated send is a second post. */
class FakePlatform {
  posts: { id: string; key: string; title: string; action: string }[] = [];
  hang = false;
  private held: http.ServerResponse[] = [];
  private server!: http.Server;
  base = '';
  async start() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (req.method === 'GET') {
          const found = this.posts.find((p) => p.key === url.searchParams.get('key'));
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found ?? null));
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { key: string; title: string; action: string };
        const post = { id: `p${this.posts.length + 1}`, ...body };
        this.posts.push(post);
        if (this.hang) return void this.held.push(res);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(post));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  release() {
    for (const res of this.held.splice(0)) res.destroy();
  }
  close() {
    this.release();
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** The in-test adapter for FakePlatform (kind douyin here), without update or retract support. */
function fakeAdapter(base: () => string): ChannelAdapter {
  return {
    kind: 'douyin',
    supports: { update: false, retract: false },
    settings: { config: Type.Object({}), secrets: Type.Object({ token: Type.String() }) },
    async deliver(req: DeliveryRequest) {
      const res = await fetch(`${base()}/posts`, {
        method: 'POST',
        body: JSON.stringify({ key: req.idempotencyKey, title: req.rendition.title, action: req.action }),
        signal: req.signal,
      }).catch((err: Error) => {
        throw new DeliveryError('unknown', err.message);
      });
      const post = (await res.json()) as { id: string };
      return { remoteId: post.id, remoteUrl: `${base()}/posts/${post.id}` };
    },
    async reconcile(req) {
      const found = (await (await fetch(`${base()}/posts?key=${encodeURIComponent(req.idempotencyKey)}`)).json()) as { id: string } | null;
      return found ? { remoteId: found.id, remoteUrl: null } : null;
    },
  };
}

const dist = () => server.services.distribution;

beforeAll(async () => {
  server = await startTestServer();
  [reporter, chief, leader] = await Promise.all(['jinjiang_reporter', 'jinjiang_chief', 'jinjiang_admin'].map((u) => server.as(u)));
  receiver = await new WebhookReceiver(() => SECRET).start();
  platform = await new FakePlatform().start();
  // Tests reach receivers on 127.0.0.1; production refuses loopback unless the operator allows it.
  dist().channels.adapters.register(webhookAdapter(new OutboundHttpClient({ allowPrivate: true })));
  dist().channels.adapters.register(fakeAdapter(() => platform.base));
  // Generous timeouts: a busy test machine must not turn a slow answer into an unknown outcome.
  Object.assign(dist().worker.options, { deliverTimeoutMs: 8000, leaseMs: 10_000, backoffBaseMs: 50, maxBackoffMs: 300, maxAttempts: 4 });
  // One review level, so the chief editor's approval signs a story off.
  expect((await leader.put('/api/review/policy', { levels: [{ name: '终审', roles: ['chief_editor'] }], editReturnsTo: 'first' })).status).toBe(200);
});
afterAll(async () => {
  await receiver?.close();
  await platform?.close();
  await server?.close();
});

let n = 0;
async function signedOff(title = `锦江区新闻 ${++n}`) {
  const created = await reporter.post('/api/items', { type: 'article', title, body: docFromText(`${title}。锦江区今天发布消息。`) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  expect((await reporter.post(`/api/items/${id}/workflow/submit`, {})).status).toBe(200);
  const approved = await chief.post(`/api/items/${id}/workflow/approve`, {});
  expect(approved.body.status).toBe('signed_off');
  return id;
}

async function webhookChannel(name: string, extra: Record<string, unknown> = {}, path = `/hooks/${encodeURIComponent(name)}`) {
  const res = await leader.post('/api/channels', { kind: 'webhook', name, config: { url: receiver.base + path }, secrets: { signingSecret: SECRET }, autoSelect: false, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Drains until nothing is pending (or the deadline passes). */
async function settleAll(deadlineMs = 15_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    await dist().worker.drain();
    const pending = await server.db.selectFrom('distribution_deliveries').select('id').where('status', 'in', ['queued', 'sending', 'unknown']).execute();
    if (!pending.length || Date.now() > until) return pending.length;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const statusOf = async (id: string) => (await chief.get(`/api/items/${id}/distribution`)).body;

describe('channels (渠道)', () => {
  it('are configured by the unit admin, with credentials sealed at rest and never returned', async () => {
    const created = await leader.post('/api/channels', { kind: 'webhook', name: '区政务平台', config: { url: 'https://gov.example.cn/hook' }, secrets: { signingSecret: 'super-secret-signing-key-1' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'webhook', name: '区政务平台', secretFields: ['signingSecret'], enabled: true, autoSelect: true, supports: { update: true, retract: true } });
    expect(JSON.stringify(created.body)).not.toContain('super-secret');
    const raw = await server.db.selectFrom('channels').select(['secrets_ciphertext']).where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(raw.secrets_ciphertext).toMatch(/^v1\./);
    expect(raw.secrets_ciphertext).not.toContain('super-secret');
    const channelRow = (await server.db.selectFrom('channels').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow());
    expect(dist().channels.refFor(channelRow).secrets).toEqual({ signingSecret: 'super-secret-signing-key-1' });

    // Editing without secrets keeps them; an empty string clears one (and the schema then refuses).
    const renamed = await leader.patch(`/api/channels/${created.body.id}`, { name: '区政务平台（新）', autoSelect: false, rateLimitPerMinute: 30 });
    expect(renamed.body).toMatchObject({ name: '区政务平台（新）', autoSelect: false, rateLimitPerMinute: 30, secretFields: ['signingSecret'] });
    expect((await leader.patch(`/api/channels/${created.body.id}`, { secrets: { signingSecret: '' } })).status).toBe(400);
    expect((await leader.patch(`/api/channels/${created.body.id}`, { enabled: false })).body.enabled).toBe(false);

    const list = await chief.get('/api/channels');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain('super-secret');
    const audit = (await leader.get('/api/audit?action=channel.')).body.items.filter((a: { targetId: string }) => a.targetId === created.body.id);
    expect(audit.map((a: { action: string }) => a.action).sort()).toEqual(['channel.create', 'channel.update', 'channel.update']);
    expect(JSON.stringify(audit)).not.toContain('super-secret');
    expect((await leader.delete(`/api/channels/${created.body.id}`)).status).toBe(204);
  });

  it('refuses a webhook or platform address outbound HTTP would refuse when it is entered, not at the first delivery', async () => {
    // The production webhook adapter (the suite's own reaches 127.0.0.1); WeChat and Weibo are the app's, Douyin the real one in place of the suite's fake.
    dist().channels.adapters.register(webhookAdapter(new OutboundHttpClient()));
    dist().channels.adapters.register(createDouyinAdapter({ http: new OutboundHttpClient() }));
    const count = async () => (await server.db.selectFrom('channels').select('id').execute()).length;
    const before = await count();
    try {
      const create = (name: string, url: string) =>
        leader.post('/api/channels', { kind: 'webhook', name, config: { url }, secrets: { signingSecret: SECRET }, autoSelect: false });
      const targets = ['file:///etc/passwd', 'http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'http://10.0.0.5/h', 'http://169.254.169.254/latest/meta-data/', 'http://0x7f000001/', 'gopher://a.example.cn/'];
      for (const [i, url] of targets.entries()) {
        const res = await create(`内网 ${i}`, url);
        expect(res.status, url).toBe(400);
        expect(res.body.code, url).toBe('channel_config');
        expect(res.body.detail, url).toContain('「接收地址」');
      }
      const metadata = await create('元数据', 'http://169.254.169.254/latest/meta-data/');
      expect(JSON.stringify(metadata.body)).not.toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
      expect((await create('本机', 'http://127.0.0.1/hook')).body.detail).toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');

      // A change of address is checked too, and a refused one leaves the channel as it was.
      const good = await create('区政务平台（改址）', 'https://gov.example.cn/hook');
      expect(good.status, JSON.stringify(good.body)).toBe(201);
      const moved = await leader.patch(`/api/channels/${good.body.id}`, { config: { url: 'http://127.0.0.1:9/hook' } });
      expect(moved.status).toBe(400);
      expect(moved.body.code).toBe('channel_config');
      expect((await leader.get(`/api/channels/${good.body.id}`)).body.config.url).toBe('https://gov.example.cn/hook');

      // Every other setting that is an address: the platforms' API base.
      const platforms = [
        { kind: 'wechat', config: { appId: 'wx0123456789', apiBase: 'http://127.0.0.1:9/' }, secrets: { appSecret: 's' } },
        { kind: 'weibo', config: { boundDomain: 'news.example.cn', apiBase: 'http://169.254.169.254/' }, secrets: { accessToken: 't' } },
        { kind: 'douyin', config: { clientKey: 'k', openId: 'o', apiBase: 'file:///etc/passwd' }, secrets: { accessToken: 'act.x', refreshToken: 'rft.x' } },
      ];
      for (const p of platforms) {
        const res = await leader.post('/api/channels', { ...p, name: `平台 ${p.kind}`, autoSelect: false });
        expect(res.status, p.kind).toBe(400);
        expect(res.body.code, p.kind).toBe('channel_config');
        expect(res.body.detail, p.kind).toContain('「接口地址」');
        expect(res.body.detailEn, p.kind).toContain('apiBase');
      }
      expect(await count()).toBe(before + 1);
    } finally {
      dist().channels.adapters.register(webhookAdapter(new OutboundHttpClient({ allowPrivate: true })));
      dist().channels.adapters.register(fakeAdapter(() => platform.base));
    }
  });

  it('has every shipped adapter check each of its address settings', () => {
    const registry = createAdapterRegistry({ outbound: new OutboundHttpClient(), base: 'https://news.example.cn' }, []);
    const seen: string[] = [];
    for (const kind of registry.kinds()) {
      const adapter = registry.get(kind)!;
      for (const [key, schema] of Object.entries(adapter.settings.config.properties) as [string, { format?: string; pattern?: string }][]) {
        if (schema.format !== 'uri' && !/https?/.test(schema.pattern ?? '')) continue;
        seen.push(`${kind}.${key}`);
        expect(adapter.checkConfig?.({ [key]: 'http://127.0.0.1/' })?.key, `${kind}.${key}`).toBe(key);
        expect(adapter.checkConfig?.({ [key]: 'https://api.example.cn/' }), `${kind}.${key}`).toBeNull();
      }
    }
    expect(seen.sort()).toEqual(['douyin.apiBase', 'webhook.url', 'wechat.apiBase', 'weibo.apiBase']);
  });

  it('validates settings and credentials by the adapter schema, and refuses kinds without an adapter', async () => {
    const bad = await leader.post('/api/channels', { kind: 'webhook', name: '坏设置', config: { url: 'not a url' }, secrets: { signingSecret: 'x'.repeat(20) } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('channel_config');
    // Named as the console's form names the field, not by a JSON path or a pattern.
    expect(bad.body.detail).toBe('渠道设置不符合要求：「接收地址」的格式不对');
    const short = await leader.post('/api/channels', { kind: 'webhook', name: '短密钥', config: { url: 'https://a.example/h' }, secrets: { signingSecret: 'short' } });
    expect(short.body.code).toBe('channel_secrets');
    expect(short.body.detail).toBe('渠道凭据不符合要求：「签名密钥」至少 16 个字符');
    const kinds = (await leader.get('/api/channel-kinds')).body.items.map((k: { kind: string }) => k.kind);
    expect(kinds).toEqual(['webhook', 'print', 'wechat', 'weibo', 'douyin', 'portal', 'app', 'feed']);
    for (const kind of ['portal', 'app', 'feed', 'webhook', 'wechat', 'weibo', 'douyin', 'print']) {
      if (kinds.includes(kind)) continue;
      expect((await leader.post('/api/channels', { kind, name: `无适配器 ${kind}` })).body.code).toBe('channel_kind');
    }
    await webhookChannel('重名');
    expect((await leader.post('/api/channels', { kind: 'webhook', name: '重名', config: { url: 'https://a.example/h' }, secrets: { signingSecret: SECRET } })).status).toBe(409);
  });

  it('is configured only by its unit admin or the alliance admin; supervisors and chief editors read; other units see nothing', async () => {
    const id = await webhookChannel('权限测试');
    const [reporterC, editor, supervisor, qingyang, mianyangAdmin, allianceAdmin] = await Promise.all(
      ['jinjiang_reporter', 'jinjiang_editor', 'supervisor', 'qingyang_editor', 'mianyang_admin', 'admin'].map((u) => server.as(u)),
    );
    expect((await reporterC.get('/api/channels')).status).toBe(403);
    expect((await editor.get('/api/channels')).status).toBe(403);
    expect((await chief.post('/api/channels', { kind: 'webhook', name: 'x', config: { url: 'https://a.example/h' }, secrets: { signingSecret: SECRET } })).status).toBe(403);
    expect((await chief.patch(`/api/channels/${id}`, { enabled: false })).status).toBe(403);
    const unitId = (await leader.get(`/api/channels/${id}`)).body.unitId;
    expect((await supervisor.get(`/api/channels?unitId=${unitId}`)).status).toBe(200);
    expect((await supervisor.patch(`/api/channels/${id}`, { enabled: false })).status).toBe(403);
    expect((await qingyang.get(`/api/channels/${id}`)).status).toBe(404);
    expect((await mianyangAdmin.get(`/api/channels?unitId=${unitId}`)).status).toBe(403);
    expect((await mianyangAdmin.patch(`/api/channels/${id}`, { enabled: false })).status).toBe(403);
    expect((await mianyangAdmin.post('/api/channels', { unitId, kind: 'webhook', name: '越权', config: { url: 'https://a.example/h' }, secrets: { signingSecret: SECRET } })).status).toBe(403);
    const byAlliance = await allianceAdmin.post('/api/channels', { unitId, kind: 'webhook', name: '联合体代配', config: { url: 'https://a.example/h' }, secrets: { signingSecret: SECRET } });
    expect(byAlliance.status).toBe(201);
    expect(byAlliance.body.unitId).toBe(unitId);
  });
});

describe('publishing writes the outbox in the same transaction', () => {
  it('delivers a published story to the chosen channels, signed, once, with the remote link recorded', async () => {
    const a = await webhookChannel('推送A');
    const b = await webhookChannel('推送B');
    const id = await signedOff('锦江区推出社区便民服务');
    const res = await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [a] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = await repo.itemDeliveries(server.db, id);
    expect(rows.map((r) => [r.channel_id, r.action, r.status])).toEqual([[a, 'publish', 'queued']]);
    expect(rows[0]!.rendition?.title).toBe('锦江区推出社区便民服务');
    expect(await settleAll()).toBe(0);
    const post = receiver.posts.get(rows[0]!.idempotency_key)!;
    expect(post.path).toBe(`/hooks/${encodeURIComponent('推送A')}`);
    expect(post.body).toMatchObject({ event: 'publish', itemId: id, revision: 1 });
    expect(receiver.badSignatures).toBe(0);
    const status = await statusOf(id);
    expect(status.channelIds).toEqual([a]);
    expect(status.channels[0].latest).toMatchObject({ channelName: '推送A', action: 'publish', status: 'delivered', attempts: 1, remoteUrl: expect.stringContaining('/posts/') });
    expect(status.channels.some((c: { channelId: string }) => c.channelId === b)).toBe(false);
  });

  it('refuses channels of another unit or disabled ones, and then nothing is published', async () => {
    const off = await webhookChannel('已停用');
    await leader.patch(`/api/channels/${off}`, { enabled: false });
    const id = await signedOff();
    const disabled = await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [off] });
    expect(disabled.status).toBe(400);
    expect(disabled.body.code).toBe('channel_disabled');
    const foreign = await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(foreign.status).toBe(400);
    expect((await chief.get(`/api/items/${id}/workflow`)).body.status).toBe('signed_off');
    expect(await repo.itemDeliveries(server.db, id)).toHaveLength(0);
  });

  it("defaults to the unit's auto-select channels", async () => {
    const auto = await webhookChannel('默认渠道', { autoSelect: true });
    const id = await signedOff();
    await chief.post(`/api/items/${id}/workflow/publish`, {});
    const chosen = (await statusOf(id)).channelIds;
    expect(chosen).toContain(auto);
    await leader.patch(`/api/channels/${auto}`, { autoSelect: false });
    await settleAll();
  });

  it('never lets a scheduled story out before its time (channels, portal, app, feeds), and not under embargo', async () => {
    const hook = await webhookChannel('定时渠道');
    const site: string[] = [];
    for (const kind of ['portal', 'app', 'feed'] as const) {
      const res = await leader.post('/api/channels', { kind, name: `站内 ${kind}`, autoSelect: false });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      site.push(res.body.id);
    }
    const title = '定时发布的稿件';
    const id = await signedOff(title);
    const at = new Date(Date.now() + 3600_000).toISOString();
    expect((await chief.post(`/api/items/${id}/workflow/schedule`, { publishAt: at, channelIds: [hook, ...site] })).status).toBe(200);
    await settleAll();
    expect(await repo.itemDeliveries(server.db, id)).toHaveLength(0);
    expect([...receiver.posts.values()].some((p) => p.body.itemId === id)).toBe(false);
    expect((await statusOf(id)).channelIds.sort()).toEqual([hook, ...site].sort());
    const reader = server.client();
    const leaks = async () => ({
      portal: (await reader.get(`/portal/510104/a/${id}`)).status,
      app: (await reader.get(`/api/app/v1/items/${id}`)).status,
      feed: JSON.stringify((await reader.get('/feeds/510104/feed.json')).body).includes(title),
      home: JSON.stringify((await reader.get('/portal/510104')).body).includes(title),
    });
    expect(await leaks()).toEqual({ portal: 404, app: 404, feed: false, home: false });
    // Time passes: the scheduler publishes it, to the channels chosen when it was scheduled.
    await server.db.updateTable('review_states').set({ publish_at: new Date(Date.now() - 1000) }).where('item_id', '=', id).execute();
    expect((await server.services.workflow.publishDue()).published).toBeGreaterThanOrEqual(1);
    // An embargo (set here behind the workflow's back) still holds the delivery at the worker.
    await server.db.updateTable('content_items').set({ embargo_until: new Date(Date.now() + 1500) }).where('id', '=', id).execute();
    await dist().worker.drain();
    expect([...receiver.posts.values()].some((p) => p.body.itemId === id)).toBe(false);
    await new Promise((r) => setTimeout(r, 1600));
    expect(await settleAll()).toBe(0);
    expect([...receiver.posts.values()].filter((p) => p.body.itemId === id)).toHaveLength(1);
    expect(await leaks()).toEqual({ portal: 200, app: 200, feed: true, home: true });
  });
});

describe('workers', () => {
  it('retry with exponential backoff, then deliver', async () => {
    const hook = await webhookChannel('重试渠道');
    const id = await signedOff();
    await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [hook] });
    receiver.mode = 'fail';
    receiver.modeCalls = 2;
    await dist().worker.drain();
    let [row] = await repo.itemDeliveries(server.db, id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, failure: 'retry' });
    expect(row!.last_error).toContain('503');
    // The wait is set when the failure is recorded: base (50 ms) × 2^(attempt-1), ±20 % jitter.
    const delay = (r: typeof row) => new Date(r!.next_attempt_at).getTime() - new Date(r!.updated_at).getTime();
    expect(delay(row)).toBeGreaterThanOrEqual(30);
    expect(delay(row)).toBeLessThanOrEqual(62);
    await new Promise((r) => setTimeout(r, 120));
    await dist().worker.drain();
    [row] = await repo.itemDeliveries(server.db, id);
    expect(row).toMatchObject({ status: 'queued', attempts: 2 });
    expect(delay(row)).toBeGreaterThanOrEqual(70);
    expect(delay(row)).toBeLessThanOrEqual(122);
    expect(await settleAll()).toBe(0);
    [row] = await repo.itemDeliveries(server.db, id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('stop at a rejection; a chief editor may retry it, a reporter may not', async () => {
    const hook = await webhookChannel('拒收渠道');
    const id = await signedOff();
    await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [hook] });
    receiver.mode = 'reject';
    receiver.modeCalls = 1;
    await settleAll();
    const latest = (await statusOf(id)).channels[0].latest;
    expect(latest).toMatchObject({ status: 'failed', attempts: 1, failure: 'rejected' });
    expect(latest.lastError).toContain('422');
    await dist().worker.drain();
    expect((await statusOf(id)).channels[0].latest.attempts).toBe(1);
    expect((await reporter.post(`/api/deliveries/${latest.id}/retry`)).status).toBe(403);
    const qingyang = await server.as('qingyang_editor');
    expect((await qingyang.post(`/api/deliveries/${latest.id}/retry`)).status).toBe(404);
    const again = await chief.post(`/api/deliveries/${latest.id}/retry`);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('queued');
    expect((await chief.post(`/api/deliveries/${latest.id}/retry`)).status).toBe(400);
    expect(await settleAll()).toBe(0);
    expect((await statusOf(id)).channels[0].latest).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it("hold to a channel's rate limit, shared through the database", async () => {
    const hook = await webhookChannel('限速渠道', { rateLimitPerMinute: 60 });
    const ids: string[] = [];
    for (let i = 0; i < 13; i++) ids.push(await signedOff(`限速稿件 ${i}`));
    for (const id of ids) await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [hook] });
    const started = Date.now();
    // Two workers (as two processes would) share one bucket: burst 10, then one a second.
    const second = new DeliveryWorker(server.db, dist().channels, dist().outbox, () => ({ load: () => Promise.reject(new Error('no media')) }), dist().worker.options);
    await Promise.all([dist().worker.drain(), second.drain()]);
    const mine = () => [...receiver.posts.values()].filter((p) => ids.includes(p.body.itemId as string));
    expect(mine()).toHaveLength(10);
    expect(await settleAll()).toBe(0);
    expect(mine()).toHaveLength(13);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    const times = mine().map((p) => p.at).sort((x, y) => x - y);
    // The 13th token exists 3 s after the bucket was made; the first post lands a little after that moment.
    expect(times[12]! - times[0]!).toBeGreaterThanOrEqual(2000);
    // Throttling is not a failed attempt.
    const rows = (await Promise.all(ids.map((id) => repo.itemDeliveries(server.db, id)))).flat();
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  }, 60_000);

  it('deliver each story exactly once when a worker is killed mid-delivery and another takes over', async () => {
    const channel = await leader.post('/api/channels', { kind: 'douyin', name: '不去重的平台', secrets: { token: 't' }, autoSelect: false });
    expect(channel.status, JSON.stringify(channel.body)).toBe(201);
    const ids = [await signedOff('崩溃测试一'), await signedOff('崩溃测试二'), await signedOff('崩溃测试三')];
    for (const id of ids) await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [channel.body.id] });

    // Worker A: the platform takes the posts but never answers; A dies (its lease just runs out).
    platform.hang = true;
    const a = new DeliveryWorker(server.db, dist().channels, dist().outbox, () => ({ load: () => Promise.reject(new Error('no media')) }), {
      ...dist().worker.options,
      deliverTimeoutMs: 60_000,
      leaseMs: 400,
    });
    const dying = a.drain();
    for (let i = 0; i < 50 && platform.posts.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    a.stop();
    expect(platform.posts).toHaveLength(3);
    // One more row taken by a worker that died before sending anything.
    const late = await signedOff('崩溃测试四');
    await chief.post(`/api/items/${late}/workflow/publish`, { channelIds: [channel.body.id] });
    const leased = await repo.claim(server.db, 10, 400);
    expect(leased.map((r) => r.item_id)).toEqual([late]);

    // Worker B after the leases expired: everything is `unknown` first, reconciled, and only the unsent one is sent.
    platform.hang = false;
    await new Promise((r) => setTimeout(r, 500));
    const b = new DeliveryWorker(server.db, dist().channels, dist().outbox, () => ({ load: () => Promise.reject(new Error('no media')) }), dist().worker.options);
    const first = await b.drain();
    expect(first.expired).toBe(4);
    expect(await settleAll()).toBe(0);
    for (const id of [...ids, late]) {
      const title = (await chief.get(`/api/items/${id}`)).body.title;
      expect(platform.posts.filter((p) => p.title === title), title).toHaveLength(1);
      const [row] = await repo.itemDeliveries(server.db, id);
      expect(row!.status).toBe('delivered');
    }
    const reconciled = (await statusOf(ids[0]!)).channels[0].latest;
    expect(reconciled.note).toContain('reconciliation');
    // A's calls finally fail; it must not overwrite what B settled.
    platform.release();
    await dying;
    for (const id of ids) expect((await repo.itemDeliveries(server.db, id))[0]!.status).toBe('delivered');
  }, 60_000);

  it("keep a slow platform's delivery leased for as long as its adapter says it may take", async () => {
    const slow = { ...fakeAdapter(() => platform.base), deliverTimeoutMs: 5_000 };
    dist().channels.adapters.register(slow);
    try {
      const channel = await leader.post('/api/channels', { kind: 'douyin', name: '慢平台', secrets: { token: 't' }, autoSelect: false });
      const id = await signedOff('长视频上传');
      await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [channel.body.id] });
      platform.hang = true;
      const options = { ...dist().worker.options, deliverTimeoutMs: 200, leaseMs: 300 };
      const a = new DeliveryWorker(server.db, dist().channels, dist().outbox, () => ({ load: () => Promise.reject(new Error('no media')) }), options);
      const sending = a.drain();
      for (let i = 0; i < 50 && !platform.posts.some((p) => p.title === '长视频上传'); i++) await new Promise((r) => setTimeout(r, 50));
      // Past the worker's own lease, but well inside the adapter's deadline: nobody takes the row for abandoned.
      await new Promise((r) => setTimeout(r, 600));
      const b = new DeliveryWorker(server.db, dist().channels, dist().outbox, () => ({ load: () => Promise.reject(new Error('no media')) }), options);
      expect((await b.drain()).expired).toBe(0);
      expect((await repo.itemDeliveries(server.db, id))[0]!.status).toBe('sending');
      platform.hang = false;
      platform.release();
      await sending;
      expect(await settleAll()).toBe(0);
      expect(platform.posts.filter((p) => p.title === '长视频上传')).toHaveLength(1);
    } finally {
      dist().channels.adapters.register(fakeAdapter(() => platform.base));
    }
  }, 60_000);

  it('a webhook timeout after send is resent with the same key, and the receiver keeps one post', async () => {
    const hook = await webhookChannel('超时渠道');
    const id = await signedOff();
    await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [hook] });
    receiver.mode = 'hang';
    receiver.modeCalls = 1;
    const callsBefore = receiver.calls;
    const worker = new DeliveryWorker(server.db, dist().channels, dist().outbox, () => ({ load: () => Promise.reject(new Error('no media')) }), { ...dist().worker.options, deliverTimeoutMs: 1000 });
    await worker.drain();
    const [row] = await repo.itemDeliveries(server.db, id);
    expect(row).toMatchObject({ status: 'unknown', needs_reconcile: true });
    receiver.dropHung();
    expect(await settleAll()).toBe(0);
    expect(receiver.calls - callsBefore).toBe(2);
    expect([...receiver.posts.values()].filter((p) => p.body.itemId === id)).toHaveLength(1);
    expect((await repo.itemDeliveries(server.db, id))[0]!.status).toBe('delivered');
  });
});

describe('corrections and retractions', () => {
  it('send update and retract where the channel allows, and leave a trail where it does not', async () => {
    const hook = await webhookChannel('更正渠道');
    const social = (await leader.post('/api/channels', { kind: 'douyin', name: '不能改的平台', secrets: { token: 't' }, autoSelect: false })).body.id as string;
    const id = await signedOff('原稿标题');
    await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [hook, social] });
    expect(await settleAll()).toBe(0);

    // Correction: edit the live story, sign it off again, republish with a note.
    await reporter.patch(`/api/items/${id}`, { title: '更正后的标题' });
    await reporter.post(`/api/items/${id}/workflow/submit`, {});
    await chief.post(`/api/items/${id}/workflow/approve`, {});
    expect((await chief.post(`/api/items/${id}/workflow/publish`, { comment: '更正：标题有误' })).body.status).toBe('corrected');
    expect(await settleAll()).toBe(0);
    const updates = receiver.byEvent('update').filter((p) => p.body.itemId === id);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body).toMatchObject({ revision: 2, correctionNote: '更正：标题有误', rendition: { title: '更正后的标题' } });
    expect((updates[0]!.body.remote as { id: string }).id).toMatch(/^post-/);
    let status = await statusOf(id);
    const bySocial = status.channels.find((c: { channelId: string }) => c.channelId === social);
    expect(bySocial.latest).toMatchObject({ action: 'update', status: 'skipped' });
    expect(bySocial.latest.note).toContain('更正说明');

    // Retraction.
    expect((await chief.post(`/api/items/${id}/workflow/retract`, { comment: '事实有误，撤稿' })).status).toBe(200);
    expect(await settleAll()).toBe(0);
    const retracts = receiver.byEvent('retract').filter((p) => p.body.itemId === id);
    expect(retracts).toHaveLength(1);
    expect(retracts[0]!.body.retractionNote).toBe('事实有误，撤稿');
    status = await statusOf(id);
    expect(status.channels.find((c: { channelId: string }) => c.channelId === hook).latest).toMatchObject({ action: 'retract', status: 'delivered' });
    expect(status.channels.find((c: { channelId: string }) => c.channelId === social).latest).toMatchObject({ action: 'retract', status: 'skipped' });
    expect(platform.posts.filter((p) => p.action === 'retract')).toHaveLength(0);
  });

  it('a retraction cancels what was not sent yet, and follows what is still in flight', async () => {
    const hook = await webhookChannel('撤稿未发');
    const id = await signedOff();
    await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [hook] });
    await chief.post(`/api/items/${id}/workflow/retract`, { comment: '撤回' });
    await settleAll();
    const rows = await repo.itemDeliveries(server.db, id);
    expect(rows.map((r) => [r.action, r.status])).toEqual([['publish', 'skipped']]);
    expect([...receiver.posts.values()].some((p) => p.body.itemId === id)).toBe(false);
  });
});

describe('credentials that no longer decrypt', () => {
  it('fail the delivery with the reason instead of looping', async () => {
    const hook = await webhookChannel('密钥已换');
    const id = await signedOff();
    await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [hook] });
    await server.db.updateTable('channels').set({ secrets_ciphertext: 'v1.AAAA.AAAA.AAAA' }).where('id', '=', hook).execute();
    await settleAll();
    const latest = (await statusOf(id)).channels[0].latest;
    expect(latest).toMatchObject({ status: 'failed', failure: 'auth', attempts: 1 });
    expect(latest.lastError).toContain('解密');
  });
});
