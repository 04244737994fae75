import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type TestServer, startTestServer } from '../../test/harness.ts';
import { docFromText } from '../content/doc.ts';
import { loadRenditionSource } from './source.ts';

/** loadRenditionSource reads one revision as saved, with where it lives for readers and where it came from. */
let server: TestServer;
let reporter: ApiClient;
let editor: ApiClient;
let chief: ApiClient;
let leader: ApiClient;
let qingyang: ApiClient;
const BASE = 'https://tianfu.example';

beforeAll(async () => {
  server = await startTestServer();
  [reporter, editor, chief, leader, qingyang] = await Promise.all(
    ['jinjiang_reporter', 'jinjiang_editor', 'jinjiang_chief', 'jinjiang_admin', 'qingyang_editor'].map((u) => server.as(u)),
  );
});
afterAll(() => server.close());

const chain = async (id: string) => {
  for (const [by, action] of [[reporter, 'submit'], [editor, 'approve'], [chief, 'approve'], [leader, 'approve']] as const) {
    const res = await by.post(`/api/items/${id}/workflow/${action}`, {});
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  }
};

/** A picture of the reporter's own unit: an item may only carry assets it may use. */
async function ownPicture(): Promise<string> {
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 30, b: 40 } } }).png().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'pic.png');
  const res = await fetch(`${server.url}/api/assets`, { method: 'POST', headers: { cookie: reporter.cookie, 'x-csrf-token': reporter.csrf }, body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('loadRenditionSource', () => {
  it('reads the revision asked for, not the working copy, with its portal address', async () => {
    const picture = await ownPicture();
    const created = await reporter.post('/api/items', {
      type: 'article',
      title: '第一版标题',
      summary: '摘要',
      body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '正文第一段。' }] }, { type: 'image', attrs: { assetId: picture, caption: '图' } }] },
      byline: '记者 李明',
      tags: ['文旅'],
      aiAssisted: true,
    });
    const id = created.body.id as string;
    await reporter.patch(`/api/items/${id}`, { title: '第二版标题', body: docFromText('改过的正文。') });

    const first = await loadRenditionSource(server.db, id, 1, BASE);
    expect(first).toMatchObject({
      itemId: id,
      unitName: '锦江区融媒体中心',
      unitSlug: '510104',
      revision: 1,
      type: 'article',
      title: '第一版标题',
      summary: '摘要',
      byline: '记者 李明',
      tags: ['文旅'],
      aiAssisted: true,
      imageAssetIds: [picture],
      portalUrl: `${BASE}/portal/510104/a/${id}`,
      canonicalUrl: `${BASE}/portal/510104/a/${id}`,
      origin: null,
      correctionNote: null,
    });
    expect(first.bodyText).toContain('正文第一段。');
    const second = await loadRenditionSource(server.db, id, 2, BASE);
    expect(second.title).toBe('第二版标题');
    expect(second.imageAssetIds).toEqual([]);
  });

  it('names the origin of a picked-up copy and links its article as canonical', async () => {
    const created = await reporter.post('/api/items', { type: 'article', title: '锦江区原创稿', body: docFromText('原创正文。') });
    const id = created.body.id as string;
    await editor.put(`/api/items/${id}/share`, { scope: 'alliance' });
    const copy = await qingyang.post(`/api/items/${id}/adopt`);
    expect(copy.status).toBe(201);
    const source = await loadRenditionSource(server.db, copy.body.id, 1, BASE);
    expect(source).toMatchObject({
      unitName: '青羊区融媒体中心',
      unitSlug: '510105',
      portalUrl: `${BASE}/portal/510105/a/${copy.body.id}`,
      canonicalUrl: `${BASE}/portal/510104/a/${id}`,
      origin: { unitName: '锦江区融媒体中心', itemId: id },
    });
  });

  it('carries the correction note of the revision that corrected a publication, and only that one', async () => {
    const created = await reporter.post('/api/items', { type: 'article', title: '锦江区社保服务', body: docFromText('居民可在家门口办理社保业务。') });
    const id = created.body.id as string;
    await chain(id);
    expect((await chief.post(`/api/items/${id}/workflow/publish`, {})).status).toBe(200);
    const published = await loadRenditionSource(server.db, id, 1, BASE);
    expect(published.correctionNote).toBeNull();

    await reporter.patch(`/api/items/${id}`, { body: docFromText('居民可在家门口办理医保业务。') });
    await chain(id);
    expect((await chief.post(`/api/items/${id}/workflow/publish`, { comment: '应为医保业务' })).status).toBe(200);
    const corrected = await loadRenditionSource(server.db, id, 2, BASE);
    expect(corrected.correctionNote).toBe('应为医保业务');
    expect(Date.now() - new Date(corrected.publishedAt).getTime()).toBeLessThan(60_000);
    expect((await loadRenditionSource(server.db, id, 1, BASE)).correctionNote).toBeNull();
  });

  it('tells the videos among the cover and body assets, and lists a special topic’s members', async () => {
    const film = '5a1e0000-0000-4000-8000-00000000f11e';
    const video = await reporter.post('/api/items', { type: 'video', title: '锦江夜景', body: docFromText('视频说明。') });
    await server.db
      .insertInto('assets')
      .values({ unit_id: video.body.unitId, id: film, kind: 'video', mime: 'video/mp4', size: 1, sha256: '0'.repeat(64), original_name: 'night.mp4', caption: null, tags: [], width: null, height: null, duration_seconds: 12, storage_key: 'x', variants: '{}', created_by: null, updated_at: new Date() })
      .execute();
    await reporter.patch(`/api/items/${video.body.id}`, { coverAssetId: film });
    const source = await loadRenditionSource(server.db, video.body.id, 2, BASE);
    expect(source.videoAssetIds).toEqual([film]);
    expect(source.imageAssetIds).toEqual([]);

    const special = await editor.post('/api/items', { type: 'special', title: '锦江专题', body: docFromText('专题导语。'), specialItemIds: [video.body.id] });
    expect(special.status, JSON.stringify(special.body)).toBe(201);
    expect((await loadRenditionSource(server.db, special.body.id, 1, BASE)).specialItemIds).toEqual([video.body.id]);
  });

  it('answers an unknown item or revision with 404', async () => {
    await expect(loadRenditionSource(server.db, '00000000-0000-4000-8000-000000000000', 1, BASE)).rejects.toMatchObject({ status: 404 });
    const created = await reporter.post('/api/items', { type: 'article', title: '只有一版', body: docFromText('正文。') });
    await expect(loadRenditionSource(server.db, created.body.id, 9, BASE)).rejects.toMatchObject({ status: 404 });
  });
});
