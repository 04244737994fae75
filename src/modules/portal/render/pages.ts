import type { SiteCard } from '../site.repo.ts';
import type { SiteItemRow } from '../tables.ts';
import { prefecturePath, sectionPath, sharePath } from '../urls.ts';
import { type PageMeta, type SiteRef, card, cardHref, cardList, chinaTime, coverImg, esc, layout } from './html.ts';
import { shareBar } from './share.ts';

/** The portal's pages as pure functions of what the service read: easy to test, easy to cache. */

export interface Frame {
  site: SiteRef;
  nav: { category: string }[];
  /** Absolute URL helpers with the public base. */
  abs: (path: string) => string;
  feeds?: PageMeta['feeds'];
}

const describe = (s: string, max = 120) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export interface Home {
  /** 头条: the editors' choice, else the newest story with a picture. */
  headline: SiteCard | null;
  latest: SiteCard[];
  /** 专题 strip, in the editors' order (else the newest topics). */
  topics: SiteCard[];
  /** 栏目 blocks, in the editors' order, then the busiest. */
  sections: { category: string; cards: SiteCard[] }[];
}

/** One 栏目 block: its newest story with its picture, the next ones as headlines, and the way to the rest. */
function sectionBlock(f: Frame, s: Home['sections'][number], i: number): string {
  const [first, ...more] = s.cards;
  const href = esc(sectionPath(f.site.slug, s.category));
  return `<section class="section-block" aria-labelledby="sec-${i}"><h2 id="sec-${i}"><a href="${href}">${esc(s.category)}</a></h2>
${first ? card(first, { showUnit: !f.site.slug }) : ''}${more.length ? `<ul class="headlines">${more.map((c) => `<li><a href="${esc(cardHref(c))}">${esc(c.title)}</a></li>`).join('')}</ul>` : ''}
<p class="more"><a href="${href}">更多${esc(s.category)}</a></p></section>`;
}

export function homePage(f: Frame, home: Home, path: string): string {
  const { headline, latest, topics, sections } = home;
  const intro = f.site.slug ? `${f.site.name}新闻门户：本地要闻、民生与文化旅游。` : '天府融媒联合体：四川各地融媒体中心的新闻与故事。';
  const main = `
<h1 class="page-title">${esc(f.site.name)}</h1>
<div class="front">
<section class="headline" aria-labelledby="headline-h"><h2 id="headline-h">头条</h2>
${headline ? card(headline, { lead: true }) : '<p class="empty">暂无稿件。</p>'}
</section>
<section class="latest" aria-labelledby="latest-h"><h2 id="latest-h">最新</h2>
${latest.length ? `<div class="cards compact">${latest.map((c) => card({ ...c, cover_asset_id: null })).join('')}</div>` : '<p class="empty">暂无更多稿件。</p>'}
</section>
</div>
${topics.length ? `<section class="topics" aria-labelledby="topics-h"><h2 id="topics-h">专题</h2><div class="topic-strip">${topics.map((c) => card(c, { showUnit: !f.site.slug })).join('')}</div></section>` : ''}
${sections.length ? `<div class="section-grid">${sections.map((s, i) => sectionBlock(f, s, i)).join('\n')}</div>` : ''}`;
  return layout(f.site, { title: f.site.name, description: intro, canonical: f.abs(path), ogType: 'website', ogImage: headline?.cover_asset_id ? f.abs(`/portal/media/${headline.cover_asset_id}/${headline.cover_crop ?? 'crop_16x9'}`) : null, feeds: f.feeds }, f.nav, main);
}

export function sectionPage(f: Frame, category: string, cards: SiteCard[], path: string): string {
  const main = `<h1 class="page-title">${esc(category)}</h1>${cardList(cards)}`;
  return layout(f.site, { title: `${category} - ${f.site.name}`, description: `${f.site.name}「${category}」栏目的最新稿件。`, canonical: f.abs(path), ogType: 'website', feeds: f.feeds }, f.nav, main);
}

export function searchPage(f: Frame, q: string, cards: SiteCard[], path: string): string {
  const main = q
    ? `<h1 class="page-title">搜索：${esc(q)}</h1><p class="meta">找到 ${cards.length} 篇${cards.length >= 50 ? '（只显示最新的 50 篇）' : ''}</p>${cardList(cards)}`
    : `<h1 class="page-title">搜索</h1><p>请输入要搜索的词。</p>`;
  return layout(f.site, { title: `搜索${q ? `：${q}` : ''} - ${f.site.name}`, description: `在${f.site.name}搜索稿件`, canonical: f.abs(path), ogType: 'website', noindex: true }, f.nav, main);
}

function articleMeta(row: SiteItemRow, reads: number): string {
  const parts = [row.byline, row.unit_name, chinaTime(row.published_at), row.source].filter(Boolean).map((p) => esc(p));
  const updated = row.revision > 1 && row.updated_at.getTime() - row.published_at.getTime() > 60_000 ? ` · 更新于 <time datetime="${row.updated_at.toISOString()}">${chinaTime(row.updated_at)}</time>` : '';
  const origin = row.origin_unit_name ? ` · 转载自 <a href="${esc(row.canonical_url)}">${esc(row.origin_unit_name)}</a>` : '';
  return `<p class="meta">${parts.join(' · ')}${updated}${origin} · <span class="reads">阅读 ${reads}</span></p>`;
}

export interface ArticleExtras {
  /** The body opens with the cover picture itself: show it there only. */
  coverInBody: boolean;
  /** 阅读 N: page views counted from reading events. */
  reads: number;
}

export function articlePage(f: Frame, row: SiteItemRow, members: SiteCard[], extras: ArticleExtras): string {
  const cover = row.cover_asset_id && !extras.coverInBody ? `<figure class="cover">${coverImg(row, row.title, true)}</figure>` : '';
  const tags = row.tags.length ? `<ul class="tags" aria-label="标签">${row.tags.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>` : '';
  const topic =
    row.item_type === 'special'
      ? `<section class="topic" aria-labelledby="topic-h"><h2 id="topic-h">专题稿件</h2>${members.length ? `<ol class="topic-list">${members.map((m) => `<li>${card(m)}</li>`).join('')}</ol>` : '<p class="empty">暂无稿件。</p>'}</section>`
      : '';
  const main = `<article class="story">
<header><p class="kicker">${row.item_type === 'special' ? '<span class="badge">专题</span> ' : ''}${row.category ? `<a href="${esc(sectionPath(f.site.slug, row.category))}">${esc(row.category)}</a>` : ''}</p>
<h1>${esc(row.title)}</h1>
${articleMeta(row, extras.reads)}</header>
${cover}
${row.summary ? `<p class="standfirst">${esc(row.summary)}</p>` : ''}
<!-- the rendition carries the correction note and the AI label, as on every channel -->
<div class="body" data-tf-article>${row.html ?? ''}</div>
${tags}
${shareBar(row.canonical_url, row.title)}
</article>
${topic}`;
  return layout(
    f.site,
    {
      title: `${row.title} - ${f.site.name}`,
      description: describe(row.summary || row.body_text),
      canonical: row.canonical_url,
      ogType: 'article',
      ogImage: row.cover_asset_id ? f.abs(`/portal/media/${row.cover_asset_id}/${row.cover_crop ?? 'crop_16x9'}`) : null,
      publishedTime: row.published_at.toISOString(),
      feeds: f.feeds,
      itemId: row.item_id,
      scripts: [{ src: sharePath, data: {} }],
    },
    f.nav,
    main,
  );
}

/**
 * A retracted story keeps its address with a notice (本文已撤回) instead of the body, answered with
 * 410 Gone: readers following an old link learn why it is gone, search engines drop the page.
 */
export function retractedPage(f: Frame, row: SiteItemRow, path: string): string {
  const main = `<article class="story retracted"><h1>本文已撤回</h1>
<p class="meta">原标题：${esc(row.title)} · ${esc(row.unit_name)}${row.retracted_at ? ` · 撤回于 <time datetime="${row.retracted_at.toISOString()}">${chinaTime(row.retracted_at)}</time>` : ''}</p>
${row.retraction_note ? `<aside class="correction" role="note" aria-label="撤回说明"><strong>说明：</strong>${esc(row.retraction_note)}</aside>` : ''}
</article>`;
  return layout(f.site, { title: `本文已撤回 - ${f.site.name}`, description: '本文已撤回。', canonical: f.abs(path), ogType: 'article', noindex: true }, f.nav, main);
}

export function notFoundPage(f: Frame, path: string): string {
  const main = `<h1 class="page-title">页面不存在</h1><p>您要找的页面不存在或尚未发布。<a href="${f.site.slug ? `/portal/${esc(f.site.slug)}` : '/portal'}">返回首页</a></p>`;
  return layout(f.site, { title: `页面不存在 - ${f.site.name}`, description: '页面不存在', canonical: f.abs(path), ogType: 'website', noindex: true }, f.nav, main);
}

/** The showcase's themes: which sections tell which part of Sichuan's story. */
export const themes = [
  { key: 'culture', name: '文化四川', blurb: '诗词、非遗、民俗与节庆：巴山蜀水的文化根脉。', categories: ['文化', '非遗', '民俗'] },
  { key: 'tourism', name: '美景四川', blurb: '熊猫家园、绿道与古镇：走进天府的山水与街巷。', categories: ['旅游', '生态', '文旅'] },
  { key: 'economy', name: '发展四川', blurb: '春耕、产业与民生：各地发展的新气象。', categories: ['经济', '农业', '产业', '民生', '公共服务'] },
] as const;

export interface Prefecture {
  code: string;
  name: string;
  count: number;
}

export function showcasePage(f: Frame, byTheme: { theme: (typeof themes)[number]; cards: SiteCard[] }[], prefectures: Prefecture[], path: string): string {
  const main = `<section class="hero" aria-labelledby="hero-h"><h1 id="hero-h">天府故事 · 讲好四川故事</h1>
<p>来自四川 21 个市（州）、185 个县级融媒体中心的文化、旅游与发展故事。</p></section>
${byTheme
  .map(
    ({ theme, cards }) => `<section aria-labelledby="t-${theme.key}"><h2 id="t-${theme.key}">${esc(theme.name)}</h2><p class="blurb">${esc(theme.blurb)}</p>${cardList(cards)}</section>`,
  )
  .join('\n')}
<section aria-labelledby="pref-h"><h2 id="pref-h">按市（州）浏览</h2>
<ul class="prefectures">${prefectures.map((p) => `<li><a href="${esc(prefecturePath(p.code))}">${esc(p.name)}<span class="count">${p.count} 篇</span></a></li>`).join('')}</ul>
</section>`;
  return layout(f.site, { title: `天府故事 - ${f.site.name}`, description: '讲好四川故事：四川各地的文化、旅游与发展，按市（州）浏览。', canonical: f.abs(path), ogType: 'website' }, f.nav, main);
}

export function prefecturePage(f: Frame, prefecture: Prefecture, cards: SiteCard[], path: string): string {
  const main = `<p class="kicker"><a href="/portal/showcase">天府故事</a></p><h1 class="page-title">${esc(prefecture.name)}</h1>${cardList(cards)}`;
  return layout(f.site, { title: `${prefecture.name} - 天府故事 - ${f.site.name}`, description: `${prefecture.name}的新闻与故事。`, canonical: f.abs(path), ogType: 'website' }, f.nav, main);
}
