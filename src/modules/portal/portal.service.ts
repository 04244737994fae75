import type { Db } from '../../platform/db/database.ts';
import { badRequest, notFound } from '../../platform/http/problem.ts';
import type { AllianceService } from '../alliance/service.ts';
import { decodeCursor, encodeCursor, presentCard, presentItem } from './app.presenter.ts';
import type { AppListQueryInput } from './app.schema.ts';
import { type Rendered, rendered } from './render-cache.ts';
import { atom, jsonFeed, rss, sitemap } from './render/feeds.ts';
import { type SiteRef, distinctStories, firstPictureId } from './render/html.ts';
import * as pages from './render/pages.ts';
import { viewCounts } from '../readers/queries.ts';
import * as curationRepo from './curation.repo.ts';
import * as repo from './site.repo.ts';
import { onSiteChange } from './site.events.ts';
import type { SiteItemRow } from './tables.ts';
import { SLUG, prefecturePath, searchPath, sectionPath, unitPath } from './urls.ts';

const HTML = 'text/html; charset=utf-8';
const ALLIANCE_NAME = '天府融媒';
const LATEST = 12;
const PER_SECTION = 4;
const SECTION_BLOCKS = 6;
const TOPICS = 4;
const SECTION_PAGE = 40;
const FEED_SIZE = 50;

/**
 * The reader side of the portal: reads the site store (and the unit tree for names) and renders
 * pages, feeds and sitemaps. Only what a site adapter delivered is ever shown; retracted stories
 * stay out of every list and show their notice on their own page.
 */
export class PortalService {
  private readonly units = new Map<string, { site: SiteRef; expires: number }>();

  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    /** The public base URL (no trailing slash), for canonical links, feeds and sitemaps. */
    readonly base: string,
  ) {
    // A unit renamed or a first story on a new site: names are re-read after any delivery.
    onSiteChange(() => this.units.clear());
  }

  abs = (path: string) => this.base + path;

  /** A unit's site by slug (division code or id), or null when no such active unit exists. */
  async site(slug: string | null): Promise<SiteRef | null> {
    if (slug === null) return { slug: null, name: ALLIANCE_NAME };
    if (!SLUG.test(slug)) return null;
    const cached = this.units.get(slug);
    if (cached && cached.expires > Date.now()) return cached.site;
    const unit = /^\d{6}$/.test(slug) ? await this.alliance.findUnitByDivisionCode(slug) : await this.alliance.getUnit(slug).catch(() => undefined);
    const site = unit && unit.active ? { slug, name: unit.name, unitId: unit.id } : null;
    if (site) this.units.set(slug, { site, expires: Date.now() + 300_000 });
    return site;
  }

  private async frame(site: SiteRef): Promise<pages.Frame> {
    const nav = await repo.sections(this.db, 'portal', site.slug ?? undefined);
    const feeds = site.slug
      ? { rss: this.abs(`/feeds/${site.slug}/rss.xml`), atom: this.abs(`/feeds/${site.slug}/atom.xml`), json: this.abs(`/feeds/${site.slug}/feed.json`) }
      : undefined;
    return { site, nav, abs: this.abs, feeds };
  }

  async notFound(slug: string | null, path: string): Promise<Rendered> {
    const site = (slug && (await this.site(slug))) || { slug: null, name: ALLIANCE_NAME };
    return rendered(404, HTML, pages.notFoundPage(await this.frame(site), path));
  }

  private async list(site: SiteRef, q: Omit<repo.ListQuery, 'kind' | 'siteSlug'>) {
    // The alliance lists every site: over-read, then show a story (and its picked-up copies) once.
    if (site.slug) return repo.listLive(this.db, { ...q, kind: 'portal', siteSlug: site.slug });
    return distinctStories(await repo.listLive(this.db, { ...q, kind: 'portal', limit: q.limit * 3 })).slice(0, q.limit);
  }

  async home(slug: string | null): Promise<Rendered> {
    const path = slug ? unitPath(slug) : '/portal';
    const site = await this.site(slug);
    if (!site) return this.notFound(null, path);
    const f = await this.frame(site);
    // What the unit's editors chose (门户编排); the alliance home, and anything not chosen, is automatic.
    const chosen = site.unitId && site.slug ? await curationRepo.curationOf(this.db, site.unitId) : undefined;
    const picked = new Map((chosen && site.slug ? await repo.liveOnSite(this.db, 'portal', site.slug, [...(chosen.headline_item_id ? [chosen.headline_item_id] : []), ...chosen.topic_item_ids]) : []).map((c) => [c.item_id, c]));
    const latest = await this.list(site, { limit: LATEST });
    const headline = (chosen?.headline_item_id && picked.get(chosen.headline_item_id)) || latest.find((c) => c.cover_asset_id) || latest[0] || null;
    const topicsChosen = (chosen?.topic_item_ids ?? []).map((id) => picked.get(id)).filter((c): c is repo.SiteCard => !!c);
    const topics = topicsChosen.length ? topicsChosen : await this.list(site, { itemTypes: ['special'], limit: TOPICS });
    const order = chosen?.section_order ?? [];
    const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
    // Sections in the editors' order, then the busiest (nav's order); the sort is stable.
    const blocks = [...f.nav].sort((a, b) => rank(a.category) - rank(b.category)).slice(0, SECTION_BLOCKS);
    const sections = [];
    for (const s of blocks) sections.push({ category: s.category, cards: await this.list(site, { categories: [s.category], limit: PER_SECTION }) });
    const rest = latest.filter((c) => c.item_id !== headline?.item_id).slice(0, 6);
    return rendered(200, HTML, pages.homePage(f, { headline, latest: rest, topics, sections }, path));
  }

  async section(slug: string | null, category: string): Promise<Rendered> {
    const path = sectionPath(slug, category);
    const site = await this.site(slug);
    if (!site || !category || category.length > 40) return this.notFound(slug, path);
    const cards = await this.list(site, { categories: [category], limit: SECTION_PAGE });
    if (!cards.length) return this.notFound(slug, path);
    return rendered(200, HTML, pages.sectionPage(await this.frame(site), category, cards, path));
  }

  async article(slug: string, itemId: string): Promise<Rendered> {
    const path = `/portal/${slug}/a/${itemId}`;
    const site = await this.site(slug);
    if (!site) return this.notFound(null, path);
    const row = await repo.findOnSite(this.db, 'portal', slug, itemId);
    if (!row) return this.notFound(slug, path);
    const f = await this.frame(site);
    if (row.retracted) return rendered(410, HTML, pages.retractedPage(f, row, path), row.revision);
    let members: repo.SiteCard[] = [];
    if (row.item_type === 'special' && row.special_item_ids.length) {
      // Members in the topic's order, each once, preferring its page on this site.
      const rows = await repo.liveMembers(this.db, 'portal', row.special_item_ids);
      const pick = new Map<string, repo.SiteCard>();
      for (const r of rows) if (!pick.has(r.item_id) || r.site_unit_slug === slug) pick.set(r.item_id, r);
      members = row.special_item_ids.map((id) => pick.get(id)).filter((m): m is repo.SiteCard => !!m);
    }
    const reads = (await viewCounts(this.db, [row.item_id])).get(row.item_id) ?? 0;
    return rendered(200, HTML, pages.articlePage(f, row, members, { coverInBody: await this.coverInBody(row), reads }), row.revision);
  }

  /**
   * Whether the body opens with the cover picture, so the page shows it once: the same asset, or
   * another asset with the same picture (the same bytes of its large copy, e.g. uploaded twice).
   */
  private async coverInBody(row: SiteItemRow): Promise<boolean> {
    const first = firstPictureId(row.html);
    if (!row.cover_asset_id || !first) return false;
    if (first === row.cover_asset_id) return true;
    const etags = await repo.mediaEtags(this.db, [row.cover_asset_id, first], 'large');
    return !!etags.get(first) && etags.get(first) === etags.get(row.cover_asset_id);
  }

  async search(slug: string | null, q: string): Promise<Rendered> {
    const path = searchPath(slug);
    const site = await this.site(slug);
    if (!site) return this.notFound(null, path);
    const text = q.trim().slice(0, 100);
    const cards = text ? distinctStories(await repo.search(this.db, { text, siteSlug: slug ?? undefined, limit: 50 })) : [];
    return rendered(200, HTML, pages.searchPage(await this.frame(site), text, cards, path));
  }

  private async prefectures(): Promise<pages.Prefecture[]> {
    const counts = await repo.prefectureCounts(this.db);
    const cities = await this.alliance.listUnits({ kind: 'city' });
    return cities
      .filter((c) => c.division_code)
      .sort((a, b) => a.division_code!.localeCompare(b.division_code!))
      .map((c) => ({ code: c.division_code!, name: c.division_name ?? c.name, count: counts.get(c.division_code!.slice(0, 4)) ?? 0 }));
  }

  async showcase(): Promise<Rendered> {
    const site = (await this.site(null))!;
    const byTheme = [];
    for (const theme of pages.themes) byTheme.push({ theme, cards: await this.list(site, { categories: [...theme.categories], limit: 6 }) });
    return rendered(200, HTML, pages.showcasePage(await this.frame(site), byTheme, await this.prefectures(), '/portal/showcase'));
  }

  async prefecture(code: string): Promise<Rendered> {
    const path = prefecturePath(code);
    const prefecture = (await this.prefectures()).find((p) => p.code === code);
    if (!prefecture) return this.notFound(null, path);
    const site = (await this.site(null))!;
    const cards = await this.list(site, { regionPrefix: code.slice(0, 4), limit: SECTION_PAGE });
    return rendered(200, HTML, pages.prefecturePage(await this.frame(site), prefecture, cards, path));
  }

  async sitemap(slug: string | null): Promise<Rendered | null> {
    if (slug && !(await this.site(slug))) return null;
    const entries = await repo.sitemapEntries(this.db, slug ?? undefined);
    const extra = slug ? [unitPath(slug)] : ['/portal', '/portal/showcase', ...(await repo.sitesWithStories(this.db)).map((s) => unitPath(s.site_unit_slug))];
    return rendered(200, 'application/xml; charset=utf-8', sitemap(this.base, entries, extra));
  }

  robots(): Rendered {
    const body = `User-agent: *\nAllow: /portal\nAllow: /feeds\nDisallow: /api/\nDisallow: /portal/search\nSitemap: ${this.abs('/portal/sitemap.xml')}\n`;
    return rendered(200, 'text/plain; charset=utf-8', body);
  }

  async feed(slug: string, format: 'rss' | 'atom' | 'json'): Promise<Rendered | null> {
    const site = await this.site(slug);
    if (!site) return null;
    const input = { slug, title: site.name, base: this.base, items: await repo.listLiveFull(this.db, 'feed', slug, FEED_SIZE) };
    if (format === 'rss') return rendered(200, 'application/rss+xml; charset=utf-8', rss(input));
    if (format === 'atom') return rendered(200, 'application/atom+xml; charset=utf-8', atom(input));
    return rendered(200, 'application/feed+json; charset=utf-8', jsonFeed(input));
  }

  media(assetId: string, variant: string) {
    return repo.liveMedia(this.db, assetId, variant);
  }

  /** The app's card list for one unit: newest first, paged by an opaque (published time, id) cursor. */
  async appList(slug: string, query: AppListQueryInput): Promise<Rendered> {
    if (!(await this.site(slug))) throw notFound({ zh: '单位', en: 'Unit' }, slug);
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (before === null) throw badRequest('bad_cursor', '分页游标无效，请从第一页重新开始', 'The cursor is not one this API returned; start again from the first page', { errors: [{ field: 'cursor', detail: '无效的游标', detailEn: 'invalid cursor' }] });
    const limit = query.limit ?? 20;
    const rows = await repo.listLive(this.db, { kind: 'app', siteSlug: slug, before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(page[page.length - 1]!) : null;
    // Two app channels of one unit carrying the same story sit side by side in this order: show it once.
    const items = page.filter((r, i) => i === 0 || page[i - 1]!.item_id !== r.item_id).map((r) => presentCard(r, this.base));
    return rendered(200, 'application/json; charset=utf-8', JSON.stringify({ items, nextCursor }));
  }

  /** One story for the app, with its body as blocks; a retracted one answers with its notice and no body. */
  async appItem(itemId: string): Promise<Rendered> {
    const row = await repo.findAnywhere(this.db, 'app', itemId);
    if (!row) throw notFound({ zh: '稿件', en: 'Item' }, itemId);
    return rendered(200, 'application/json; charset=utf-8', JSON.stringify(presentItem(row, this.base)), row.revision);
  }
}
