import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../test/harness.ts';
import { ReaderClient } from '../../test/reader-client.ts';
import { PNG, channel, deliver, source, unitByCode } from '../../test/site-store.ts';
import type { ChannelAdapter, ChannelRef } from '../distribution/contract.ts';
import { siteAdapters } from './site.adapters.ts';

/** The article page: its cover once, share links that work with no script, and 阅读 N from reading events. */
let server: TestServer;
let adapters: ChannelAdapter[];
let jjPortal: ChannelRef;
let jinjiang: Awaited<ReturnType<typeof unitByCode>>;

const page = async (itemId: string) => (await fetch(`${server.url}/portal/510104/a/${itemId}`)).text();
const count = (text: string, needle: string) => text.split(needle).length - 1;

beforeAll(async () => {
  server = await startTestServer();
  adapters = siteAdapters(server.db);
  jinjiang = await unitByCode(server.db, '510104');
  jjPortal = channel('portal', jinjiang.id);
});
afterAll(() => server.close());

describe('article page', () => {
  it('shows the cover once when the body’s first picture is the same asset, or the same picture under another asset', async () => {
    const asset = crypto.randomUUID();
    const same = source({ unit: jinjiang, title: '封面也是正文第一张图', coverAssetId: asset, imageAssetIds: [asset] });
    await deliver(adapters, jjPortal, same);
    const text = await page(same.itemId);
    expect(text).not.toContain('<figure class="cover">');
    expect(count(text, `/portal/media/${asset}/`)).toBe(2); // the body's picture and og:image, no second <img>
    expect(count(text, '<img')).toBe(2); // the body's picture and the WeChat QR code

    // Uploaded twice: two assets, one picture (the same bytes).
    const [cover, inline] = [crypto.randomUUID(), crypto.randomUUID()];
    const twice = source({ unit: jinjiang, title: '同一张图传了两次', coverAssetId: cover, imageAssetIds: [inline] });
    await deliver(adapters, jjPortal, twice, 'publish', { media: { load: async (id: string) => ({ bytes: PNG, mime: 'image/png', filename: `${id}.png` }) } });
    expect(await page(twice.itemId)).not.toContain('<figure class="cover">');

    // A different picture in the body: the cover stays.
    const [c2, i2] = [crypto.randomUUID(), crypto.randomUUID()];
    const other = source({ unit: jinjiang, title: '封面和正文图不同', coverAssetId: c2, imageAssetIds: [i2] });
    await deliver(adapters, jjPortal, other);
    const both = await page(other.itemId);
    expect(both).toContain(`<figure class="cover"><img src="/portal/media/${c2}/large"`);
    expect(both).toContain(`src="/portal/media/${i2}/large"`);
  });

  it('has share links that work without script: 复制链接 shows the address, 微信 a QR code and the hint, 微博 its share URL', async () => {
    const s = source({ unit: jinjiang, title: '锦江区“夜游锦江”上新 & 更多' });
    await deliver(adapters, jjPortal, s);
    const text = await page(s.itemId);
    expect(text).toContain('<details class="share-item share-copy"><summary data-tf-share="copy">复制链接</summary>');
    expect(text).toContain(`<input id="share-url" class="share-url" type="url" readonly value="${s.portalUrl}">`);
    expect(text).toMatch(/<img class="share-qr" src="data:image\/gif;base64,[A-Za-z0-9+/=]+" width="160" height="160" alt="本文链接的二维码">/);
    expect(text).toContain('用微信“扫一扫”打开本文');
    const weibo = /<a class="share-item share-weibo" data-tf-share="weibo" href="([^"]+)"/.exec(text)![1]!.replaceAll('&amp;', '&');
    const url = new URL(weibo);
    expect(url.origin + url.pathname).toBe('https://service.weibo.com/share/share.php');
    expect(url.searchParams.get('url')).toBe(s.portalUrl);
    expect(url.searchParams.get('title')).toBe('锦江区“夜游锦江”上新 & 更多');
    // No inline script anywhere (the CSP would block it): every script is a same-origin file that exists.
    const scripts = [...text.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.every((attrs) => / src="\/[^/]/.test(attrs))).toBe(true);
    expect(text).toContain('<script src="/portal/static/share.js" defer>');
    const js = await fetch(`${server.url}/portal/static/share.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('shows 阅读 N from the reading events once they are written, through readers’ own query', async () => {
    const s = source({ unit: jinjiang, title: '阅读数会涨的稿件' });
    await deliver(adapters, jjPortal, s);
    expect(await server.services.portal.article('510104', s.itemId).then((r) => r.body)).toContain('<span class="reads">阅读 0</span>');
    const now = new Date().toISOString();
    const view = () => ({ id: crypto.randomBytes(12).toString('base64url'), type: 'view', at: now, item: s.itemId, unit: '510104' });
    for (const device of ['dev-reads-000001', 'dev-reads-000002', 'dev-reads-000003']) {
      const res = await new ReaderClient(server.url).post('/api/reader/events', { device, events: [view(), { ...view(), type: 'read', depth: 0.9 }] });
      expect(res.body).toMatchObject({ accepted: 2 });
    }
    await server.services.readerEvents.flushBefore();
    // Views only (a read is the same visit), and the page and its ETag change with the count.
    const after = await server.services.portal.article('510104', s.itemId);
    expect(after.body).toContain('<span class="reads">阅读 3</span>');
    const first = await fetch(`${server.url}/portal/510104/a/${s.itemId}`);
    expect(await first.text()).toContain('阅读 3');
    expect((await fetch(`${server.url}/portal/510104/a/${s.itemId}`, { headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(304);
  });
});
