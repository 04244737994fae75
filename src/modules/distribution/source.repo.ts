import type { Db } from '../../platform/db/database.ts';

/** Every SQL statement behind a rendition source: the item, its units, one revision and its workflow state. */

export function findItem(db: Db, itemId: string) {
  return db
    .selectFrom('content_items')
    .select(['id', 'unit_id', 'type', 'origin_unit_id', 'origin_item_id', 'revision'])
    .where('id', '=', itemId)
    .executeTakeFirst();
}

export function findRevision(db: Db, itemId: string, number: number) {
  return db
    .selectFrom('content_revisions')
    .select(['number', 'snapshot', 'body_text', 'created_at'])
    .where('item_id', '=', itemId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export function findUnits(db: Db, ids: readonly string[]) {
  return db.selectFrom('units').select(['id', 'name', 'division_code']).where('id', 'in', ids).execute();
}

export function findState(db: Db, itemId: string) {
  return db
    .selectFrom('review_states')
    .select(['signed_off_revision', 'signed_off_at', 'published_revision', 'published_at', 'correction_note'])
    .where('item_id', '=', itemId)
    .executeTakeFirst();
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
