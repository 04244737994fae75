import type { Db } from '../../platform/db/database.ts';
import { selectItems } from '../content/queries.ts';
import type { ReviewPolicy } from '../../policies/index.ts';
import type { Finding, ReviewLevel } from './tables.ts';

/** SQL of the review chain: policies, per-item review state, and the transition log. */

// The hub's revisions, read through the queries content exports.
export { findRevision as revisionSnapshot, revisionAuthors } from '../content/queries.ts';

export async function findPolicy(db: Db, unitId: string): Promise<ReviewPolicy | null> {
  const row = await db.selectFrom('review_policies').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
  return row ? { levels: row.levels, editReturnsTo: row.edit_returns_to } : null;
}

export async function savePolicy(db: Db, unitId: string, policy: ReviewPolicy, userId: string) {
  const values = { levels: JSON.stringify(policy.levels satisfies ReviewLevel[]), edit_returns_to: policy.editReturnsTo, updated_by: userId };
  await db
    .insertInto('review_policies')
    .values({ unit_id: unitId, ...values })
    .onConflict((oc) => oc.column('unit_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

export function findState(db: Db, itemId: string) {
  return db.selectFrom('review_states').selectAll().where('item_id', '=', itemId).executeTakeFirst();
}

export async function ensureState(db: Db, unitId: string, itemId: string) {
  await db.insertInto('review_states').values({ unit_id: unitId, item_id: itemId }).onConflict((oc) => oc.doNothing()).execute();
  return (await findState(db, itemId))!;
}

export function updateState(
  db: Db,
  itemId: string,
  fields: Partial<{
    level: number;
    round: number;
    signed_off_revision: number | null;
    signed_off_by: string | null;
    signed_off_at: Date | null;
    publish_at: Date | string | null;
    published_revision: number | null;
    published_at: Date | null;
    correction_note: string | null;
  }>,
) {
  return db.updateTable('review_states').set(fields).where('item_id', '=', itemId).execute();
}

export function insertTransition(
  db: Db,
  t: {
    unitId: string;
    itemId: string;
    action: string;
    from: string;
    to: string;
    level: number | null;
    round: number;
    revision: number;
    actorId: string | null;
    comment?: string | null;
    overrideReason?: string | null;
    findings?: Finding[] | null;
  },
) {
  return db
    .insertInto('item_transitions')
    .values({
      unit_id: t.unitId,
      item_id: t.itemId,
      action: t.action,
      from_status: t.from,
      to_status: t.to,
      level: t.level,
      round: t.round,
      revision: t.revision,
      actor_id: t.actorId,
      comment: t.comment ?? null,
      override_reason: t.overrideReason ?? null,
      findings: t.findings?.length ? JSON.stringify(t.findings) : null,
    })
    .execute();
}

export function timeline(db: Db, itemId: string) {
  return db
    .selectFrom('item_transitions as t')
    .leftJoin('users as u', 'u.id', 't.actor_id')
    .select([
      't.id',
      't.action',
      't.from_status',
      't.to_status',
      't.level',
      't.round',
      't.revision',
      't.actor_id',
      'u.display_name as actor_name',
      't.comment',
      't.override_reason',
      't.findings',
      't.at',
    ])
    .where('t.item_id', '=', itemId)
    .orderBy('t.id')
    .execute();
}

/** Who approved in the current round: nobody may approve two levels of the same story. */
export async function approversInRound(db: Db, itemId: string, round: number): Promise<string[]> {
  const rows = await db
    .selectFrom('item_transitions')
    .select('actor_id')
    .where('item_id', '=', itemId)
    .where('round', '=', round)
    .where('action', '=', 'approve')
    .execute();
  return rows.flatMap((r) => (r.actor_id ? [r.actor_id] : []));
}

/** The revision last approved at any level, for the reviewer's diff; null before the first approval. */
export async function lastApprovedRevision(db: Db, itemId: string): Promise<number | null> {
  const row = await db
    .selectFrom('item_transitions')
    .select('revision')
    .where('item_id', '=', itemId)
    .where('action', '=', 'approve')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.revision ?? null;
}

export function reviewQueue(db: Db, unitId: string, levels: number[]) {
  return selectItems(db)
    .innerJoin('review_states as s', 's.item_id', 'i.id')
    .leftJoin('users as u', 'u.id', 'i.created_by')
    .select(['i.id', 'i.title', 'i.type', 'i.status', 'i.revision', 'i.created_by', 'u.display_name as author_name', 'i.updated_at', 's.level', 's.round'])
    .where('i.unit_id', '=', unitId)
    .where('i.status', 'in', ['submitted', 'in_review'])
    .where('s.level', 'in', levels.length ? levels : [-1])
    .orderBy('i.updated_at')
    .execute();
}

export function dueScheduled(db: Db, now: Date) {
  return selectItems(db)
    .innerJoin('review_states as s', 's.item_id', 'i.id')
    .select(['i.id', 'i.unit_id'])
    .where('i.status', '=', 'scheduled')
    .where('s.publish_at', '<=', now)
    .execute();
}
