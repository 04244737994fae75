import { expect } from 'vitest';
import type { ApiClient, TestServer } from './harness.ts';
import { samplePicture, sampleStories } from './print-sample.ts';

/** Stories of the sample page written, signed off and published by 锦江区's newsroom over HTTP (print tests). */

export interface Newsroom {
  reporter: ApiClient;
  editor: ApiClient;
  chief: ApiClient;
  leader: ApiClient;
}

async function uploadPicture(server: TestServer, client: ApiClient, hue: number) {
  const form = new FormData();
  form.append('caption', '锦江区的冬日街景');
  form.append('file', new Blob([new Uint8Array(await samplePicture(1200, 800, hue))], { type: 'image/jpeg' }), `pic-${hue}.jpg`);
  const res = await fetch(`${server.url}/api/assets`, { method: 'POST', headers: { cookie: client.cookie, 'x-csrf-token': client.csrf }, body: form });
  // 200: the unit already holds these bytes (the same picture as an earlier story).
  expect([200, 201]).toContain(res.status);
  return ((await res.json()) as { id: string }).id;
}

/** A story of the sample page, written, signed off and published by 锦江区's newsroom. */
export async function publishStory(server: TestServer, { reporter, editor, chief, leader }: Newsroom, k: number, opts: { picture?: boolean; publish?: boolean; channelIds?: string[] } = {}): Promise<string> {
  const s = sampleStories()[k % 6]!;
  const assetId = opts.picture ? await uploadPicture(server, reporter, 40 * k) : null;
  const content = [
    ...(assetId ? [{ type: 'image', attrs: { assetId, caption: s.image?.caption ?? '图片说明' } }] : []),
    ...s.paragraphs.map((p) => (p.kind === 'h' ? { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: p.text }] } : { type: 'paragraph', content: [{ type: 'text', text: p.text }] })),
  ];
  const res = await reporter.post('/api/items', { type: 'article', title: s.title, subtitle: s.deck ?? undefined, byline: s.byline ?? undefined, body: { type: 'doc', content }, coverAssetId: assetId ?? undefined });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = res.body.id as string;
  if (opts.publish === false) return id;
  for (const [by, action] of [[reporter, 'submit'], [editor, 'approve'], [chief, 'approve'], [leader, 'approve'], [chief, 'publish']] as const) {
    const moved = await by.post(`/api/items/${id}/workflow/${action}`, action === 'publish' && opts.channelIds ? { channelIds: opts.channelIds } : {});
    expect(moved.status, `${action}: ${JSON.stringify(moved.body)}`).toBe(200);
  }
  return id;
}

