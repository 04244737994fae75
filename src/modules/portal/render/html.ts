import type { SiteCard } from '../site.repo.ts';
import { articlePath, cssPath, mediaPath, searchPath, sectionPath, unitPath } from '../urls.ts';

/** The pieces every portal page is built from: escaping, the page frame, cards, dates. */

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string | null | undefined): string => (s ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);

/** Every portal page's policy: nothing inline, nothing from elsewhere (the reader scripts are same-origin files). */
export const PAGE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

/** A site: one unit's (county, city …) or the alliance's (slug null). */
export interface SiteRef {
  slug: string | null;
  name: string;
  /** The unit whose site it is (none for the alliance's): whose 门户编排 the home follows. */
  unitId?: string;
}

export interface PageMeta {
  title: string;
  description: string;
  /** Absolute URL of the page's canonical version. */
  canonical: string;
  ogType: 'website' | 'article';
  ogImage?: string | null;
  publishedTime?: string;
  noindex?: boolean;
  /** Feed links advertised in the head (unit sites). */
  feeds?: { rss: string; atom: string; json: string };
  /** The story a page shows, for the reading tracker (src/modules/readers/README.md). */
  itemId?: string;
  /** Same-origin scripts a page adds after the tracker, with their data-* attributes. */
  scripts?: { src: string; data: Record<string, string> }[];
}

/** Times as a reader in Sichuan reads them (UTC+8), e.g. 2026-11-27 09:30. */
export function chinaTime(d: Date | string): string {
  const t = new Date(new Date(d).getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

export function layout(site: SiteRef, meta: PageMeta, nav: { category: string }[], main: string): string {
  const home = site.slug ? unitPath(site.slug) : '/portal';
  const head = [
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(meta.title)}</title>`,
    `<meta name="description" content="${esc(meta.description)}">`,
    `<link rel="canonical" href="${esc(meta.canonical)}">`,
    `<link rel="icon" href="/favicon.svg" type="image/svg+xml">`,
    meta.noindex ? `<meta name="robots" content="noindex">` : '',
    `<meta property="og:site_name" content="${esc(site.name)}">`,
    `<meta property="og:locale" content="zh_CN">`,
    `<meta property="og:type" content="${meta.ogType}">`,
    `<meta property="og:title" content="${esc(meta.title)}">`,
    `<meta property="og:description" content="${esc(meta.description)}">`,
    `<meta property="og:url" content="${esc(meta.canonical)}">`,
    meta.ogImage ? `<meta property="og:image" content="${esc(meta.ogImage)}">` : '',
    meta.publishedTime ? `<meta property="article:published_time" content="${esc(meta.publishedTime)}">` : '',
    meta.feeds
      ? `<link rel="alternate" type="application/rss+xml" title="RSS" href="${esc(meta.feeds.rss)}"><link rel="alternate" type="application/atom+xml" title="Atom" href="${esc(meta.feeds.atom)}"><link rel="alternate" type="application/feed+json" title="JSON Feed" href="${esc(meta.feeds.json)}">`
      : '',
    `<link rel="stylesheet" href="${cssPath}">`,
  ]
    .filter(Boolean)
    .join('\n');
  const sections = nav
    .slice(0, 8)
    .map((s) => `<li><a href="${esc(sectionPath(site.slug, s.category))}">${esc(s.category)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
${head}
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="masthead" role="banner">
  <div class="wrap masthead-row">
    <a class="brand" href="${esc(home)}">${esc(site.name)}</a>
    <form class="search" role="search" action="${esc(searchPath(site.slug))}" method="get">
      <label class="sr-only" for="q">搜索</label>
      <input id="q" name="q" type="search" placeholder="搜索本站" maxlength="100">
      <button type="submit">搜索</button>
    </form>
  </div>
  <nav class="sections wrap" aria-label="栏目"><ul><li><a href="${esc(home)}">首页</a></li>${site.slug ? `<li><a href="${esc(home)}/for-you">推荐</a></li><li><a href="${esc(home)}/local">本地</a></li>` : ''}${sections}${site.slug ? `<li><a href="${esc(home)}/account">我的</a></li>` : ''}${site.slug ? '' : `<li><a href="/portal/showcase">天府故事</a></li>`}</ul></nav>
</header>
<main id="main" class="wrap" tabindex="-1">
${main}
</main>
<footer class="footer" role="contentinfo">
  <div class="wrap"><p>${esc(site.name)} · 天府融媒联合体成员${site.slug ? ` · <a href="/portal">联合体首页</a> · <a href="/feeds/${esc(site.slug)}/rss.xml">RSS</a>` : ' · <a href="/portal/showcase">天府故事</a>'}</p></div>
</footer>
<script src="/reader/tracker.js" defer${site.slug ? ` data-unit="${esc(site.slug)}"` : ''}${meta.itemId ? ` data-item="${esc(meta.itemId)}"` : ''}></script>
${(meta.scripts ?? []).map((sc) => `<script src="${esc(sc.src)}" defer${Object.entries(sc.data).map(([k, v]) => ` data-${k}="${esc(v)}"`).join('')}></script>\n`).join('')}</body>
</html>`;
}

export function coverImg(card: Pick<SiteCard, 'cover_asset_id' | 'cover_crop'>, alt: string, eager = false): string {
  if (!card.cover_asset_id) return '';
  return `<img src="${esc(mediaPath(card.cover_asset_id, card.cover_crop ?? 'crop_16x9'))}" alt="${esc(alt)}" width="640" height="360" ${eager ? 'fetchpriority="high"' : 'loading="lazy"'} decoding="async">`;
}

/** Where a card links: the story's page on the site showing it. */
export const cardHref = (c: Pick<SiteCard, 'site_unit_slug' | 'item_id'>) => articlePath(c.site_unit_slug, c.item_id);

/** A story in a list. Headings are h3 inside the section's h2, so the outline stays whole. */
export function card(c: SiteCard, opts: { lead?: boolean; showUnit?: boolean } = {}): string {
  // The picture repeats the linked headline, so it is decorative to a screen reader (alt="").
  const pic = c.cover_asset_id ? `<a class="card-pic" href="${esc(cardHref(c))}" tabindex="-1" aria-hidden="true">${coverImg(c, '', opts.lead)}</a>` : '';
  const meta = [c.category, opts.showUnit !== false ? c.unit_name : null, chinaTime(c.published_at)].filter(Boolean).map((m) => esc(m)).join(' · ');
  return `<article class="card${opts.lead ? ' lead' : ''}${c.cover_asset_id ? '' : ' no-pic'}">${pic}<div class="card-text"><h3><a href="${esc(cardHref(c))}">${esc(c.title)}</a></h3>${opts.lead && c.summary ? `<p class="summary">${esc(c.summary)}</p>` : ''}<p class="meta">${meta}${c.item_type === 'special' ? ' · <span class="badge">专题</span>' : ''}</p></div></article>`;
}

export function cardList(cards: SiteCard[], opts: { showUnit?: boolean } = {}): string {
  if (!cards.length) return `<p class="empty">暂无稿件。</p>`;
  return `<div class="cards">${cards.map((c) => card(c, opts)).join('')}</div>`;
}

/** The asset id of the body's first picture (its public copy's address), if it has one. */
export function firstPictureId(html: string | null): string | null {
  const m = /<img\b[^>]*\bsrc="\/portal\/media\/([0-9a-f-]{36})\//.exec(html ?? '');
  return m ? m[1]! : null;
}

/** One story once: a picked-up copy and its original (or the same story on two sites) show as one. */
export function distinctStories<T extends Pick<SiteCard, 'item_id' | 'origin_item_id'>>(cards: T[]): T[] {
  const seen = new Set<string>();
  return cards.filter((c) => {
    const key = c.origin_item_id ?? c.item_id;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
