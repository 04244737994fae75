import type { Db } from '../../platform/db/database.ts';
import { selectItems } from '../content/queries.ts';

/** What other modules may read of the workflow's tables: an item's publication state and history. */

export function publicationState(db: Db, itemId: string) {
  return db
    .selectFrom('review_states')
    .select(['signed_off_revision', 'signed_off_at', 'published_revision', 'published_at', 'correction_note'])
    .where('item_id', '=', itemId)
    .executeTakeFirst();
}

/** Items (`i`) with their workflow state (`s`, null before the first submission), to list what was published. */
export function selectItemsWithState(db: Db) {
  return selectItems(db).leftJoin('review_states as s', (j) => j.onRef('s.unit_id', '=', 'i.unit_id').onRef('s.item_id', '=', 'i.id'));
}

/** How many times the item was retracted: a publication after a retraction is a new epoch with fresh keys. */
export async function retractions(db: Db, itemId: string): Promise<number> {
  const row = await db
    .selectFrom('item_transitions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('item_id', '=', itemId)
    .where('action', '=', 'retract')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
