import type { Db } from '../../platform/db/database.ts';

/** SQL of edit locks and editorial comments. */

export function findLock(db: Db, itemId: string) {
  return db
    .selectFrom('edit_locks as l')
    .innerJoin('users as u', 'u.id', 'l.holder_id')
    .select(['l.unit_id', 'l.item_id', 'l.holder_id', 'u.display_name as holder_name', 'l.acquired_at', 'l.expires_at'])
    .where('l.item_id', '=', itemId)
    .forUpdate('l')
    .executeTakeFirst();
}

export async function putLock(db: Db, unitId: string, itemId: string, holderId: string, expiresAt: Date, fresh: boolean) {
  await db
    .insertInto('edit_locks')
    .values({ unit_id: unitId, item_id: itemId, holder_id: holderId, expires_at: expiresAt })
    .onConflict((oc) =>
      oc.columns(['unit_id', 'item_id']).doUpdateSet({ holder_id: holderId, expires_at: expiresAt, ...(fresh ? { acquired_at: new Date() } : {}) }),
    )
    .execute();
}

export async function deleteLock(db: Db, itemId: string, holderId: string) {
  const res = await db.deleteFrom('edit_locks').where('item_id', '=', itemId).where('holder_id', '=', holderId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export function insertComment(
  db: Db,
  c: { unitId: string; itemId: string; revision: number; from: number | null; to: number | null; quote: string | null; body: string; mentions: string[]; authorId: string },
) {
  return db
    .insertInto('item_comments')
    .values({ unit_id: c.unitId, item_id: c.itemId, revision: c.revision, anchor_from: c.from, anchor_to: c.to, quote: c.quote, body: c.body, mentions: c.mentions, author_id: c.authorId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listComments(db: Db, itemId: string) {
  return db
    .selectFrom('item_comments as c')
    .leftJoin('users as u', 'u.id', 'c.author_id')
    .selectAll('c')
    .select('u.display_name as author_name')
    .where('c.item_id', '=', itemId)
    .orderBy('c.created_at')
    .execute();
}

export function setResolved(db: Db, itemId: string, id: string, resolved: boolean) {
  return db.updateTable('item_comments').set({ resolved }).where('item_id', '=', itemId).where('id', '=', id).returningAll().executeTakeFirst();
}
