import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { UnitPlace } from '../../policies/index.ts';
import { selectItems } from '../content/queries.ts';

/** SQL of the 工作台: what a person, a unit and a subtree have in hand today, each scoped by unit. */

/** The person's own stories still in hand (draft, in review) or published since `since`, newest first. */
export function ownItems(db: Db, unitId: string, userId: string, since: Date) {
  return selectItems(db)
    .leftJoin('review_states as s', 's.item_id', 'i.id')
    .select(['i.id', 'i.title', 'i.status', 'i.updated_at', 's.level', 's.published_at'])
    .where('i.unit_id', '=', unitId)
    .where('i.created_by', '=', userId)
    .where((eb) => eb.or([eb('i.status', 'in', ['draft', 'submitted', 'in_review']), eb.and([eb('i.status', 'in', ['published', 'corrected']), eb('s.published_at', '>=', since)])]))
    .orderBy('i.updated_at', 'desc')
    .limit(200)
    .execute();
}

/** The last move made on each item: why a draft came back, and since when an item waits where it is. */
export async function lastMoves(db: Db, itemIds: readonly string[]) {
  if (!itemIds.length) return new Map<string, LastMove>();
  const rows = await db
    .selectFrom('item_transitions as t')
    .leftJoin('users as u', 'u.id', 't.actor_id')
    .distinctOn('t.item_id')
    .select(['t.item_id', 't.action', 't.comment', 't.at', 'u.display_name as actor_name'])
    .where('t.item_id', 'in', itemIds)
    .orderBy('t.item_id')
    .orderBy('t.id', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.item_id, r]));
}
export type LastMove = { action: string; comment: string | null; at: Date; actor_name: string | null };

/** Open tasks assigned to the person in this unit, the soonest due first. */
export function ownTasks(db: Db, unitId: string, userId: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'title', 'status', 'due_at', 'item_id'])
    .where('unit_id', '=', unitId)
    .where('assignee_user_id', '=', userId)
    .where('status', 'in', ['open', 'accepted'])
    .orderBy(sql`due_at asc nulls last`)
    .orderBy('created_at')
    .limit(50)
    .execute();
}

/** Items of the unit signed off (签发) since `since`, with who signed. */
export function signedOffSince(db: Db, unitId: string, since: Date) {
  return selectItems(db)
    .innerJoin('review_states as s', 's.item_id', 'i.id')
    .leftJoin('users as u', 'u.id', 's.signed_off_by')
    .select(['i.id', 'i.title', 'i.status', 's.signed_off_at', 'u.display_name as signed_off_by'])
    .where('i.unit_id', '=', unitId)
    .where('s.signed_off_at', '>=', since)
    .orderBy('s.signed_off_at', 'desc')
    .limit(50)
    .execute();
}

/** How many of the unit's items stand at each step of the pipeline, and how many went out since `since`. */
export async function pipelineCounts(db: Db, unitId: string, since: Date) {
  const row = await selectItems(db)
    .leftJoin('review_states as s', 's.item_id', 'i.id')
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere('i.status', '=', 'draft').as('draft'),
      eb.fn.countAll<string>().filterWhere('i.status', '=', 'submitted').as('submitted'),
      eb.fn.countAll<string>().filterWhere('i.status', '=', 'in_review').as('in_review'),
      eb.fn.countAll<string>().filterWhere('i.status', 'in', ['signed_off', 'scheduled']).as('signed_off'),
      eb.fn.countAll<string>().filterWhere('s.published_at', '>=', since).as('published_today'),
    ])
    .where('i.unit_id', '=', unitId)
    .executeTakeFirstOrThrow();
  return {
    draft: Number(row.draft),
    submitted: Number(row.submitted),
    inReview: Number(row.in_review),
    signedOff: Number(row.signed_off),
    publishedToday: Number(row.published_today),
  };
}

/**
 * Activity of a subtree grouped by the unit's children (each child counting its own subtree), plus the
 * unit itself under its own id: stories in review now and published since `since`.
 */
export async function subtreeActivity(db: Db, unit: UnitPlace, since: Date) {
  const rows = await selectItems(db)
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .leftJoin('review_states as s', 's.item_id', 'i.id')
    .select((eb) => [
      // the unit itself, or the id of its child whose branch holds the item (the path's next segment)
      sql<string>`case when u.id = ${unit.id} then u.id::text else split_part(substr(u.path, ${unit.path.length + 2}), '/', 1) end`.as('branch'),
      eb.fn.countAll<string>().filterWhere('i.status', 'in', ['submitted', 'in_review']).as('in_review'),
      eb.fn.countAll<string>().filterWhere('s.published_at', '>=', since).as('published_today'),
    ])
    .where((eb) => eb.or([eb('u.id', '=', unit.id), eb('u.path', 'like', `${unit.path}/%`)]))
    .groupBy(sql`1`)
    .execute();
  return new Map(rows.map((r) => [r.branch, { inReview: Number(r.in_review), publishedToday: Number(r.published_today) }]));
}

/** The latest stories published in the subtree since `since`, with their unit's name. */
export function publishedInSubtree(db: Db, unit: UnitPlace, since: Date) {
  return selectItems(db)
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .innerJoin('review_states as s', 's.item_id', 'i.id')
    .select(['i.id', 'i.title', 'i.status', 's.published_at', 'u.name as unit_name'])
    .where((eb) => eb.or([eb('u.id', '=', unit.id), eb('u.path', 'like', `${unit.path}/%`)]))
    .where('s.published_at', '>=', since)
    .orderBy('s.published_at', 'desc')
    .limit(10)
    .execute();
}
