import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { NewSiteItem, SiteItemRow, SiteKind } from './tables.ts';

/** Every query of the site store. Reader queries see live rows only (never retracted ones) unless they ask. */

/**
 * Writes a rendition as live. A repeat (same idempotency key) or an older revision arriving late
 * never overwrites a newer one: the update applies only when the incoming revision is not older.
 */
export async function upsert(db: Db, row: NewSiteItem): Promise<void> {
  const { channel_id: _c, item_id: _i, ...rest } = row;
  await db
    .insertInto('site_items')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['channel_id', 'item_id'])
        .doUpdateSet({ ...rest })
        .where('site_items.revision', '<=', (eb) => eb.ref('excluded.revision')),
    )
    .execute();
}

export async function markRetracted(db: Db, channelId: string, itemId: string, note: string | null, idempotencyKey: string): Promise<SiteItemRow | undefined> {
  return db
    .updateTable('site_items')
    .set({ retracted: true, retraction_note: note, retracted_at: new Date(), updated_at: new Date(), idempotency_key: idempotencyKey })
    .where('channel_id', '=', channelId)
    .where('item_id', '=', itemId)
    .returningAll()
    .executeTakeFirst();
}

export async function findOnChannel(db: Db, channelId: string, itemId: string): Promise<SiteItemRow | undefined> {
  return db.selectFrom('site_items').selectAll().where('channel_id', '=', channelId).where('item_id', '=', itemId).executeTakeFirst();
}

/** A unit's division code (or id): the slug of its site. */
export async function unitForSite(db: Db, unitId: string): Promise<{ id: string; name: string; division_code: string | null } | undefined> {
  return db.selectFrom('units').select(['id', 'name', 'division_code']).where('id', '=', unitId).executeTakeFirst();
}

/** The stored copies' ETags (a hash of their bytes) by asset, for one variant. */
export async function mediaEtags(db: Db, assetIds: string[], variant: string): Promise<Map<string, string>> {
  if (!assetIds.length) return new Map();
  const rows = await db.selectFrom('site_media').select(['asset_id', 'etag']).where('asset_id', 'in', assetIds).where('variant', '=', variant).execute();
  return new Map(rows.map((r) => [r.asset_id, r.etag]));
}

export async function hasMedia(db: Db, assetId: string, variant: string): Promise<boolean> {
  return !!(await db.selectFrom('site_media').select('asset_id').where('asset_id', '=', assetId).where('variant', '=', variant).executeTakeFirst());
}

export async function putMedia(db: Db, m: { asset_id: string; variant: string; mime: string; bytes: Buffer; etag: string }): Promise<void> {
  await db.insertInto('site_media').values(m).onConflict((oc) => oc.columns(['asset_id', 'variant']).doNothing()).execute();
}

/**
 * A published picture, only while a live row shows it (as its cover or in its body), so a
 * retraction takes its pictures off the public side too.
 */
export async function liveMedia(db: Db, assetId: string, variant: string) {
  const shown = await db
    .selectFrom('site_items')
    .select('item_id')
    .where('retracted', '=', false)
    .where((eb) =>
      eb.or([
        eb('cover_asset_id', '=', assetId),
        sql<boolean>`strpos(coalesce(html, ''), ${`/portal/media/${assetId}/`}) > 0`,
        sql<boolean>`strpos(coalesce(blocks::text, ''), ${assetId}) > 0`,
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  if (!shown) return undefined;
  return db.selectFrom('site_media').selectAll().where('asset_id', '=', assetId).where('variant', '=', variant).executeTakeFirst();
}

export interface ListQuery {
  kind: SiteKind;
  /** One unit's site; without it, every unit's (the alliance site). */
  siteSlug?: string;
  /** Any of these sections. */
  categories?: string[];
  /** Only these content types (the 专题 strip: 'special'). */
  itemTypes?: string[];
  /** Region codes starting with this (a prefecture's 4 digits), or the story's unit slug starting with it. */
  regionPrefix?: string;
  /** Rows strictly older than this (published_at, item_id): the cursor. */
  before?: { publishedAt: Date; itemId: string };
  limit: number;
}

/** Cards columns: everything but the bodies, so lists stay light. */
const cardColumns = [
  'channel_id',
  'item_id',
  'kind',
  'site_unit_id',
  'site_unit_slug',
  'unit_id',
  'unit_name',
  'unit_slug',
  'item_type',
  'title',
  'summary',
  'cover_asset_id',
  'cover_crop',
  'ai_label',
  'category',
  'region_code',
  'tags',
  'link',
  'canonical_url',
  'origin_item_id',
  'origin_unit_name',
  'revision',
  'correction_note',
  'published_at',
  'updated_at',
] as const;

export type SiteCard = Pick<SiteItemRow, (typeof cardColumns)[number]>;

export async function listLive(db: Db, q: ListQuery): Promise<SiteCard[]> {
  let query = db.selectFrom('site_items').select(cardColumns).where('kind', '=', q.kind).where('retracted', '=', false);
  if (q.siteSlug) query = query.where('site_unit_slug', '=', q.siteSlug);
  // Across the alliance a picked-up copy gives way to its original while the original is live.
  else {
    const kind = q.kind;
    query = query.where((eb) =>
      eb.or([
        eb('origin_item_id', 'is', null),
        eb.not(eb.exists(eb.selectFrom('site_items as o').select('o.item_id').whereRef('o.item_id', '=', 'site_items.origin_item_id').where('o.kind', '=', kind).where('o.retracted', '=', false))),
      ]),
    );
  }
  if (q.categories?.length) query = query.where('category', 'in', q.categories);
  if (q.itemTypes?.length) query = query.where('item_type', 'in', q.itemTypes);
  if (q.regionPrefix) {
    const prefix = q.regionPrefix;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`left(region_code, ${prefix.length}) = ${prefix}`,
        eb.and([eb('region_code', 'is', null), sql<boolean>`left(unit_slug, ${prefix.length}) = ${prefix}`]),
      ]),
    );
  }
  if (q.before) {
    const { publishedAt, itemId } = q.before;
    query = query.where((eb) => eb.or([eb('published_at', '<', publishedAt), eb.and([eb('published_at', '=', publishedAt), eb('item_id', '<', itemId)])]));
  }
  return query.orderBy('published_at', 'desc').orderBy('item_id', 'desc').limit(q.limit).execute();
}

/** The sections a site has, with how many live stories each. */
export async function sections(db: Db, kind: SiteKind, siteSlug?: string): Promise<{ category: string; n: number }[]> {
  let query = db
    .selectFrom('site_items')
    .select(['category', (eb) => eb.fn.countAll<string>().as('n')])
    .where('kind', '=', kind)
    .where('retracted', '=', false)
    .where('category', 'is not', null);
  if (siteSlug) query = query.where('site_unit_slug', '=', siteSlug);
  const rows = await query.groupBy('category').orderBy(sql`count(*)`, 'desc').orderBy('category').execute();
  return rows.map((r) => ({ category: r.category!, n: Number(r.n) }));
}

/** One story on one site (retracted ones too: the page then shows the notice). */
export async function findOnSite(db: Db, kind: SiteKind, siteSlug: string, itemId: string): Promise<SiteItemRow | undefined> {
  return db
    .selectFrom('site_items')
    .selectAll()
    .where('kind', '=', kind)
    .where('site_unit_slug', '=', siteSlug)
    .where('item_id', '=', itemId)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** An item on any site of this kind, preferring the row on the item's own unit's site. */
export async function findAnywhere(db: Db, kind: SiteKind, itemId: string): Promise<SiteItemRow | undefined> {
  return db
    .selectFrom('site_items')
    .selectAll()
    .where('kind', '=', kind)
    .where('item_id', '=', itemId)
    .orderBy(sql`(site_unit_id = unit_id)`, 'desc')
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Live cards of these items on one site (what its editors chose for the home), in no particular order. */
export async function liveOnSite(db: Db, kind: SiteKind, siteSlug: string, itemIds: string[]): Promise<SiteCard[]> {
  if (!itemIds.length) return [];
  return db.selectFrom('site_items').select(cardColumns).where('kind', '=', kind).where('site_unit_slug', '=', siteSlug).where('retracted', '=', false).where('item_id', 'in', itemIds).execute();
}

/** Live rows for these items on one site (a special topic's members). */
export async function liveMembers(db: Db, kind: SiteKind, itemIds: string[]): Promise<SiteCard[]> {
  if (!itemIds.length) return [];
  return db
    .selectFrom('site_items')
    .select(cardColumns)
    .where('kind', '=', kind)
    .where('retracted', '=', false)
    .where('item_id', 'in', itemIds)
    .orderBy(sql`(site_unit_id = unit_id)`, 'desc')
    .execute();
}

/**
 * Plain substring search over title, summary and text (strpos: no pattern syntax to escape, exact
 * for Chinese), title hits first, newest first. The site store is small next to the hub; the hub's
 * own search engine serves the newsroom.
 */
export async function search(db: Db, q: { text: string; siteSlug?: string; limit: number }): Promise<SiteCard[]> {
  const needle = q.text.toLowerCase();
  let query = db
    .selectFrom('site_items')
    .select(cardColumns)
    .where('kind', '=', 'portal')
    .where('retracted', '=', false)
    .where(sql<boolean>`strpos(lower(title || ' ' || summary || ' ' || body_text || ' ' || array_to_string(tags, ' ')), ${needle}) > 0`);
  if (q.siteSlug) query = query.where('site_unit_slug', '=', q.siteSlug);
  return query
    .orderBy(sql`strpos(lower(title), ${needle}) > 0`, 'desc')
    .orderBy('published_at', 'desc')
    .limit(q.limit)
    .execute();
}

/** What a sitemap lists: live pages that are their own canonical (picked-up copies point elsewhere). */
export async function sitemapEntries(db: Db, siteSlug?: string): Promise<{ site_unit_slug: string; item_id: string; updated_at: Date }[]> {
  let query = db
    .selectFrom('site_items')
    .select(['site_unit_slug', 'item_id', 'updated_at'])
    .where('kind', '=', 'portal')
    .where('retracted', '=', false)
    .where('origin_item_id', 'is', null);
  if (siteSlug) query = query.where('site_unit_slug', '=', siteSlug);
  return query.orderBy('published_at', 'desc').limit(50_000).execute();
}

/** Units with a live portal story, for the alliance sitemap index and the unit directory. */
export async function sitesWithStories(db: Db): Promise<{ site_unit_slug: string; n: number }[]> {
  const rows = await db
    .selectFrom('site_items')
    .select(['site_unit_slug', (eb) => eb.fn.countAll<string>().as('n')])
    .where('kind', '=', 'portal')
    .where('retracted', '=', false)
    .groupBy('site_unit_slug')
    .execute();
  return rows.map((r) => ({ site_unit_slug: r.site_unit_slug, n: Number(r.n) }));
}

/** Whole rows (with bodies) for a unit's feeds, newest first. */
export async function listLiveFull(db: Db, kind: SiteKind, siteSlug: string, limit: number): Promise<SiteItemRow[]> {
  return db
    .selectFrom('site_items')
    .selectAll()
    .where('kind', '=', kind)
    .where('site_unit_slug', '=', siteSlug)
    .where('retracted', '=', false)
    .orderBy('published_at', 'desc')
    .orderBy('item_id', 'desc')
    .limit(limit)
    .execute();
}

/** Live portal stories per prefecture: the first four digits of the region code, else of the story's unit slug. */
export async function prefectureCounts(db: Db): Promise<Map<string, number>> {
  const key = sql<string>`left(coalesce(region_code, unit_slug), 4)`;
  const rows = await db
    .selectFrom('site_items')
    .select([key.as('prefix'), sql<string>`count(distinct coalesce(origin_item_id, item_id))`.as('n')])
    .where('kind', '=', 'portal')
    .where('retracted', '=', false)
    .groupBy(key)
    .execute();
  return new Map(rows.map((r) => [r.prefix, Number(r.n)]));
}
