import { type ColumnType, sql } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';
import type { Actor } from '../../../policies/index.ts';
import { visibleTo } from '../repo.ts';

/** Every SQL statement of item understanding (理解): keywords, entities, summary, category, SimHash. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UnitCategoryModelsTable {
  unit_id: string;
  model: ColumnType<unknown, string | null, string | null>;
  labels: string[];
  labelled_count: number;
  /** Count and latest change of the unit's labelled items when the model was trained. */
  fingerprint: string;
  trained_at: Timestamp;
}

export interface UnderstandingTables {
  unit_category_models: UnitCategoryModelsTable;
}

export function findItem(db: Db, id: string) {
  return db
    .selectFrom('content_items')
    .select(['id', 'unit_id', 'title', 'subtitle', 'body_text', 'category', 'revision', 'understanding', 'understood_at', 'simhash'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Writes the understanding of one revision. No revision, no updated_at: understanding is about the
 * item, not an edit of it. Only when the item is still at that revision, else a newer job has it.
 */
export async function saveUnderstanding(db: Db, id: string, revision: number, understanding: unknown, simhash: string | null): Promise<boolean> {
  const result = await db
    .updateTable('content_items')
    .set({ understanding: JSON.stringify(understanding), understood_at: new Date(), simhash })
    .where('id', '=', id)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An editor's corrections: the understanding column only. */
export function saveCorrections(db: Db, id: string, understanding: unknown) {
  return db.updateTable('content_items').set({ understanding: JSON.stringify(understanding) }).where('id', '=', id).execute();
}

export function lockItem(db: Db, id: string) {
  return db.selectFrom('content_items').select(['id', 'unit_id', 'understanding']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Labelled items teach the classifier; incoming (not yet accepted) items do not count. */
const labelled = (db: Db, unitId: string) =>
  db.selectFrom('content_items').where('unit_id', '=', unitId).where('category', 'is not', null).where('status', '<>', 'incoming');

/** Changes whenever a labelled item is added, removed, or saved (its category may have changed). */
export async function labelledFingerprint(db: Db, unitId: string): Promise<{ count: number; fingerprint: string }> {
  const row = await labelled(db, unitId)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest')])
    .executeTakeFirstOrThrow();
  const latest = row.latest ? new Date(row.latest as Date | string).toISOString() : '-';
  return { count: Number(row.n), fingerprint: `${Number(row.n)}@${latest}` };
}

export function labelledItems(db: Db, unitId: string, limit: number) {
  return labelled(db, unitId)
    .select(['title', 'body_text', 'category'])
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute() as Promise<{ title: string; body_text: string; category: string }[]>;
}

export function findModel(db: Db, unitId: string) {
  return db.selectFrom('unit_category_models').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
}

export function saveModel(db: Db, m: { unitId: string; model: unknown; labels: string[]; labelledCount: number; fingerprint: string }) {
  const values = {
    unit_id: m.unitId,
    model: m.model === null ? null : JSON.stringify(m.model),
    labels: m.labels,
    labelled_count: m.labelledCount,
    fingerprint: m.fingerprint,
    trained_at: new Date(),
  };
  return db
    .insertInto('unit_category_models')
    .values(values)
    .onConflict((oc) => oc.column('unit_id').doUpdateSet(values))
    .execute();
}

/**
 * Items the actor can see whose SimHash is within `maxDistance` bits of `simhash`, nearest first.
 * Computed in SQL — bit_count of the XOR of the two fingerprints as bit(64) (PostgreSQL 14+) — so it
 * is exact over every visible item, not a sample; the tenancy filter keeps the scan to what the
 * caller may see.
 */
export function nearDuplicates(db: Db, actor: Actor, id: string, simhash: string, maxDistance: number, limit = 50) {
  const distance = sql<number>`bit_count(('x' || i.simhash)::bit(64) # ('x' || ${simhash})::bit(64))::int`;
  return db
    .selectFrom('content_items as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .select(['i.id', 'i.unit_id', 'u.name as unit_name', 'i.title', 'i.status', 'i.type', 'i.source', 'i.updated_at', distance.as('distance')])
    .where('i.id', '<>', id)
    .where('i.simhash', 'is not', null)
    .where('i.simhash', '<>', ZERO_FINGERPRINT)
    .where(visibleTo(actor))
    .where(distance, '<=', maxDistance)
    .orderBy('distance')
    .orderBy('i.updated_at', 'desc')
    .limit(limit)
    .execute();
}

/** The fingerprint of a text with no topic words: every such text has it, so it says nothing. */
export const ZERO_FINGERPRINT = '0000000000000000';

/** Near-duplicates among one unit's recent items, for ingest's de-duplication. */
export function unitNearDuplicate(db: Db, unitId: string, simhash: string, maxDistance: number, sinceDays: number) {
  const distance = sql<number>`bit_count(('x' || simhash)::bit(64) # ('x' || ${simhash})::bit(64))::int`;
  return db
    .selectFrom('content_items')
    .select(['id', 'title', distance.as('distance')])
    .where('unit_id', '=', unitId)
    .where('simhash', 'is not', null)
    .where('simhash', '<>', ZERO_FINGERPRINT)
    .where('created_at', '>', sql<Date>`now() - make_interval(days => ${sinceDays}::int)`)
    .where(distance, '<=', maxDistance)
    .orderBy('distance')
    .limit(1)
    .executeTakeFirst();
}
