import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

/**
 * What other modules may read of the hub's tables: whole statements, or fragments they build on (a select over
 * items they join their own tables to, an expression over an item id). The hub's tables are named only in the
 * content module (src/test/table-ownership.test.ts), so a change to them is made and checked here.
 */

/** Items, aliased `i`, for a module that joins its own per-item tables to them. */
export function selectItems(db: Db) {
  return db.selectFrom('content_items as i');
}

export function findItem(db: Db, itemId: string) {
  return db
    .selectFrom('content_items')
    .select(['id', 'unit_id', 'type', 'origin_unit_id', 'origin_item_id', 'revision'])
    .where('id', '=', itemId)
    .executeTakeFirst();
}

export async function itemUnit(db: Db, itemId: string) {
  const row = await db.selectFrom('content_items').select('unit_id').where('id', '=', itemId).executeTakeFirst();
  return row?.unit_id ?? null;
}

/** One revision as saved: what a channel renders and what a reviewer compares. */
export function findRevision(db: Db, itemId: string, number: number) {
  return db
    .selectFrom('content_revisions')
    .select(['number', 'snapshot', 'body_text', 'created_at'])
    .where('item_id', '=', itemId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/** Authors of the item's revisions: "their own work" includes anything they wrote into it. */
export async function revisionAuthors(db: Db, itemId: string): Promise<string[]> {
  const rows = await db.selectFrom('content_revisions').select('author_id').distinct().where('item_id', '=', itemId).execute();
  return rows.flatMap((r) => (r.author_id ? [r.author_id] : []));
}

/** A special topic's members, in their order. */
export function specialMembers(db: Db, specialId: string) {
  return db
    .selectFrom('content_special_members')
    .select('item_id')
    .where('special_id', '=', specialId)
    .orderBy('position')
    .execute()
    .then((rows) => rows.map((r) => r.item_id));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Which of these assets are videos (a video item's film may sit in its cover or its body). Scoped to
 * the units whose assets the item may show: its own and, for a pick-up, the originating unit's.
 */
export function videoAssetIds(db: Db, unitIds: readonly string[], ids: readonly string[]) {
  // Body attributes are free text: only ids that can be asset ids reach the uuid column.
  const candidates = ids.filter((id) => UUID.test(id));
  if (!candidates.length) return Promise.resolve([] as string[]);
  return db
    .selectFrom('assets')
    .select('id')
    .where('unit_id', 'in', unitIds)
    .where('id', 'in', candidates)
    .where('kind', '=', 'video')
    .execute()
    .then((rows) => rows.map((r) => r.id));
}

/** The item's embargo (null when none) for the item id in column `itemIdColumn`, as a raw SQL expression. */
export function itemEmbargo(itemIdColumn: string) {
  return sql<Date | null>`(select e.embargo_until from content_items e where e.id = ${sql.ref(itemIdColumn)})`;
}

/** The item's understanding (categories, entities, keywords) for the item id in `itemIdColumn`, as a column. */
export function itemUnderstanding(itemIdColumn: string) {
  return sql<unknown>`(select u.understanding from content_items u where u.id = ${sql.ref(itemIdColumn)})`.as('understanding');
}
