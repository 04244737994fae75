import { afterAll, beforeAll, expect, it } from 'vitest';
import { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import { type TestServer, startTestServer } from '../../test/harness.ts';
import { docFromText } from '../content/doc.ts';
import { webhookAdapter } from './adapters/webhook.ts';
import { WebhookReceiver } from '../../test/webhook-receiver.ts';

/** With the job queue running (pg-boss), nobody drains by hand: the publish transaction's job delivers. */
const SECRET = 'jobs-test-signing-secret-0001';
let server: TestServer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  receiver = await new WebhookReceiver(() => SECRET).start();
  server.services.distribution.channels.adapters.register(webhookAdapter(new OutboundHttpClient({ allowPrivate: true })));
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

it('a publish enqueues the delivery job in its transaction, and the worker delivers it', async () => {
  const [leader, reporter, chief] = await Promise.all(['jinjiang_admin', 'jinjiang_reporter', 'jinjiang_chief'].map((u) => server.as(u)));
  await leader.put('/api/review/policy', { levels: [{ name: '终审', roles: ['chief_editor'] }], editReturnsTo: 'first' });
  const hook = await leader.post('/api/channels', { kind: 'webhook', name: '队列推送', config: { url: `${receiver.base}/hook` }, secrets: { signingSecret: SECRET } });
  expect(hook.status).toBe(201);
  const id = (await reporter.post('/api/items', { type: 'article', title: '队列投递测试', body: docFromText('队列投递测试。') })).body.id as string;
  await reporter.post(`/api/items/${id}/workflow/submit`, {});
  await chief.post(`/api/items/${id}/workflow/approve`, {});
  expect((await chief.post(`/api/items/${id}/workflow/publish`, { channelIds: [hook.body.id] })).status).toBe(200);
  await expect.poll(async () => (await chief.get(`/api/items/${id}/distribution`)).body.channels[0]?.latest.status, { timeout: 20_000, interval: 500 }).toBe('delivered');
  expect(receiver.byEvent('publish').map((p) => p.body.itemId)).toEqual([id]);
});
