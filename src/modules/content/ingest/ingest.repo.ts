import { type ColumnType, type Generated, type Selectable, sql } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';

/** Every SQL statement of ingest (汇聚). Every query names the unit: sources are tenant rows. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const sourceFormats = ['auto', 'rss', 'atom', 'jsonfeed', 'ninjs', 'newsml'] as const;
export type SourceFormat = (typeof sourceFormats)[number];
export type SourceStatus = 'never' | 'ok' | 'error';

export interface PullResult {
  /** ok: pulled and imported; not_modified: the server answered 304; error: nothing imported. */
  status: 'ok' | 'not_modified' | 'error';
  entries: number;
  imported: number;
  /** Entries whose guid this source delivered before. */
  seen: number;
  /** New guids whose text is within 3 bits of an item the unit already has. */
  nearDuplicates: number;
  error: string | null;
  errorEn: string | null;
  ms: number;
  at: string;
}

export interface IngestSourcesTable {
  unit_id: string;
  id: Generated<string>;
  name: string;
  url: string;
  format: Generated<SourceFormat>;
  interval_minutes: Generated<number>;
  paused: Generated<boolean>;
  status: Generated<SourceStatus>;
  last_error: string | null;
  last_fetched_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_result: ColumnType<PullResult | null, string | null, string | null>;
  etag: string | null;
  last_modified: string | null;
  item_count: Generated<number>;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface IngestSeenTable {
  unit_id: string;
  source_id: string;
  guid: string;
  item_id: string | null;
  simhash: string | null;
  link: string | null;
  skipped: 'near_duplicate' | null;
  fetched_at: Generated<Date>;
}

export interface IngestTables {
  ingest_sources: IngestSourcesTable;
  ingest_seen: IngestSeenTable;
}

export type SourceRow = Selectable<IngestSourcesTable>;

export function listSources(db: Db, unitId: string) {
  return db.selectFrom('ingest_sources').selectAll().where('unit_id', '=', unitId).orderBy('created_at').orderBy('id').execute();
}

export function findSource(db: Db, unitId: string, id: string) {
  return db.selectFrom('ingest_sources').selectAll().where('unit_id', '=', unitId).where('id', '=', id).executeTakeFirst();
}

export function lockSource(db: Db, unitId: string, id: string) {
  return db.selectFrom('ingest_sources').selectAll().where('unit_id', '=', unitId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findSourceByUrl(db: Db, unitId: string, url: string) {
  return db.selectFrom('ingest_sources').select(['id', 'name']).where('unit_id', '=', unitId).where('url', '=', url).executeTakeFirst();
}

export function insertSource(
  db: Db,
  s: { unitId: string; name: string; url: string; format: SourceFormat; intervalMinutes: number; paused: boolean; createdBy: string },
) {
  return db
    .insertInto('ingest_sources')
    .values({
      unit_id: s.unitId,
      name: s.name,
      url: s.url,
      format: s.format,
      interval_minutes: s.intervalMinutes,
      paused: s.paused,
      created_by: s.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface SourceChange {
  name?: string;
  url?: string;
  format?: SourceFormat;
  interval_minutes?: number;
  paused?: boolean;
  etag?: string | null;
  last_modified?: string | null;
}

export function updateSource(db: Db, unitId: string, id: string, change: SourceChange) {
  return db
    .updateTable('ingest_sources')
    .set({ ...change, updated_at: new Date() })
    .where('unit_id', '=', unitId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function deleteSource(db: Db, unitId: string, id: string) {
  return db.deleteFrom('ingest_sources').where('unit_id', '=', unitId).where('id', '=', id).execute();
}

/** A failed pull: status, message, the attempt's time; counts, validators and item_count stay as they were. */
export function recordFailure(db: Db, unitId: string, id: string, error: string, result: PullResult) {
  return db
    .updateTable('ingest_sources')
    .set({ status: 'error', last_error: error, last_fetched_at: new Date(), last_result: JSON.stringify(result) })
    .where('unit_id', '=', unitId)
    .where('id', '=', id)
    .execute();
}

export function recordSuccess(
  db: Db,
  unitId: string,
  id: string,
  r: { result: PullResult; etag?: string | null; lastModified?: string | null; imported: number },
) {
  return db
    .updateTable('ingest_sources')
    .set((eb) => ({
      status: 'ok',
      last_error: null,
      last_fetched_at: new Date(),
      last_success_at: new Date(),
      last_result: JSON.stringify(r.result),
      item_count: eb('item_count', '+', r.imported),
      ...(r.etag !== undefined ? { etag: r.etag } : {}),
      ...(r.lastModified !== undefined ? { last_modified: r.lastModified } : {}),
    }))
    .where('unit_id', '=', unitId)
    .where('id', '=', id)
    .execute();
}

export async function seenGuids(db: Db, unitId: string, sourceId: string, guids: string[]): Promise<Set<string>> {
  if (!guids.length) return new Set();
  const rows = await db
    .selectFrom('ingest_seen')
    .select('guid')
    .where('unit_id', '=', unitId)
    .where('source_id', '=', sourceId)
    .where('guid', 'in', guids)
    .execute();
  return new Set(rows.map((r) => r.guid));
}

export function recordSeen(
  db: Db,
  s: { unitId: string; sourceId: string; guid: string; itemId: string | null; simhash: string | null; link: string | null; skipped: 'near_duplicate' | null },
) {
  return db
    .insertInto('ingest_seen')
    .values({ unit_id: s.unitId, source_id: s.sourceId, guid: s.guid, item_id: s.itemId, simhash: s.simhash, link: s.link, skipped: s.skipped })
    .onConflict((oc) => oc.columns(['unit_id', 'source_id', 'guid']).doNothing())
    .execute();
}

/** Sources whose interval has passed since the last attempt (or never tried), not paused, across all units. */
export function dueSources(db: Db, limit = 200) {
  return db
    .selectFrom('ingest_sources')
    .select(['unit_id', 'id'])
    .where('paused', '=', false)
    .where((eb) =>
      eb.or([
        eb('last_fetched_at', 'is', null),
        eb('last_fetched_at', '<=', sql<Date>`now() - make_interval(mins => interval_minutes)`),
      ]),
    )
    .orderBy(sql`last_fetched_at nulls first`)
    .limit(limit)
    .execute();
}
