import { esc, layout } from '../portal/render/html.ts';
import { articlePath } from '../portal/urls.ts';
import type { Scored } from './rank.ts';

/** The portal's 推荐 and 本地 pages: the portal's own frame, each story with its one-line reason. */
export function feedPage(site: { slug: string; name: string }, mode: 'feed' | 'local', items: Scored[], readerName: string | null): string {
  const heading = mode === 'feed' ? '推荐' : '本地';
  const list = items.length
    ? `<div class="cards">${items
        .map(
          (s) =>
            `<article class="card no-pic"><div class="card-text"><h3><a href="${esc(articlePath(site.slug, s.item.itemId))}">${esc(s.item.title)}</a></h3><p class="meta">${s.item.category ? `${esc(s.item.category)} · ` : ''}<span class="reason" data-reason="${esc(s.reasonKind)}">${esc(s.reason)}</span></p></div></article>`,
        )
        .join('')}</div>`
    : `<p class="empty">暂无稿件。</p>`;
  // Who the feed is for: the account follows the reader to every member's site, so say so.
  const who = readerName
    ? `<p class="who" data-reader-name>你好，${esc(readerName)}。推荐依据你在联合体各成员网站的阅读。<a href="/portal/${esc(site.slug)}/account">我的</a></p>`
    : `<p class="who">未登录：推荐依据本设备的阅读。<a href="/portal/${esc(site.slug)}/account">登录 / 注册</a>，在联合体各县市的网站都能看到自己的推荐。</p>`;
  const main = `<h1 class="page-title">${heading}</h1>${who}${list}`;
  const path = `/portal/${site.slug}/${mode === 'feed' ? 'for-you' : 'local'}`;
  return layout(site, { title: `${heading} - ${site.name}`, description: `${site.name}${heading}`, canonical: path, ogType: 'website', noindex: true }, [], main);
}
