import { type SqlBool, sql } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';
import type { Actor } from '../../alliance/policy.ts';
import { itemSummaryColumns, visibleTo } from '../repo.ts';
import type { ItemStatus, ItemType, ShareScope } from '../tables.ts';

/** Every SQL statement of search. */

export interface IndexRow {
  unitId: string;
  itemId: string;
  /** tsvector literals from index-text.ts. */
  match: string;
  rank: string;
}

/** Writes (or rewrites) index rows; one statement for a batch. */
export async function writeIndex(db: Db, rows: readonly IndexRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('content_search')
    .values(
      rows.map((r) => ({ unit_id: r.unitId, item_id: r.itemId, tsv: sql<string>`${r.match}::tsvector`, rank_tsv: sql<string>`${r.rank}::tsvector` })),
    )
    .onConflict((oc) =>
      oc
        .columns(['unit_id', 'item_id'])
        .doUpdateSet({ tsv: (eb) => eb.ref('excluded.tsv'), rank_tsv: (eb) => eb.ref('excluded.rank_tsv'), indexed_at: sql<Date>`now()` }),
    )
    .execute();
}

/** The searchable fields of items in id order, a page at a time (reindexing). */
export function itemsToIndex(db: Db, afterId: string | null, limit: number) {
  let q = db
    .selectFrom('content_items')
    .select(['unit_id', 'id', 'title', 'subtitle', 'summary', 'tags', 'body_text'])
    .orderBy('id')
    .limit(limit);
  if (afterId) q = q.where('id', '>', afterId);
  return q.execute();
}

export async function countItems(db: Db): Promise<number> {
  const row = await db.selectFrom('content_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Makes the planner take the GIN index for the rest of the transaction. Its cost model does not count
 * reading a TOASTed vector, so for a common word it prefers a sequential scan that evaluates @@ on
 * every row's vector (measured: ~1 s at 100k items against ~20 ms through the index).
 */
export async function preferIndexScans(trx: Db): Promise<void> {
  await sql`set local enable_seqscan = off`.execute(trx);
}

export interface SearchFilter {
  unitId?: string;
  scope?: ShareScope;
  status?: ItemStatus;
  type?: ItemType;
  category?: string;
  regionCode?: string;
  from?: string;
  to?: string;
  dateField: 'updated' | 'created';
  authorId?: string;
}

/**
 * The items matching a tsquery (or all, without one) and the filters, limited to what the actor may
 * see: the content hub's own tenancy filter, so search never shows more than the hub does.
 */
function matching(db: Db, actor: Actor, f: SearchFilter, match: string | null) {
  let q = db.selectFrom('content_items as i').leftJoin('content_search as s', 's.item_id', 'i.id').where(visibleTo(actor));
  if (match) q = q.where(sql<SqlBool>`s.tsv @@ ${match}::tsquery`);
  if (f.unitId) q = q.where('i.unit_id', '=', f.unitId);
  if (f.scope) q = q.where('i.share_scope', '=', f.scope);
  if (f.status) q = q.where('i.status', '=', f.status);
  if (f.type) q = q.where('i.type', '=', f.type);
  if (f.category) q = q.where('i.category', '=', f.category);
  if (f.regionCode) q = q.where('i.region_code', '=', f.regionCode);
  if (f.authorId) q = q.where('i.created_by', '=', f.authorId);
  const at = f.dateField === 'created' ? 'i.created_at' : 'i.updated_at';
  if (f.from) q = q.where(at, '>=', new Date(f.from));
  if (f.to) q = q.where(at, '<', new Date(f.to));
  return q;
}

const pageColumns = [...itemSummaryColumns, 'i.body_text'] as const;

export interface PageRequest {
  match: string | null;
  rank: string | null;
  sort: 'relevance' | 'time';
  limit: number;
  offset: number;
}

/**
 * One page of hits. By relevance every hit is ranked (ts_rank over the small rank vector, normalised
 * by log length; title A > summary/tags B > body words C) with the newest first among equals; by time
 * only the page is ranked.
 */
export async function searchPage(db: Db, actor: Actor, f: SearchFilter, p: PageRequest) {
  const q = matching(db, actor, f, p.match);
  if (p.sort === 'relevance' && p.rank) {
    return q
      .select([...pageColumns, sql<number>`ts_rank(s.rank_tsv, ${p.rank}::tsquery, 1)`.as('score')])
      .orderBy('score', 'desc')
      .orderBy('i.updated_at', 'desc')
      .orderBy('i.id')
      .limit(p.limit)
      .offset(p.offset)
      .execute();
  }
  const at = f.dateField === 'created' ? 'i.created_at' : 'i.updated_at';
  const rows = await q.select(pageColumns).orderBy(at, 'desc').orderBy('i.id').limit(p.limit).offset(p.offset).execute();
  if (!p.rank || !rows.length) return rows.map((r) => ({ ...r, score: 0 }));
  // Ranked after the page is cut, so a time-ordered search never ranks hits it will not show.
  const scores = await db
    .selectFrom('content_search')
    .select(['item_id', sql<number>`ts_rank(rank_tsv, ${p.rank}::tsquery, 1)`.as('score')])
    .where(
      'item_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const byId = new Map(scores.map((s) => [s.item_id, Number(s.score)]));
  return rows.map((r) => ({ ...r, score: byId.get(r.id) ?? 0 }));
}

export type FacetColumn = 'unit_id' | 'type' | 'status' | 'category' | 'share_scope' | 'region_code';
const facetColumns: FacetColumn[] = ['unit_id', 'type', 'status', 'category', 'share_scope', 'region_code'];

/**
 * Counts of the hits by unit, type, status, category, share scope and region, in one pass with
 * GROUPING SETS over the same filtered, visibility-scoped set as the page.
 */
export async function searchFacets(db: Db, actor: Actor, f: SearchFilter, match: string | null) {
  const rows = await matching(db, actor, f, match)
    .select([
      ...facetColumns.map((c) => `i.${c}` as const),
      sql<number>`grouping(i.unit_id, i.type, i.status, i.category, i.share_scope, i.region_code)`.as('g'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(sql`grouping sets ((i.unit_id), (i.type), (i.status), (i.category), (i.share_scope), (i.region_code))`)
    .execute();
  const out = new Map<FacetColumn, { value: string | null; count: number }[]>(facetColumns.map((c) => [c, []]));
  for (const row of rows) {
    // grouping() sets a bit for each column left out of the row's set; the one bit not set is the facet.
    const index = facetColumns.findIndex((_, k) => (Number(row.g) & (1 << (facetColumns.length - 1 - k))) === 0);
    const column = facetColumns[index]!;
    out.get(column)!.push({ value: row[column] ?? null, count: Number(row.n) });
  }
  return out;
}

export async function countMatching(db: Db, actor: Actor, f: SearchFilter, match: string | null): Promise<number> {
  const row = await matching(db, actor, f, match)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Division names for region codes, from the unit tree (which carries the NBS division of each unit). */
export function regionLabels(db: Db, codes: readonly string[]) {
  if (!codes.length) return Promise.resolve(new Map<string, string>());
  return db
    .selectFrom('units')
    .select(['division_code', 'division_name'])
    .where('division_code', 'in', codes)
    .execute()
    .then((rows) => new Map(rows.filter((r) => r.division_code && r.division_name).map((r) => [r.division_code!, r.division_name!])));
}

// Saved searches ----------------------------------------------------------------------------

export function insertSavedSearch(db: Db, s: { unitId: string; userId: string; name: string; query: unknown }) {
  return db
    .insertInto('saved_searches')
    .values({ unit_id: s.unitId, user_id: s.userId, name: s.name, query: JSON.stringify(s.query) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listSavedSearches(db: Db, userId: string) {
  return db.selectFrom('saved_searches').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function countSavedSearches(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('saved_searches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteSavedSearch(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('saved_searches').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
