import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type TestServer, startTestServer } from '../../test/harness.ts';
import type { DeliveryRequest } from '../distribution/contract.ts';
import { renderFor } from '../distribution/renditions/index.ts';
import { loadRenditionSource } from '../distribution/source.ts';
import { colX, pageSpecs } from './layout/page-spec.ts';
import { printAdapter } from './print.adapter.ts';
import { publishStory } from '../../test/print-stories.ts';

const publishedStory = (k: number, opts: { picture?: boolean; publish?: boolean; channelIds?: string[] } = {}) => publishStory(server, { reporter, editor, chief, leader }, k, opts);

/** 报纸版面 over real HTTP: 锦江区 lays out its own stories; 青羊区 is refused them. */
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

async function pdfOf(client: ApiClient, pageId: string) {
  const res = await fetch(`${server.url}/api/print/pages/${pageId}/pdf`, { headers: { cookie: client.cookie } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** What the distribution worker hands the print adapter for one item. */
async function delivery(itemId: string, action: DeliveryRequest['action'], remote: DeliveryRequest['remote'] = null): Promise<DeliveryRequest> {
  const item = await server.db.selectFrom('content_items').select(['unit_id', 'revision']).where('id', '=', itemId).executeTakeFirstOrThrow();
  const source = await loadRenditionSource(server.db, itemId, item.revision, 'http://localhost:3000');
  return {
    deliveryId: crypto.randomUUID(),
    idempotencyKey: `print:${itemId}:${action}:${item.revision}`,
    action,
    channel: { id: crypto.randomUUID(), unitId: item.unit_id, kind: 'print', name: '锦江报', config: {}, secrets: {} },
    rendition: renderFor('print', source),
    remote,
    media: { load: () => Promise.reject(new Error('unused')) },
    signal: new AbortController().signal,
    source,
  };
}

describe('print pages', () => {
  it('lays out six published stories with pictures into a valid PDF with the font embedded as a subset', async () => {
    const ids = [];
    for (let k = 0; k < 6; k++) ids.push(await publishedStory(k, { picture: k === 0 || k === 1 || k === 3 }));
    const res = await editor.post('/api/print/pages', { name: '要闻', format: 'broadsheet', date: '2026-11-27', stories: ids.map((id) => ({ source: 'item', id })) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: '要闻', format: 'broadsheet', date: '2026-11-27', flags: [] });
    expect(res.body.stories.map((s: { id: string }) => s.id)).toEqual(ids);
    expect(res.body.report.every((r: { lines: number }) => r.lines > 0)).toBe(true);

    const pdf = await pdfOf(reporter, res.body.id);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    const raw = pdf.bytes.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
    // Embedded TrueType subsets: a six-letter tag before the font name, and the font file stream itself.
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifSC-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifSC-Black/);
    expect(raw).toContain('/FontFile2');
    expect((raw.match(/\/Subtype \/Image/g) ?? []).length).toBeGreaterThanOrEqual(3);
    // A subset, not the 15 MB face.
    expect(pdf.bytes.length).toBeLessThan(3_000_000);

    const list = await reporter.get('/api/print/pages?date=2026-11-27');
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(res.body.id);
    expect((await reporter.get('/api/print/pages?date=2026-11-26')).body.items).toEqual([]);
  });

  it('keeps pages to the unit: other units are refused, reporters may look but not lay out, drafts are not set', async () => {
    const id = await publishedStory(2);
    const page = await editor.post('/api/print/pages', { name: '综合', format: 'tabloid', date: '2026-11-28', stories: [{ source: 'item', id }] });
    expect(page.status).toBe(201);

    const foreign = await qingyang.post('/api/print/pages', { name: '要闻', format: 'tabloid', date: '2026-11-28', stories: [{ source: 'item', id }] });
    expect(foreign.status).toBe(403);
    expect((await qingyang.get(`/api/print/pages/${page.body.id}`)).status).toBe(404);
    expect((await pdfOf(qingyang, page.body.id)).status).toBe(404);
    expect((await qingyang.get('/api/print/pages')).body.items.map((p: { id: string }) => p.id)).not.toContain(page.body.id);
    expect((await qingyang.post(`/api/print/pages/${page.body.id}/relayout`)).status).toBe(404);

    expect((await reporter.post('/api/print/pages', { name: '要闻', format: 'tabloid', date: '2026-11-28', stories: [{ source: 'item', id }] })).status).toBe(403);
    expect((await reporter.get(`/api/print/pages/${page.body.id}`)).status).toBe(200);

    const draft = await publishedStory(3, { publish: false });
    const refused = await editor.post('/api/print/pages', { name: '要闻', format: 'tabloid', date: '2026-11-28', stories: [{ source: 'item', id: draft }] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('not_published');
    const twice = await editor.post('/api/print/pages', { name: '要闻', format: 'tabloid', date: '2026-11-28', stories: [{ source: 'item', id }, { source: 'item', id }] });
    expect(twice.status).toBe(400);
    const count = await server.db.selectFrom('print_pages').select((eb) => eb.fn.countAll().as('n')).where('name', '=', '要闻').where('edition_date', '=', '2026-11-28').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('the print channel fills the pool; a retraction empties it and flags the page that carries the story', async () => {
    const adapter = printAdapter(server.db);
    const itemId = await publishedStory(1, { picture: true });
    const publish = await delivery(itemId, 'publish');
    const first = await adapter.deliver(publish);
    // A repeated delivery (same idempotency key) is the same pool entry.
    expect((await adapter.deliver(publish)).remoteId).toBe(first.remoteId);
    expect(await adapter.reconcile(publish)).toEqual({ remoteId: first.remoteId, remoteUrl: null });

    const candidates = await editor.get('/api/print/candidates');
    expect(candidates.status).toBe(200);
    expect(candidates.body.pool).toEqual(expect.arrayContaining([expect.objectContaining({ id: first.remoteId, itemId, hasPicture: true })]));
    expect((await qingyang.get('/api/print/candidates')).body.pool.map((p: { id: string }) => p.id)).not.toContain(first.remoteId);
    // Another unit cannot set this unit's pool entry.
    expect((await qingyang.post('/api/print/pages', { name: '要闻', format: 'tabloid', date: '2026-11-29', stories: [{ source: 'pool', id: first.remoteId }] })).status).toBe(404);

    const other = await publishedStory(4);
    const page = await editor.post('/api/print/pages', { name: '要闻', format: 'tabloid', date: '2026-11-29', stories: [{ source: 'pool', id: first.remoteId }, { source: 'item', id: other }] });
    expect(page.status, JSON.stringify(page.body)).toBe(201);

    await adapter.deliver(await delivery(itemId, 'retract', { id: first.remoteId, url: null }));
    expect((await editor.get('/api/print/candidates')).body.pool.map((p: { id: string }) => p.id)).not.toContain(first.remoteId);
    const flagged = await editor.get(`/api/print/pages/${page.body.id}`);
    expect(flagged.body.flags).toEqual([expect.objectContaining({ storyId: first.remoteId, itemId, reason: 'retracted' })]);

    const relaid = await editor.post(`/api/print/pages/${page.body.id}/relayout`);
    expect(relaid.status).toBe(200);
    expect(relaid.body.flags).toEqual([]);
    expect(relaid.body.stories.map((s: { id: string }) => s.id)).toEqual([other]);

    expect((await editor.delete(`/api/print/pages/${page.body.id}`)).status).toBe(204);
    expect((await editor.get(`/api/print/pages/${page.body.id}`)).status).toBe(404);
  });

  it('end to end: publishing to the 报纸 channel pools the story through the outbox; retracting it flags the page', async () => {
    const channel = await leader.post('/api/channels', { kind: 'print', name: '锦江报', config: { format: 'tabloid' }, autoSelect: false });
    expect(channel.status, JSON.stringify(channel.body)).toBe(201);
    const id = await publishedStory(5, { channelIds: [channel.body.id] });
    await server.services.distribution.worker.drain();
    const pool = (await editor.get('/api/print/candidates')).body.pool as { id: string; itemId: string }[];
    const entry = pool.find((p) => p.itemId === id);
    expect(entry).toBeDefined();
    const page = await editor.post('/api/print/pages', { name: '社区', format: 'tabloid', date: '2026-11-30', stories: [{ source: 'pool', id: entry!.id }] });
    expect(page.status).toBe(201);

    expect((await chief.post(`/api/items/${id}/workflow/retract`, { comment: '事实有误，撤稿' })).status).toBe(200);
    await server.services.distribution.worker.drain();
    expect(((await editor.get('/api/print/candidates')).body.pool as { itemId: string }[]).some((p) => p.itemId === id)).toBe(false);
    expect((await editor.get(`/api/print/pages/${page.body.id}`)).body.flags).toEqual([expect.objectContaining({ itemId: id, reason: 'retracted' })]);
  });

  /** pdftoppm (poppler-utils) draws the PDF as a reader sees it; docs/print-page.png was made the same way. */
  const pdftoppm = (() => {
    try {
      execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!pdftoppm)('a one-story 四开 page of a short published picture story: text in every column and ink down to the foot of the page', async () => {
    const id = await publishedStory(1, { picture: true });
    const res = await editor.post('/api/print/pages', { name: '要闻', format: 'tabloid', date: '2026-12-01', stories: [{ source: 'item', id }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.pageCount).toBe(1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-print-'));
    fs.writeFileSync(path.join(dir, 'page.pdf'), (await pdfOf(editor, res.body.id)).bytes);
    const dpi = 90;
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', path.join(dir, 'page.pdf'), path.join(dir, 'page')]);
    const png = path.join(dir, 'page.png');
    if (process.env.TIANFU_DOCS_SCREENSHOTS) fs.copyFileSync(png, path.resolve(import.meta.dirname, '../../../docs/print-page-one-story.png'));
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    const spec = pageSpecs.tabloid;
    const px = (pt: number) => Math.round((pt * dpi) / 72);
    // Dark pixels in a column's lowest seventh above the bottom margin (a short story used to end a sixth of the page higher): body text, not paper.
    const inkLow = (col: number) => {
      let n = 0;
      for (let y = Math.round(info.height * 0.86); y < info.height - px(40); y++)
        for (let x = px(colX(spec, col)); x < px(colX(spec, col) + spec.colWidth); x++) if (data[y * info.width + x]! < 128) n++;
      return n;
    };
    for (let col = 0; col < spec.columns; col++) expect(inkLow(col), `column ${col + 1}`).toBeGreaterThan(50);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
