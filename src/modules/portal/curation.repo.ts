import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

/** Every query of 门户编排 (site_curation), and the look-ups that check a choice against the unit's own portal. */


export function curationOf(db: Db, unitId: string) {
  return db.selectFrom('site_curation').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
}

export async function saveCuration(db: Db, row: { unit_id: string; headline_item_id: string | null; topic_item_ids: string[]; section_order: string[]; updated_by: string }) {
  const values = { ...row, updated_at: new Date() };
  const { unit_id: _u, ...rest } = values;
  return db
    .insertInto('site_curation')
    .values(values)
    .onConflict((oc) => oc.column('unit_id').doUpdateSet(rest))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface OwnStory {
  item_id: string;
  item_type: string;
  title: string;
  category: string | null;
  cover_asset_id: string | null;
  published_at: Date;
}

/**
 * The unit's own stories live on its own portal: a 头条 or 专题 may only be one of these, never a story of
 * another unit (not one delivered to this portal from elsewhere either).
 */
function ownLive(db: Db, unitId: string) {
  return db
    .selectFrom('site_items')
    .select(['item_id', 'item_type', 'title', 'category', 'cover_asset_id', 'published_at'])
    .where('kind', '=', 'portal')
    .where('retracted', '=', false)
    .where('site_unit_id', '=', unitId)
    .where('unit_id', '=', unitId);
}

export async function ownLiveStories(db: Db, unitId: string, itemIds: string[]): Promise<OwnStory[]> {
  if (!itemIds.length) return [];
  return ownLive(db, unitId).where('item_id', 'in', itemIds).execute();
}

/** Stories an editor may pick, newest first; the title (or text) contains `text` when given. */
export function ownLiveSearch(db: Db, q: { unitId: string; text: string; type?: string; limit: number }): Promise<OwnStory[]> {
  const needle = q.text.trim().toLowerCase();
  return ownLive(db, q.unitId)
    .$if(!!needle, (qb) => qb.where(sql<boolean>`strpos(lower(title || ' ' || summary), ${needle}) > 0`))
    .$if(!!q.type, (qb) => qb.where('item_type', '=', q.type!))
    .orderBy('published_at', 'desc')
    .orderBy('item_id', 'desc')
    .limit(q.limit)
    .execute();
}
