import qrcode from 'qrcode-generator';
import { esc } from './html.ts';

/**
 * 分享 under a story, working with no script at all (the page's CSP allows none inline and nothing from
 * elsewhere): 复制链接 opens to the address, selectable by hand, and /portal/share.js turns it into a
 * one-tap copy; 微信 opens to a QR code drawn here (a data: picture) with the 在微信中打开后分享 hint, since
 * WeChat offers no share link for the web; 微博 is Weibo's public share address (service.weibo.com/share/
 * share.php?url=…&title=…), a plain link. data-tf-share lets the reading tracker count shares.
 */

/** A QR code of the address as a GIF data URL: no request, no third party. */
export function qrDataUrl(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  return qr.createDataURL(5, 4 * 5);
}

export const weiboShareUrl = (url: string, title: string) => `https://service.weibo.com/share/share.php?url=${encodeURIComponent(url)}&title=${encodeURIComponent(title)}`;

export function shareBar(url: string, title: string): string {
  return `<section class="share" aria-labelledby="share-h"><h2 id="share-h" class="share-h">分享</h2>
<details class="share-item share-copy"><summary data-tf-share="copy">复制链接</summary>
<label class="sr-only" for="share-url">本文链接</label><input id="share-url" class="share-url" type="url" readonly value="${esc(url)}">
<button type="button" class="share-copy-btn" data-share-copy="${esc(url)}" hidden>复制</button><span class="share-done" role="status" aria-live="polite"></span>
<p class="share-hint">长按或选中上面的链接即可复制。</p></details>
<details class="share-item share-wechat"><summary data-tf-share="wechat">微信</summary>
<img class="share-qr" src="${qrDataUrl(url)}" width="160" height="160" alt="本文链接的二维码">
<p class="share-hint">用微信“扫一扫”打开本文，再点右上角“…”分享给朋友或朋友圈；已在微信中阅读时，直接点右上角“…”。</p></details>
<a class="share-item share-weibo" data-tf-share="weibo" href="${esc(weiboShareUrl(url, title))}" target="_blank" rel="noopener noreferrer">微博</a>
</section>`;
}
