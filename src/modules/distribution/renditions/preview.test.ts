import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type TestServer, startTestServer } from '../../../test/harness.ts';
import { docFromText } from '../../content/doc.ts';
import { channelKinds } from '../contract.ts';
import { AI_LABEL_TEXT } from './labels.ts';

/** 渠道预览 over real HTTP: 锦江区 writes and signs off; 青羊区 may read a shared story but not its renditions. */
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
});
afterAll(() => server.close());

const text = `${AI_LABEL_TEXT}\n锦江区今天启动冬季文旅消费季。活动持续到明年二月。\n春熙路将举办非遗夜市。`;

async function signedOffStory(): Promise<string> {
  const res = await reporter.post('/api/items', { type: 'article', title: '锦江区启动冬季文旅消费季', summary: '百项活动惠及市民游客。', body: docFromText(text), aiAssisted: true });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = res.body.id as string;
  for (const [by, action] of [[reporter, 'submit'], [editor, 'approve'], [chief, 'approve'], [leader, 'approve']] as const) {
    const moved = await by.post(`/api/items/${id}/workflow/${action}`, {});
    expect(moved.status, `${action}: ${JSON.stringify(moved.body)}`).toBe(200);
  }
  return id;
}

describe('GET /api/items/:id/renditions', () => {
  it('before sign-off: an editor sees the latest revision flagged unsigned; a reporter is told to wait', async () => {
    const res = await reporter.post('/api/items', { type: 'article', title: '草稿', body: docFromText('草稿正文。') });
    const id = res.body.id as string;
    const early = await reporter.get(`/api/items/${id}/renditions`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('not_signed_off');
    const preview = await editor.get(`/api/items/${id}/renditions`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ itemId: id, revision: 1, latestRevision: 1, signedOffRevision: null, signedOff: false });
    expect(preview.body.renditions.map((r: { channel: string }) => r.channel)).toEqual([...channelKinds]);
  });

  it('renders the signed-off revision for the newsroom, one channel or all', async () => {
    const id = await signedOffStory();
    const all = await reporter.get(`/api/items/${id}/renditions`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ revision: 1, signedOffRevision: 1, signedOff: true });
    expect(all.body.renditions).toHaveLength(channelKinds.length);
    for (const r of all.body.renditions) expect(r.aiLabel, r.channel).toBe(AI_LABEL_TEXT);

    const wechat = await reporter.get(`/api/items/${id}/renditions?channel=wechat`);
    expect(wechat.body.renditions).toHaveLength(1);
    const [r] = wechat.body.renditions;
    expect(r.channel).toBe('wechat');
    expect(r.html).toContain('<section style=');
    expect(r.html).toContain('春熙路将举办非遗夜市');
    expect(r.link).toBe(`http://localhost:3000/portal/510104/a/${id}`);

    const weibo = await reporter.get(`/api/items/${id}/renditions?channel=weibo`);
    expect(weibo.body.renditions[0].text).toBe(`【锦江区启动冬季文旅消费季】百项活动惠及市民游客。 ${AI_LABEL_TEXT} 全文：http://localhost:3000/portal/510104/a/${id}`);
  });

  it('keeps showing the published revision after an edit; an editor may look at the latest', async () => {
    const id = await signedOffStory();
    expect((await chief.post(`/api/items/${id}/workflow/publish`, {})).status).toBe(200);
    const edited = await reporter.patch(`/api/items/${id}`, { title: '锦江区冬季文旅消费季今天启动' });
    expect(edited.status).toBe(200);
    const signed = await reporter.get(`/api/items/${id}/renditions?channel=portal`);
    expect(signed.body).toMatchObject({ revision: 1, latestRevision: 2, signedOff: true });
    expect(signed.body.renditions[0].title).toBe('锦江区启动冬季文旅消费季');
    const latest = await editor.get(`/api/items/${id}/renditions?channel=portal&latest=true`);
    expect(latest.body).toMatchObject({ revision: 2, latestRevision: 2, signedOffRevision: 1, signedOff: false });
    expect(latest.body.renditions[0].title).toBe('锦江区冬季文旅消费季今天启动');
    const refused = await reporter.get(`/api/items/${id}/renditions?latest=true`);
    expect(refused.status).toBe(403);
  });

  it('shows a reporter nothing once an edit has taken the sign-off away from an unpublished story', async () => {
    const id = await signedOffStory();
    expect((await reporter.patch(`/api/items/${id}`, { title: '改过的标题' })).status).toBe(200);
    expect((await reporter.get(`/api/items/${id}/renditions`)).status).toBe(409);
    const latest = await editor.get(`/api/items/${id}/renditions?channel=app`);
    expect(latest.body).toMatchObject({ revision: 2, signedOffRevision: null, signedOff: false });
    expect(latest.body.renditions[0].title).toBe('改过的标题');
  });

  it('refuses other units: not found when they cannot read the item, forbidden when it is shared with them', async () => {
    const id = await signedOffStory();
    expect((await qingyang.get(`/api/items/${id}/renditions`)).status).toBe(404);
    expect((await editor.put(`/api/items/${id}/share`, { scope: 'alliance' })).status).toBe(200);
    expect((await qingyang.get(`/api/items/${id}`)).status).toBe(200);
    const res = await qingyang.get(`/api/items/${id}/renditions`);
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('所属单位');
  });

  it('credits the originating unit in the renditions of a picked-up copy', async () => {
    const id = await signedOffStory();
    await editor.put(`/api/items/${id}/share`, { scope: 'alliance' });
    const copy = await qingyang.post(`/api/items/${id}/adopt`);
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    const res = await qingyang.get(`/api/items/${copy.body.id}/renditions?channel=portal`);
    expect(res.status).toBe(200);
    const [r] = res.body.renditions;
    const canonical = `http://localhost:3000/portal/510104/a/${id}`;
    expect(r.link).toBe(canonical);
    expect(r.html).toContain('本文转载自锦江区');
    expect(r.html).toContain(canonical);
  });

  it('applies the stricter limits of the unit’s own channels and names them', async () => {
    const id = await signedOffStory();
    const item = await reporter.get(`/api/items/${id}`);
    await server.db
      .insertInto('channels')
      .values({ unit_id: item.body.unitId, kind: 'app', name: '锦江发布客户端', config: JSON.stringify({ titleMax: 8 }), updated_at: new Date() })
      .execute();
    const res = await reporter.get(`/api/items/${id}/renditions?channel=app`);
    expect(res.body.channels).toMatchObject([{ kind: 'app', name: '锦江发布客户端' }]);
    expect(Array.from(res.body.renditions[0].title as string).length).toBeLessThanOrEqual(8);
    expect(res.body.renditions[0].notes.some((n: string) => n.includes('上限 8 字'))).toBe(true);
    // Other kinds keep the platform's rules.
    const wechat = await reporter.get(`/api/items/${id}/renditions?channel=wechat`);
    expect(wechat.body.channels).toEqual([]);
    expect(wechat.body.renditions[0].title).toBe('锦江区启动冬季文旅消费季');
  });

  it('answers a wrong channel or id with 400 and an unknown item with 404', async () => {
    expect((await editor.get('/api/items/not-a-uuid/renditions')).status).toBe(400);
    expect((await editor.get('/api/items/00000000-0000-4000-8000-000000000000/renditions?channel=fax')).status).toBe(400);
    expect((await editor.get('/api/items/00000000-0000-4000-8000-000000000000/renditions')).status).toBe(404);
    expect((await server.client().get('/api/items/00000000-0000-4000-8000-000000000000/renditions')).status).toBe(401);
  });
});
