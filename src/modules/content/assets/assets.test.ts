import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type TestServer, startTestServer } from '../../../test/harness.ts';
import type { FileStorage } from './storage.ts';

let server: TestServer;
let editor: ApiClient; // 青羊区 editor
let reporter: ApiClient; // 锦江区 reporter
let admin: ApiClient; // alliance admin at the root
let supervisor: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  [editor, reporter, admin, supervisor] = await Promise.all(['qingyang_editor', 'jinjiang_reporter', 'admin', 'supervisor'].map((u) => server.as(u)));
});
afterAll(async () => {
  const root = storageRoot();
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const storageRoot = () => (server.services.assets.storage as FileStorage).root;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The ApiClient speaks JSON only; uploads go as real multipart bodies through fetch. */
async function upload(client: ApiClient, file: { data: Uint8Array; name: string; type?: string }, fields: Record<string, string | string[]> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(k, x);
  form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type ?? '' }), file.name);
  const res = await fetch(`${server.url}/api/assets`, {
    method: 'POST',
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrf },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function download(client: ApiClient, url: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + url, { headers: { cookie: client.cookie, ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Every file under the asset folder, staging included: what "nothing left behind" is checked against. */
function storedFiles(dir = storageRoot()): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? storedFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

async function assetCount() {
  const row = await server.db.selectFrom('assets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Runs an upload that must fail and checks it left no row and no file. */
async function refusedCleanly(run: () => Promise<{ status: number; body: any }>) {
  const [rows, files] = [await assetCount(), storedFiles().sort()];
  const res = await run();
  expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(typeof res.body.detail).toBe('string');
  expect(typeof res.body.detailEn).toBe('string');
  expect(await assetCount()).toBe(rows);
  expect(storedFiles().sort()).toEqual(files);
  return res;
}

let colour = 0;
/** A distinct picture each call (a different colour band), so hashes never collide by accident. */
async function picture(width: number, height: number, format: 'png' | 'jpeg' = 'jpeg', alpha = false) {
  colour += 1;
  const band = await sharp({ create: { width: Math.max(1, width >> 2), height: Math.max(1, height >> 2), channels: 3, background: { r: 250, g: 40, b: colour % 256 } } })
    .png()
    .toBuffer();
  const img = sharp({
    create: { width, height, channels: alpha ? 4 : 3, background: { r: (colour * 37) % 256, g: 120, b: 200, alpha: alpha ? 0.5 : 1 } },
  }).composite([{ input: band, left: width >> 1, top: height >> 2 }]);
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 90 }).toBuffer();
}

const unitId = async (code: string) =>
  (await server.db.selectFrom('units').select('id').where('division_code', '=', code).executeTakeFirstOrThrow()).id;

const imageDoc = (assetId: string) => ({
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: '大熊猫基地迎来新生幼崽。' }] },
    { type: 'image', attrs: { assetId, alt: '熊猫幼崽', caption: '新生幼崽' } },
  ],
});

describe('uploads and variants', () => {
  it('a PNG becomes an image asset with its checksum and variants of the right sizes', async () => {
    const png = await picture(2000, 1500, 'png');
    const res = await upload(editor, { data: png, name: '宽窄巷子.png', type: 'image/png' }, { caption: '宽窄巷子的冬日', tags: '街景,成都' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const a = res.body;
    expect(a).toMatchObject({
      kind: 'image',
      mime: 'image/png',
      size: png.length,
      sha256: sha(png),
      originalName: '宽窄巷子.png',
      caption: '宽窄巷子的冬日',
      tags: ['街景', '成都'],
      width: 2000,
      height: 1500,
      duplicate: false,
      unitName: '青羊区融媒体中心',
      canEdit: true,
    });
    const expected: Record<string, [number, number]> = {
      thumb: [320, 240],
      medium: [800, 600],
      large: [1600, 1200],
      crop_16x9: [1280, 720],
      crop_4x3: [1200, 900],
      crop_1x1: [800, 800],
    };
    expect(Object.keys(a.variants).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, [w, h]] of Object.entries(expected)) {
      const got = await download(editor, a.variants[name].url);
      expect(got.status, name).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/jpeg');
      expect(got.headers.get('etag')).toBe(`"${a.sha256}.${name}"`);
      const meta = await sharp(got.bytes).metadata();
      expect([meta.width, meta.height], name).toEqual([w, h]);
      expect(a.variants[name]).toMatchObject({ width: w, height: h, size: got.bytes.length, mime: 'image/jpeg' });
    }
    // The original comes back byte for byte, cacheable and revalidated by its checksum.
    const original = await download(editor, a.url);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(original.headers.get('etag')).toBe(`"${sha(png)}"`);
    expect(original.headers.get('cache-control')).toContain('immutable');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sha(original.bytes)).toBe(sha(png));
    expect((await download(editor, a.url, { 'if-none-match': `"${sha(png)}"` })).status).toBe(304);
    // What the item bodies link to.
    expect((await download(editor, `/api/assets/${a.id}/content?variant=large`)).status).toBe(200);
    const audit = await server.db.selectFrom('audit_log').selectAll().where('target_id', '=', a.id).execute();
    expect(audit.map((r) => r.action)).toEqual(['asset.create']);
  });

  it('a 4000×3000 JPEG is rendered in reasonable time; small pictures are never enlarged', async () => {
    const jpeg = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 90 }).toBuffer();
    const started = performance.now();
    const res = await upload(editor, { data: jpeg, name: 'DSC_4000.JPG', type: 'image/jpeg' });
    const ms = performance.now() - started;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    console.info(`4000×3000 JPEG (${(jpeg.length / 1024 / 1024).toFixed(1)} MB) uploaded and rendered in ${ms.toFixed(0)} ms`);
    expect(res.body.variants.large).toMatchObject({ width: 1600, height: 1200 });
    expect(ms).toBeLessThan(10_000);

    const small = await upload(editor, { data: await picture(400, 300), name: 'small.jpeg' });
    expect(small.status).toBe(201);
    expect(small.body.variants.large).toMatchObject({ width: 400, height: 300 });
    expect(small.body.variants.thumb).toMatchObject({ width: 320, height: 240 });
    expect(small.body.variants.crop_16x9).toMatchObject({ width: 400, height: 225 });
    expect(small.body.variants.crop_1x1).toMatchObject({ width: 300, height: 300 });
  });

  it('variants are upright and carry no metadata (no GPS position leaves the newsroom)', async () => {
    const sideways = await sharp(await picture(600, 400))
      .withExif({ IFD0: { Make: 'Tianfu Test Camera' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 39/1 0/1' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect((await sharp(sideways).metadata()).orientation).toBe(6);
    const res = await upload(editor, { data: sideways, name: 'sideways.jpg' });
    expect(res.status).toBe(201);
    expect([res.body.width, res.body.height]).toEqual([400, 600]);
    const thumb = await download(editor, res.body.variants.thumb.url);
    const meta = await sharp(thumb.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([320, 480]);
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it('transparent pictures keep their transparency as WebP variants', async () => {
    const res = await upload(editor, { data: await picture(900, 600, 'png', true), name: 'logo.png' });
    expect(res.status).toBe(201);
    expect(res.body.variants.medium.mime).toBe('image/webp');
    const got = await download(editor, res.body.variants.medium.url);
    expect(got.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(got.bytes).metadata()).hasAlpha).toBe(true);
  });

  it('serves uploads sandboxed: a PDF carrying JavaScript downloads as an attachment, pictures and sound play inline', async () => {
    const pdf = pdfWithJavaScript('app.alert(document.cookie)');
    const doc = await upload(editor, { data: pdf, name: '带脚本.pdf', type: 'application/pdf' });
    expect(doc.status, JSON.stringify(doc.body)).toBe(201);
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c00' } }).png().toBuffer();
    const picture = await upload(editor, { data: png, name: '红.png', type: 'image/png' });
    expect(picture.status, JSON.stringify(picture.body)).toBe(201);
    const audio = await upload(editor, { data: wavFile(4000), name: '沙盒.wav', type: 'audio/wav' });
    expect(audio.status, JSON.stringify(audio.body)).toBe(201);

    const sandboxed = (h: Headers) => {
      const csp = h.get('content-security-policy') ?? '';
      expect(csp.split(/\s*;\s*/)).toContain('sandbox');
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/script-src|allow-scripts|unsafe-eval/);
      expect(h.get('x-content-type-options')).toBe('nosniff');
    };
    for (const url of [doc.body.url, `/api/assets/${doc.body.id}/content?variant=large`]) {
      const got = await download(editor, url);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(pdf)).toBe(true);
      expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''/);
      sandboxed(got.headers);
    }
    // A range or a revalidation answers with the same protection.
    const part = await download(editor, doc.body.url, { range: 'bytes=0-9' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-disposition')).toMatch(/^attachment/);
    sandboxed(part.headers);
    const again = await download(editor, doc.body.url, { 'if-none-match': `"${sha(pdf)}"` });
    expect(again.status).toBe(304);
    sandboxed(again.headers);

    for (const url of [picture.body.url, picture.body.variants.medium.url, audio.body.url]) {
      const got = await download(editor, url);
      expect(got.status, url).toBe(200);
      expect(got.headers.get('content-disposition'), url).toMatch(/^inline; filename\*=UTF-8''/);
      sandboxed(got.headers);
    }
  });

  it('documents and audio keep their bytes; asking for a variant falls back to the original; ranges work', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const doc = await upload(editor, { data: pdf, name: '通知.pdf', type: 'application/pdf' }, { caption: '防汛工作通知' });
    expect(doc.status, JSON.stringify(doc.body)).toBe(201);
    expect(doc.body).toMatchObject({ kind: 'document', mime: 'application/pdf', variants: {}, thumbnailUrl: null, width: null });
    const fallback = await download(editor, `/api/assets/${doc.body.id}/content?variant=large`);
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get('content-type')).toBe('application/pdf');
    expect(fallback.headers.get('etag')).toBe(`"${sha(pdf)}"`);
    expect(fallback.bytes.equals(pdf)).toBe(true);

    const wav = wavFile(8000);
    const audio = await upload(editor, { data: wav, name: '成都话新闻.wav', type: 'audio/wav' });
    expect(audio.status, JSON.stringify(audio.body)).toBe(201);
    expect(audio.body).toMatchObject({ kind: 'audio', mime: 'audio/wav' });
    const part = await download(editor, audio.body.url, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${wav.length}`);
    expect(part.bytes.equals(wav.subarray(100, 200))).toBe(true);
    const tail = await download(editor, audio.body.url, { range: 'bytes=-10' });
    expect(tail.bytes.equals(wav.subarray(wav.length - 10))).toBe(true);
    expect((await download(editor, audio.body.url, { range: `bytes=${wav.length + 5}-` })).status).toBe(416);
  });
});

/** A valid PCM WAV of `samples` 16-bit mono samples. */
function wavFile(samples: number) {
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin(i / 10) * 8000), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

describe('refusals leave nothing behind', () => {
  it('a text file named photo.jpg is refused by its bytes, in Chinese and English', async () => {
    const res = await refusedCleanly(() => upload(editor, { data: Buffer.from('这不是图片，只是一段文字。'.repeat(50)), name: 'photo.jpg', type: 'image/jpeg' }));
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('type_mismatch');
    expect(res.body.detail).toContain('JPEG');
    expect(res.body.detailEn).toContain('JPEG');
  });

  it('a name or declared type that disagrees with the bytes is refused, naming what the bytes are', async () => {
    const png = await picture(300, 200, 'png');
    const byName = await refusedCleanly(() => upload(editor, { data: png, name: 'photo.jpg' }));
    expect(byName.status).toBe(415);
    expect(byName.body.detail).toContain('PNG');
    expect(byName.body.detectedMime).toBe('image/png');
    const byMime = await refusedCleanly(() => upload(editor, { data: png, name: 'photo.png', type: 'video/mp4' }));
    expect(byMime.status).toBe(415);
    expect(byMime.body.detailEn).toContain('video/mp4');
    const unsupported = await refusedCleanly(() => upload(editor, { data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), name: 'x.svg' }));
    expect(unsupported.status).toBe(415);
  });

  it('an image over 20 MB is stopped with 413 naming the limit', async () => {
    const head = await picture(64, 64, 'png');
    const big = Buffer.concat([head, Buffer.alloc(21 * 1024 * 1024)]);
    const res = await refusedCleanly(() => upload(editor, { data: big, name: 'huge.png', type: 'image/png' }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('file_too_large');
    expect(res.body.detail).toContain('20 MB');
    expect(res.body.detailEn).toContain('20 MB');
    // The server still answers on a fresh connection afterwards.
    expect((await editor.get('/api/assets')).status).toBe(200);
  });

  it('a truncated JPEG is refused as damaged', async () => {
    const jpeg = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#646464', noise: { type: 'gaussian', mean: 100, sigma: 30 } } }).jpeg().toBuffer();
    const res = await refusedCleanly(() => upload(editor, { data: jpeg.subarray(0, jpeg.length >> 1), name: 'half.jpg', type: 'image/jpeg' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('corrupt_image');
  });

  it('empty files, missing files, JSON bodies, unknown fields, supervisors and strangers are refused', async () => {
    expect((await refusedCleanly(() => upload(editor, { data: new Uint8Array(0), name: 'empty.jpg' }))).body.code).toBe('empty_file');
    const noFile = await refusedCleanly(async () => {
      const form = new FormData();
      form.append('caption', '只有说明');
      const res = await fetch(`${server.url}/api/assets`, { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf }, body: form });
      return { status: res.status, body: await res.json() };
    });
    expect(noFile.body.code).toBe('no_file');
    expect((await refusedCleanly(() => editor.post('/api/assets', { file: 'x' }))).status).toBe(415);
    const png = await picture(100, 100, 'png');
    expect((await refusedCleanly(() => upload(editor, { data: png, name: 'a.png' }, { sneaky: '1' }))).body.code).toBe('unknown_field');
    expect((await refusedCleanly(() => upload(editor, { data: png, name: 'a.png' }, { caption: '长'.repeat(501) }))).body.code).toBe('caption_too_long');
    expect((await refusedCleanly(() => upload(supervisor, { data: png, name: 'a.png' }))).status).toBe(403);
    expect((await refusedCleanly(() => upload(server.client(), { data: png, name: 'a.png' }))).status).toBe(401);
  });
});

describe('duplicates', () => {
  it('the same bytes in the same unit return the existing asset, with no new row or file', async () => {
    const png = await picture(500, 400, 'png');
    const first = await upload(editor, { data: png, name: 'first.png' }, { caption: '第一次' });
    expect(first.status).toBe(201);
    const [rows, files] = [await assetCount(), storedFiles().length];
    const again = await upload(editor, { data: png, name: 'renamed-copy.png' }, { caption: '第二次' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true, caption: '第一次', originalName: 'first.png' });
    expect(await assetCount()).toBe(rows);
    expect(storedFiles().length).toBe(files);
    // Another unit holding the same picture has its own asset.
    const elsewhere = await upload(reporter, { data: png, name: 'first.png' });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.id).not.toBe(first.body.id);
  });
});

describe('the library browser', () => {
  let panda: string;
  let opera: string;
  beforeAll(async () => {
    panda = (await upload(editor, { data: await picture(640, 480), name: 'IMG_0001.jpg' }, { caption: '成都大熊猫繁育基地的清晨', tags: ['熊猫', '成都'] })).body.id;
    opera = (await upload(editor, { data: await picture(640, 480), name: 'bianlian.jpg' }, { caption: '川剧变脸表演', tags: ['川剧'] })).body.id;
    await upload(reporter, { data: await picture(640, 480), name: 'jinjiang.jpg' }, { caption: '锦江夜游大熊猫灯组', tags: ['熊猫'] });
    // An older picture, for the date filter.
    await server.db.updateTable('assets').set({ created_at: new Date('2025-03-01T10:00:00+08:00') }).where('id', '=', opera).execute();
  });

  const ids = async (client: ApiClient, query: string) => {
    const res = await client.get(`/api/assets?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((a: { id: string }) => a.id);
  };

  it('finds by part of a Chinese caption, by file name, tag and kind, within the unit', async () => {
    expect(await ids(editor, `q=${encodeURIComponent('大熊猫')}`)).toEqual([panda]);
    expect(await ids(editor, `q=${encodeURIComponent('繁育')}`)).toEqual([panda]);
    expect(await ids(editor, 'q=bianlian')).toEqual([opera]);
    expect(await ids(editor, `tag=${encodeURIComponent('川剧')}`)).toEqual([opera]);
    expect(await ids(editor, `tag=${encodeURIComponent('熊猫')}`)).toEqual([panda]);
    expect(await ids(editor, 'q=%25')).toEqual([]);
    expect((await ids(editor, 'kind=document')).length).toBeGreaterThan(0);
    expect(await ids(editor, `kind=audio&q=${encodeURIComponent('大熊猫')}`)).toEqual([]);
  });

  it('filters by date (China time, both ends inclusive)', async () => {
    expect(await ids(editor, 'from=2025-03-01&to=2025-03-01')).toEqual([opera]);
    expect(await ids(editor, 'to=2025-02-28')).toEqual([]);
    expect(await ids(editor, `from=2026-01-01&q=${encodeURIComponent('川剧')}`)).toEqual([]);
  });

  it('by unit: overseers browse any unit below them; a county cannot browse another', async () => {
    const qingyang = await unitId('510105');
    const jinjiang = await unitId('510104');
    expect(await ids(admin, `unitId=${qingyang}&q=${encodeURIComponent('大熊猫')}`)).toEqual([panda]);
    const bothUnits = await ids(supervisor, `q=${encodeURIComponent('大熊猫')}`);
    expect(bothUnits).toHaveLength(2);
    expect(bothUnits).toContain(panda);
    const own = await reporter.get(`/api/assets?unitId=${jinjiang}`);
    expect(own.body.items.every((a: { unitId: string }) => a.unitId === jinjiang)).toBe(true);
    const other = await reporter.get(`/api/assets?unitId=${qingyang}`);
    expect(other.status).toBe(403);
  });
});

describe('tenancy', () => {
  it('another county cannot read an unshared asset, but can once a story using it is shared to the alliance', async () => {
    const res = await upload(editor, { data: await picture(800, 600), name: 'panda.jpg' }, { caption: '熊猫幼崽' });
    const id = res.body.id;
    expect((await reporter.get(`/api/assets/${id}`)).status).toBe(404);
    expect((await download(reporter, `/api/assets/${id}/content?variant=large`)).status).toBe(404);

    const item = await editor.post('/api/items', { type: 'article', title: '大熊猫基地迎来新生幼崽', body: imageDoc(id) });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    expect(item.body.bodyHtml).toContain(`/api/assets/${id}/content?variant=large`);
    expect((await reporter.get(`/api/assets/${id}`)).status).toBe(404);

    expect((await editor.put(`/api/items/${item.body.id}/share`, { scope: 'alliance' })).status).toBe(200);
    const seen = await reporter.get(`/api/assets/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.usedBy).toEqual([{ id: item.body.id, title: '大熊猫基地迎来新生幼崽', unitId: await unitId('510105') }]);
    expect(seen.body.canEdit).toBe(false);
    expect((await download(reporter, `/api/assets/${id}/content?variant=large`)).status).toBe(200);
    // Seeing is not editing.
    expect((await reporter.patch(`/api/assets/${id}`, { caption: '改一下' })).status).toBe(403);
    expect((await reporter.delete(`/api/assets/${id}`)).status).toBe(403);
    // A shared story does not open the rest of the unit's library.
    expect((await reporter.get(`/api/assets?unitId=${await unitId('510105')}`)).status).toBe(403);
  });

  it("another county's asset is refused at save, as a cover or inline, naming it, with nothing stored (D4)", async () => {
    const secret = (await upload(editor, { data: await picture(700, 500), name: 'secret.jpg' }, { caption: '未公开的现场照片' })).body.id;
    const items = async () => Number((await server.db.selectFrom('content_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await items();
    for (const body of [
      { type: 'article', title: '借图', body: imageDoc(secret) },
      { type: 'article', title: '借图', coverAssetId: secret },
    ]) {
      const forged = await reporter.post('/api/items', body);
      expect(forged.status, JSON.stringify(forged.body)).toBe(400);
      expect(forged.body.code).toBe('asset_not_usable');
      expect(forged.body.detail).toContain(secret);
      expect(forged.body.assetIds).toEqual([secret]);
    }
    expect(await items()).toBe(before);

    // An update is refused the same way and leaves the item at its revision.
    const own = await reporter.post('/api/items', { type: 'article', title: '自己的稿件' });
    expect(own.status).toBe(201);
    const patched = await reporter.patch(`/api/items/${own.body.id}`, { coverAssetId: secret, body: imageDoc(secret) });
    expect(patched.status).toBe(400);
    expect(patched.body.detail).toContain(secret);
    const after = await reporter.get(`/api/items/${own.body.id}`);
    expect(after.body.revision).toBe(1);
    expect(after.body.coverAssetId).toBeNull();
    expect(await server.db.selectFrom('asset_usages').select('asset_id').where('asset_id', '=', secret).execute()).toEqual([]);
    // An id naming no asset at all is refused too: the publish would stall on it later.
    const ghost = '00000000-0000-4000-8000-0000000000aa';
    const missing = await reporter.patch(`/api/items/${own.body.id}`, { coverAssetId: ghost });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toContain(ghost);

    // Nothing was lent: the asset stays closed to 锦江.
    expect((await reporter.get(`/api/assets/${secret}`)).status).toBe(404);
    expect((await download(reporter, `/api/assets/${secret}/content`)).status).toBe(404);
  });

  it('a picture travelling with a story shared to the unit may be used; the root overseer cannot lend a county picture to its own unit', async () => {
    const id = (await upload(editor, { data: await picture(640, 480), name: 'shared.jpg' }, { caption: '共享稿件的图片' })).body.id;
    const story = await editor.post('/api/items', { type: 'article', title: '青羊共享稿件', body: imageDoc(id) });
    expect((await reporter.post('/api/items', { type: 'article', title: '引用前', coverAssetId: id })).status).toBe(400);
    expect((await editor.put(`/api/items/${story.body.id}/share`, { scope: 'alliance' })).status).toBe(200);
    const used = await reporter.post('/api/items', { type: 'article', title: '引用共享图片', coverAssetId: id });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    // The root's alliance admin reads every asset, yet its own unit's item may not carry an unshared county picture.
    const unshared = (await upload(editor, { data: await picture(300, 200), name: 'unshared.jpg' })).body.id;
    expect((await admin.get(`/api/assets/${unshared}`)).status).toBe(200);
    const rootItem = await admin.post('/api/items', { type: 'article', title: '省里借图', coverAssetId: unshared });
    expect(rootItem.status).toBe(400);
    expect(rootItem.body.detail).toContain(unshared);
  });

  it('the supervisor above reads any asset of the subtree', async () => {
    const id = (await upload(editor, { data: await picture(320, 320), name: 'sup.jpg' })).body.id;
    expect((await supervisor.get(`/api/assets/${id}`)).status).toBe(200);
    expect((await supervisor.patch(`/api/assets/${id}`, { caption: '监管不写' })).status).toBe(403);
  });
});

describe('editing and deleting', () => {
  it('edits caption and tags with an audit row; deletes only what no item uses, files included', async () => {
    const res = await upload(editor, { data: await picture(1000, 800), name: 'cover.jpg' }, { caption: '旧说明' });
    const id = res.body.id;
    const patched = await editor.patch(`/api/assets/${id}`, { caption: ' 都江堰放水节 ', tags: ['水利', '水利', ' 非遗 '] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ caption: '都江堰放水节', tags: ['水利', '非遗'] });

    const item = await editor.post('/api/items', { type: 'article', title: '都江堰放水节', coverAssetId: id });
    const refused = await editor.delete(`/api/assets/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('asset_in_use');
    expect(refused.body.usedBy).toEqual([{ id: item.body.id, title: '都江堰放水节' }]);
    expect(refused.body.detail).toContain('都江堰放水节');

    // Once the item stops using it, it may go, and its files with it.
    expect((await editor.patch(`/api/items/${item.body.id}`, { coverAssetId: null })).status).toBe(200);
    const before = storedFiles().length;
    expect((await editor.delete(`/api/assets/${id}`)).status).toBe(204);
    expect(storedFiles().length).toBe(before - 7);
    expect(storedFiles().some((f) => f.includes(id))).toBe(false);
    expect((await editor.get(`/api/assets/${id}`)).status).toBe(404);
    expect((await download(editor, `/api/assets/${id}/content`)).status).toBe(404);
    const audit = await server.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('target_id', '=', id).orderBy('id').execute();
    expect(audit.map((r) => r.action)).toEqual(['asset.create', 'asset.update', 'asset.delete']);
    expect(audit[1]!.before).toMatchObject({ caption: '旧说明' });
    expect(audit[1]!.after).toMatchObject({ caption: '都江堰放水节' });
  });
});

/** A well-formed PDF whose open action runs JavaScript: what a hostile upload looks like. */
function pdfWithJavaScript(script: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /Names << /JavaScript << /Names [(run) 4 0 R] >> >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    `<< /Type /Action /S /JavaScript /JS (${script}) >>`,
  ];
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
