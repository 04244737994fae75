import type { SiteItemRow } from '../tables.ts';
import { articlePath, mediaPath } from '../urls.ts';
import { esc } from './html.ts';

/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 from one unit's feed channel rows. Retracted stories are
 * left out (the store still has them, with their notice on the portal); a corrected story keeps its
 * id and shows its update time and the correction note above the body.
 */

export interface FeedInput {
  slug: string;
  title: string;
  base: string;
  items: SiteItemRow[];
}

/** XML 1.0 forbids most control characters even when escaped. */
const xml = (s: string | null | undefined) => esc((s ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));

/** Relative picture paths become absolute: a feed is read far from the site. */
const absolutise = (html: string, base: string) => html.replace(/(src|href)="\/(?!\/)/g, `$1="${base}/`);

function contentHtml(row: SiteItemRow, base: string): string {
  const cover = row.cover_asset_id ? `<p><img src="${base}${mediaPath(row.cover_asset_id, row.cover_crop ?? 'crop_16x9')}" alt="${esc(row.title)}"></p>` : '';
  // The rendition's html already opens with the correction note and the AI label.
  return cover + absolutise(row.html ?? `<p>${esc(row.summary)}</p>`, base);
}

const link = (f: FeedInput, row: SiteItemRow) => f.base + articlePath(f.slug, row.item_id);

export function rss(f: FeedInput): string {
  const self = `${f.base}/feeds/${f.slug}/rss.xml`;
  const items = f.items
    .map(
      (r) => `<item>
<title>${xml(r.title)}</title>
<link>${xml(link(f, r))}</link>
<guid isPermaLink="true">${xml(link(f, r))}</guid>
<pubDate>${r.published_at.toUTCString()}</pubDate>
<description>${xml(r.summary)}</description>
<content:encoded>${xml(contentHtml(r, f.base))}</content:encoded>
${r.category ? `<category>${xml(r.category)}</category>` : ''}
${r.byline ? `<dc:creator>${xml(r.byline)}</dc:creator>` : ''}
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${xml(f.title)}</title>
<link>${xml(`${f.base}/portal/${f.slug}`)}</link>
<description>${xml(`${f.title}的最新稿件`)}</description>
<language>zh-CN</language>
<atom:link href="${xml(self)}" rel="self" type="application/rss+xml"/>
${f.items[0] ? `<lastBuildDate>${latest(f.items).toUTCString()}</lastBuildDate>` : ''}
${items}
</channel>
</rss>`;
}

const latest = (items: SiteItemRow[]) => new Date(Math.max(...items.map((r) => r.updated_at.getTime())));

export function atom(f: FeedInput): string {
  const self = `${f.base}/feeds/${f.slug}/atom.xml`;
  const updated = (f.items[0] ? latest(f.items) : new Date(0)).toISOString();
  const entries = f.items
    .map(
      (r) => `<entry>
<id>urn:uuid:${r.item_id}</id>
<title>${xml(r.title)}</title>
<link rel="alternate" type="text/html" href="${xml(link(f, r))}"/>
<published>${r.published_at.toISOString()}</published>
<updated>${r.updated_at.toISOString()}</updated>
<author><name>${xml(r.byline || r.unit_name)}</name></author>
${r.category ? `<category term="${xml(r.category)}"/>` : ''}
<summary>${xml(r.summary)}</summary>
<content type="html">${xml(contentHtml(r, f.base))}</content>
</entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
<id>${xml(`${f.base}/portal/${f.slug}`)}</id>
<title>${xml(f.title)}</title>
<updated>${updated}</updated>
<link rel="self" type="application/atom+xml" href="${xml(self)}"/>
<link rel="alternate" type="text/html" href="${xml(`${f.base}/portal/${f.slug}`)}"/>
${entries}
</feed>`;
}

export function jsonFeed(f: FeedInput): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: f.title,
    home_page_url: `${f.base}/portal/${f.slug}`,
    feed_url: `${f.base}/feeds/${f.slug}/feed.json`,
    language: 'zh-CN',
    items: f.items.map((r) => ({
      id: r.item_id,
      url: link(f, r),
      title: r.title,
      summary: r.summary,
      content_html: contentHtml(r, f.base),
      image: r.cover_asset_id ? f.base + mediaPath(r.cover_asset_id, r.cover_crop ?? 'crop_16x9') : undefined,
      date_published: r.published_at.toISOString(),
      date_modified: r.updated_at.toISOString(),
      authors: [{ name: r.byline || r.unit_name }],
      tags: r.tags,
      ...(r.canonical_url !== link(f, r) ? { external_url: r.canonical_url } : {}),
    })),
  });
}

export function sitemap(base: string, entries: { site_unit_slug: string; item_id: string; updated_at: Date }[], pages: string[]): string {
  const urls = [
    ...pages.map((p) => `<url><loc>${xml(base + p)}</loc><changefreq>hourly</changefreq></url>`),
    ...entries.map((e) => `<url><loc>${xml(base + articlePath(e.site_unit_slug, e.item_id))}</loc><lastmod>${e.updated_at.toISOString()}</lastmod></url>`),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>`;
}
