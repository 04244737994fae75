import { esc, layout } from '../portal/render/html.ts';
import { articlePath } from '../portal/urls.ts';
import type { Scored } from './rank.ts';

/** The portal's 推荐 and 本地 pages: the portal's own frame, each story with its one-line reason. */
export function feedPage(site: { slug: string; name: string }, mode: 'feed' | 'local', items: Scored[]): string {
  const heading = mode === 'feed' ? '推荐' : '本地';
  const list = items.length
    ? `<div class="cards">${items
        .map(
          (s) =>
            `<article class="card no-pic"><div class="card-text"><h3><a href="${esc(articlePath(site.slug, s.item.itemId))}">${esc(s.item.title)}</a></h3><p class="meta">${s.item.category ? `${esc(s.item.category)} · ` : ''}<span class="reason" data-reason="${esc(s.reasonKind)}">${esc(s.reason)}</span></p></div></article>`,
        )
        .join('')}</div>`
    : `<p class="empty">暂无稿件。</p>`;
  const main = `<h1 class="page-title">${heading}</h1>${list}`;
  const path = `/portal/${site.slug}/${mode === 'feed' ? 'for-you' : 'local'}`;
  return layout(site, { title: `${heading} - ${site.name}`, description: `${site.name}${heading}`, canonical: path, ogType: 'website', noindex: true }, [], main);
}
