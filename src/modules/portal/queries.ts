import type { Db } from '../../platform/db/database.ts';
import type { IdSubquery } from '../../platform/db/tables.ts';
import { itemUnderstanding } from '../content/queries.ts';

/** What other modules (recommend, push) may read of the site store: the stories live on the sites. */

export interface StoryRow {
  item_id: string;
  title: string;
  body_text: string;
  category: string | null;
  region_code: string | null;
  unit_slug: string;
  tags: string[];
  published_at: Date;
  revision: number;
  understanding: unknown;
}

const storyColumns = ['s.item_id', 's.title', 's.body_text', 's.category', 's.region_code', 's.unit_slug', 's.tags', 's.published_at', 's.revision', itemUnderstanding('s.item_id')] as const;

/** Candidates: the stories live on one site of one kind, newest first — never unpublished or retracted. */
export function liveStories(db: Db, kind: 'portal' | 'app', siteSlug: string, limit: number): Promise<StoryRow[]> {
  return db
    .selectFrom('site_items as s')
    .select(storyColumns)
    .where('s.kind', '=', kind)
    .where('s.site_unit_slug', '=', siteSlug)
    .where('s.retracted', '=', false)
    .orderBy('s.published_at', 'desc')
    .limit(limit)
    .execute() as Promise<StoryRow[]>;
}

/** The live stories' ids and revisions only (cheap): bodies are fetched just for stories not seen before. */
export function liveStoryKeys(db: Db, kind: 'portal' | 'app', siteSlug: string, limit: number) {
  return db
    .selectFrom('site_items')
    .select(['item_id', 'revision', 'category'])
    .where('kind', '=', kind)
    .where('site_unit_slug', '=', siteSlug)
    .where('retracted', '=', false)
    .orderBy('published_at', 'desc')
    .limit(limit)
    .execute();
}

/** Stories by id from any site (what someone read may live elsewhere now), one row each. */
export async function storiesById(db: Db, ids: string[]): Promise<StoryRow[]> {
  if (!ids.length) return [];
  const rows = (await db
    .selectFrom('site_items as s')
    .select(storyColumns)
    .where('s.item_id', 'in', ids)
    .orderBy('s.revision', 'desc')
    .execute()) as StoryRow[];
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.item_id) && !!seen.add(r.item_id));
}

export async function isLiveOn(db: Db, siteSlug: string, itemId: string): Promise<boolean> {
  return !!(await db.selectFrom('site_items').select('item_id').where('site_unit_slug', '=', siteSlug).where('item_id', '=', itemId).where('retracted', '=', false).executeTakeFirst());
}

/** A published story on a portal of one of these units: the push's deep link. */
export const findPublishedStory = (db: Db, itemId: string, scope: IdSubquery<'id'> | null) =>
  db
    .selectFrom('site_items')
    .select(['item_id', 'title', 'site_unit_slug', 'site_unit_id'])
    .where('item_id', '=', itemId)
    .where('kind', '=', 'portal')
    .$if(scope !== null, (q) => q.where('site_unit_id', 'in', scope!))
    .executeTakeFirst();
