import sharp from 'sharp';
import { expect } from 'vitest';
import { docFromText } from '../../modules/content/doc.ts';
import { ReaderClient } from '../reader-client.ts';
import type { ApiClient, TestServer } from '../harness.ts';

/**
 * One object of every kind the API addresses by id, made in 锦江区 (510104) through the real API by its own
 * staff: what the isolation probe then asks for from 青羊区 (510105). Every title, name and secret carries a
 * marker, so a leak shows up as a marker in a response, whatever the route's shape.
 */
export const FOREIGN_CODE = '510104';
export const OWN_CODE = '510105';

export type ForeignKind =
  | 'unit'
  | 'unitSlug'
  | 'user'
  | 'token'
  | 'item'
  | 'draftItem'
  | 'comment'
  | 'asset'
  | 'ingestSource'
  | 'savedSearch'
  | 'lexicon'
  | 'wordingPack'
  | 'allowProposal'
  | 'alert'
  | 'topic'
  | 'task'
  | 'webhook'
  | 'printPage'
  | 'channel'
  | 'delivery'
  | 'reader'
  | 'segment'
  | 'campaign'
  | 'pushApp'
  | 'invitation';

export type OwnKind = 'unit' | 'item' | 'signedOffItem' | 'topic' | 'approvedTopic' | 'task' | 'acceptedTask' | 'segment';

export interface World {
  foreign: Record<ForeignKind, string>;
  /** Strings only the foreign unit's own staff may ever see: titles, names, secrets, the token itself. */
  markers: string[];
  /** Ids of foreign objects (units excepted: the unit tree is public to staff). */
  foreignIds: string[];
  own: Record<OwnKind, string>;
}

const MARK = 'PROBEX';

async function upload(server: TestServer, client: ApiClient, name: string) {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 90 } } }).png().toBuffer();
  const form = new FormData();
  form.append('caption', `${MARK}-asset-caption`);
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), name);
  const res = await fetch(`${server.url}/api/assets`, { method: 'POST', headers: { cookie: client.cookie, 'x-csrf-token': client.csrf }, body: form });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

function created(res: { status: number; body: unknown }, what: string): string {
  expect([200, 201], `${what}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
  const id = (res.body as { id?: string }).id;
  expect(typeof id, `${what} has an id`).toBe('string');
  return id!;
}

export async function buildWorld(server: TestServer): Promise<World> {
  const markers: string[] = [];
  const mark = (kind: string) => {
    const m = `${MARK}-${kind}-${Math.random().toString(36).slice(2, 8)}`;
    markers.push(m);
    return m;
  };
  const unitIdOf = async (code: string) =>
    (await server.db.selectFrom('units').select('id').where('division_code', '=', code).executeTakeFirstOrThrow()).id;
  const unit = await unitIdOf(FOREIGN_CODE);
  const ownUnit = await unitIdOf(OWN_CODE);
  const [reporter, editor, chief, leader] = await Promise.all(['jinjiang_reporter', 'jinjiang_editor', 'jinjiang_chief', 'jinjiang_admin'].map((u) => server.as(u)));

  const asset = await upload(server, editor, `${mark('asset')}.png`);
  const channelSecret = mark('channel-secret');
  const channel = created(
    await leader.post('/api/channels', { kind: 'webhook', name: mark('channel'), config: { url: 'https://gov.example.cn/hook' }, secrets: { signingSecret: channelSecret }, autoSelect: false }),
    'channel',
  );

  const portal = created(await leader.post('/api/channels', { kind: 'portal', name: mark('portal'), autoSelect: false }), 'portal channel');
  // A story taken through the whole chain and published to the channel: revisions, a delivery, renditions.
  const item = created(
    await reporter.post('/api/items', { type: 'article', title: mark('item'), summary: mark('item-summary'), body: docFromText(`${mark('item-body')} 锦江区社区便民服务。`), coverAssetId: asset }),
    'item',
  );
  const act = async (by: ApiClient, action: string, body: Record<string, unknown> = {}) => {
    const res = await by.post(`/api/items/${item}/workflow/${action}`, body);
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  };
  await act(reporter, 'submit');
  await act(editor, 'approve');
  await act(chief, 'approve');
  await act(leader, 'approve');
  await act(chief, 'publish', { channelIds: [portal] });
  // The delivery worker is a job in production; here one drain puts the story on the portal.
  await server.services.distribution.worker.drain();
  const draftItem = created(await reporter.post('/api/items', { type: 'article', title: mark('draft'), body: docFromText('草稿。') }), 'draft');
  const comment = created(await editor.post(`/api/items/${item}/comments`, { revision: 1, body: mark('comment') }), 'comment');
  const delivery = (await server.db.selectFrom('distribution_deliveries').select('id').where('channel_id', '=', portal).executeTakeFirstOrThrow()).id;

  const foreignUser = created(
    await leader.post('/api/users', { username: `probe_${Math.random().toString(36).slice(2, 8)}`, displayName: mark('user'), password: 'Probe-Passw0rd-2026', unitId: unit, role: 'reporter' }),
    'user',
  );
  const tokenRes = await reporter.post('/api/tokens', { name: mark('token') });
  const token = created(tokenRes, 'token');
  markers.push((tokenRes.body as { token: string }).token);

  const ingestSource = created(await editor.post('/api/ingest/sources', { name: mark('ingest'), url: `https://example.com/${mark('ingest-url')}.xml`, paused: true }), 'ingest source');
  const savedSearch = created(await reporter.post('/api/search/saved', { name: mark('saved'), query: { q: mark('saved-q') } }), 'saved search');

  const lexiconRes = await chief.post('/api/screening/lexicons', { name: mark('lexicon'), scope: 'unit' });
  const lexicon = created({ status: lexiconRes.status, body: lexiconRes.body.lexicon ?? lexiconRes.body }, 'lexicon');
  const term = mark('term');
  expect((await chief.post(`/api/screening/lexicons/${lexicon}/terms`, { terms: [{ term, category: 'custom', severity: 'review' }, { term: '社区便民', category: 'custom', severity: 'block' }] })).status).toBeLessThan(300);
  // Patrol runs as a job in production; the probe runs without a queue, so it is called directly. It alerts on block-tier terms.
  await server.services.screening.patrol.run([unit]);
  const alert = String((await server.db.selectFrom('screening_alerts').select('id').where('item_id', '=', item).executeTakeFirstOrThrow()).id);
  const packRes = await chief.post('/api/screening/wording-packs', { name: mark('pack'), scope: 'unit', rules: [{ wrong: mark('wrong'), right: '正确', explanation: mark('explain'), source: '测试' }] });
  const wordingPack = created({ status: packRes.status, body: packRes.body.pack ?? packRes.body }, 'wording pack');
  const proposalRes = await editor.post('/api/screening/allow-proposals', { term: mark('proposal'), rule: 'lexicon.custom', note: mark('proposal-note') });
  expect(proposalRes.status, `allow-list proposal: ${JSON.stringify(proposalRes.body)}`).toBe(201);
  const allowProposal = String(proposalRes.body.id);

  const topic = created(await reporter.post('/api/topics', { title: mark('topic'), angle: mark('angle') }), 'topic');
  const task = created(await leader.post('/api/tasks', { title: mark('task'), description: mark('task-desc'), assigneeUnitId: unit }), 'task');
  const webhookRes = await leader.post('/api/webhooks', { url: `https://hooks.example.cn/${mark('webhook-url')}`, events: ['publish'] });
  const webhook = created(webhookRes, 'webhook');
  if (typeof webhookRes.body.secret === 'string') markers.push(webhookRes.body.secret);
  const printPage = created(await editor.post('/api/print/pages', { name: mark('print').slice(0, 40), format: 'tabloid', date: '2026-11-27', stories: [{ source: 'item', id: item }] }), 'print page');

  // An invitation from 锦江区 to 绵阳's admin: nobody in 青羊区 may see, accept or withdraw it.
  const invitation = created(await leader.post('/api/invitations', { username: 'mianyang_admin', role: 'reporter' }), 'invitation');

  const segment = created(await leader.post('/api/push/segments', { name: mark('segment'), definition: { interests: [mark('interest')] } }), 'segment');
  const campaign = created(await leader.post('/api/push/campaigns', { title: mark('camp').slice(0, 40), body: mark('campaign-body'), itemId: item, segmentId: segment }), 'campaign');
  const pushSecret = mark('push-secret');
  const pushApp = created(await leader.post('/api/push/apps', { kind: 'jpush', name: mark('pushapp'), secrets: { appKey: mark('appkey'), masterSecret: pushSecret } }), 'push app');

  // A reader who signed up on 锦江区's portal.
  const readerClient = new ReaderClient(server.url);
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  expect((await readerClient.post('/api/reader/code', { channel: 'phone', destination: phone })).status).toBeLessThan(300);
  const signup = await readerClient.post('/api/reader/signup', {
    channel: 'phone',
    destination: phone,
    code: server.services.consoleCodes.lastCodeFor(`+86${phone}`),
    unit: FOREIGN_CODE,
    displayName: mark('reader'),
    consents: [{ purpose: 'personalisation', granted: true }],
    consentVersion: 'v1',
  });
  expect(signup.status, JSON.stringify(signup.body)).toBe(201);
  markers.push(phone);

  // 青羊区's own objects, for probes that put a foreign id into the body of a request on one's own object.
  const [qyReporter, qyEditor, qyChief, qyAdmin] = await Promise.all(['qingyang_reporter', 'qingyang_editor', 'qingyang_chief', 'qingyang_admin'].map((u) => server.as(u)));
  const ownItem = created(await qyReporter.post('/api/items', { type: 'article', title: '青羊区自己的稿件', body: docFromText('青羊区。') }), 'own item');
  const signedOffItem = created(await qyReporter.post('/api/items', { type: 'article', title: '青羊区已签发的稿件', body: docFromText('青羊区签发。') }), 'own signed-off item');
  for (const [by, action] of [[qyReporter, 'submit'], [qyEditor, 'approve'], [qyChief, 'approve'], [qyAdmin, 'approve']] as const) {
    const res = await by.post(`/api/items/${signedOffItem}/workflow/${action}`, {});
    expect(res.status, `own ${action}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  const ownTopic = created(await qyReporter.post('/api/topics', { title: '青羊区自己的选题' }), 'own topic');
  const approvedTopic = created(await qyReporter.post('/api/topics', { title: '青羊区已通过的选题' }), 'own approved topic');
  expect((await qyChief.post(`/api/topics/${approvedTopic}/decision`, { decision: 'approve' })).status).toBe(200);
  const ownTask = created(await qyChief.post('/api/tasks', { title: '青羊区自己的任务', assigneeUnitId: ownUnit }), 'own task');
  const acceptedTask = created(await qyChief.post('/api/tasks', { title: '青羊区已接的任务', assigneeUnitId: ownUnit }), 'own accepted task');
  expect((await qyReporter.post(`/api/tasks/${acceptedTask}/accept`, {})).status).toBe(200);
  const ownSegment = created(await qyAdmin.post('/api/push/segments', { name: '青羊区分群', definition: {} }), 'own segment');

  const foreign: Record<ForeignKind, string> = {
    unit,
    unitSlug: FOREIGN_CODE,
    user: foreignUser,
    token,
    item,
    draftItem,
    comment,
    asset,
    ingestSource,
    savedSearch,
    lexicon,
    wordingPack,
    allowProposal,
    alert,
    topic,
    task,
    webhook,
    invitation,
    printPage,
    channel,
    delivery: String(delivery),
    reader: signup.body.readerId as string,
    segment,
    campaign,
    pushApp,
  };
  const foreignIds = Object.entries(foreign)
    .filter(([k]) => k !== 'unit' && k !== 'unitSlug')
    .map(([, v]) => String(v))
    // Serial ids (a delivery, an alert) are small numbers that turn up anywhere; the UUIDs are what can leak.
    .filter((v) => v.length >= 32);
  return { foreign, markers, foreignIds, own: { unit: ownUnit, item: ownItem, signedOffItem, topic: ownTopic, approvedTopic, task: ownTask, acceptedTask, segment: ownSegment } };
}
