import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { PrintStory } from '../distribution/contract.ts';
import type { StoryReport } from './layout/layout.ts';
import type { PrintFormat } from './layout/page-spec.ts';
import type { PageFlag, PageStoryRef, PageSummary } from './print.tables.ts';
import { selectItemsWithState } from '../newsroom/queries.ts';

// Another module's data, through the query it exports.
export { itemUnit } from '../content/queries.ts';
export { unitName } from '../alliance/queries.ts';

/** Every SQL statement of the print module; every query names the unit. */

export interface PoolInput {
  unitId: string;
  channelId: string | null;
  itemId: string | null;
  revision: number | null;
  idempotencyKey: string;
  title: string;
  story: PrintStory;
  coverAssetId: string | null;
}

/** A repeated delivery (same idempotency key) lands on the row it made the first time. */
export async function upsertPool(db: Db, p: PoolInput) {
  const existing = await db.selectFrom('print_pool').select('id').where('idempotency_key', '=', p.idempotencyKey).executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto('print_pool')
    .values({ unit_id: p.unitId, channel_id: p.channelId, item_id: p.itemId, revision: p.revision, idempotency_key: p.idempotencyKey, title: p.title, story: JSON.stringify(p.story), cover_asset_id: p.coverAssetId, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findPoolByKey(db: Db, idempotencyKey: string) {
  return db.selectFrom('print_pool').select(['id', 'unit_id']).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
}

export async function updatePool(db: Db, unitId: string, id: string, p: Pick<PoolInput, 'title' | 'story' | 'revision' | 'coverAssetId'>) {
  const r = await db
    .updateTable('print_pool')
    .set({ title: p.title, story: JSON.stringify(p.story), cover_asset_id: p.coverAssetId, revision: p.revision, updated_at: new Date() })
    .where('unit_id', '=', unitId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export function deletePool(db: Db, unitId: string, id: string) {
  return db.deleteFrom('print_pool').where('unit_id', '=', unitId).where('id', '=', id).returning(['id', 'item_id', 'title']).executeTakeFirst();
}

export function listPool(db: Db, unitId: string) {
  return db.selectFrom('print_pool').selectAll().where('unit_id', '=', unitId).orderBy('delivered_at', 'desc').limit(200).execute();
}

export function findPool(db: Db, unitId: string, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('print_pool').selectAll().where('unit_id', '=', unitId).where('id', 'in', ids).execute();
}

/** The unit's published items, newest first (candidates for a page besides the pool). */
export function publishedItems(db: Db, unitId: string, limit: number) {
  return selectItemsWithState(db)
    .select(['i.id', 'i.title', 'i.status', 'i.revision', 's.published_revision', 's.published_at', 'i.cover_asset_id'])
    .where('i.unit_id', '=', unitId)
    .where('i.status', 'in', ['published', 'corrected'])
    .orderBy(sql`coalesce(s.published_at, i.updated_at)`, 'desc')
    .limit(limit)
    .execute();
}

export function findPublished(db: Db, unitId: string, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return selectItemsWithState(db)
    .select(['i.id', 'i.unit_id', 'i.status', 'i.revision', 's.published_revision'])
    .where('i.unit_id', '=', unitId)
    .where('i.id', 'in', ids)
    .execute();
}

export interface NewPage {
  unitId: string;
  name: string;
  format: PrintFormat;
  date: string;
  stories: PageStoryRef[];
  report: StoryReport[];
  pageCount: number;
  pdf: Buffer;
  renderMs: number;
  createdBy: string | null;
}

const summaryColumns = ['unit_id', 'id', 'name', 'format', 'edition_date', 'stories', 'report', 'flags', 'page_count', 'pdf_bytes', 'render_ms', 'created_by', 'created_at', 'updated_at'] as const;

export function insertPage(db: Db, p: NewPage): Promise<PageSummary> {
  return db
    .insertInto('print_pages')
    .values({
      unit_id: p.unitId,
      name: p.name,
      format: p.format,
      edition_date: p.date,
      stories: JSON.stringify(p.stories),
      report: JSON.stringify(p.report),
      page_count: p.pageCount,
      pdf: p.pdf,
      pdf_bytes: p.pdf.length,
      render_ms: p.renderMs,
      created_by: p.createdBy,
      updated_at: new Date(),
    })
    .returning(summaryColumns)
    .executeTakeFirstOrThrow();
}

export function replaceLayout(db: Db, unitId: string, id: string, p: Pick<NewPage, 'stories' | 'report' | 'pageCount' | 'pdf' | 'renderMs'>) {
  return db
    .updateTable('print_pages')
    .set({ stories: JSON.stringify(p.stories), report: JSON.stringify(p.report), page_count: p.pageCount, pdf: p.pdf, pdf_bytes: p.pdf.length, render_ms: p.renderMs, flags: '[]', updated_at: new Date() })
    .where('unit_id', '=', unitId)
    .where('id', '=', id)
    .returning(summaryColumns)
    .executeTakeFirstOrThrow();
}

export function listPages(db: Db, unitId: string, date?: string) {
  let q = db.selectFrom('print_pages').select(summaryColumns).where('unit_id', '=', unitId);
  if (date) q = q.where('edition_date', '=', date);
  return q.orderBy('edition_date', 'desc').orderBy('created_at', 'desc').limit(100).execute();
}

export function findPage(db: Db, unitId: string, id: string) {
  return db.selectFrom('print_pages').select(summaryColumns).where('unit_id', '=', unitId).where('id', '=', id).executeTakeFirst();
}

export function findPdf(db: Db, unitId: string, id: string) {
  return db.selectFrom('print_pages').select(['pdf', 'name', 'edition_date', 'updated_at']).where('unit_id', '=', unitId).where('id', '=', id).executeTakeFirst();
}

export function deletePage(db: Db, unitId: string, id: string) {
  return db.deleteFrom('print_pages').where('unit_id', '=', unitId).where('id', '=', id).returning('id').executeTakeFirst();
}

/** Pages of the unit that carry a story (by pool entry or item): the ones a retraction must flag. */
export function pagesCarrying(db: Db, unitId: string, poolId: string, itemId: string | null) {
  const match = itemId
    ? sql<boolean>`exists (select 1 from jsonb_array_elements(stories) s where s->>'id' = ${poolId} or s->>'itemId' = ${itemId})`
    : sql<boolean>`exists (select 1 from jsonb_array_elements(stories) s where s->>'id' = ${poolId})`;
  return db.selectFrom('print_pages').select(['id', 'flags']).where('unit_id', '=', unitId).where(match).forUpdate().execute();
}

export function setFlags(db: Db, unitId: string, id: string, flags: PageFlag[]) {
  return db.updateTable('print_pages').set({ flags: JSON.stringify(flags), updated_at: new Date() }).where('unit_id', '=', unitId).where('id', '=', id).execute();
}
