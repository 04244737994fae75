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
