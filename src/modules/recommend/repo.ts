import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { StoredProfile } from './profile.ts';

/** Every SQL statement of the recommender. */

// The site store and reading events, read through the queries portal and readers export.
export { type StoryRow, liveStories, liveStoryKeys, storiesById, isLiveOn } from '../portal/queries.ts';
export { type ReadEvent, eventsAfter, follows, homeDivision } from '../readers/queries.ts';


export async function getCursor(db: Db, name: string) {
  return (await db.selectFrom('rec_cursor').select(['received_at', 'event_id']).where('name', '=', name).executeTakeFirst()) ?? { received_at: new Date(0), event_id: '' };
}

export function setCursor(db: Db, name: string, c: { received_at: Date; event_id: string }) {
  return db
    .insertInto('rec_cursor')
    .values({ name, ...c })
    .onConflict((oc) => oc.column('name').doUpdateSet(c))
    .execute();
}

export async function profiles(db: Db, subjects: string[]): Promise<Map<string, StoredProfile>> {
  if (!subjects.length) return new Map();
  const rows = await db.selectFrom('rec_profiles').select(['subject', 'profile']).where('subject', 'in', subjects).execute();
  return new Map(rows.map((r) => [r.subject, r.profile]));
}

/** Many rows as one JSON parameter (as the events ingest does): one statement, one round trip. */
export async function saveProfiles(db: Db, rows: { subject: string; profile: StoredProfile }[]) {
  if (!rows.length) return;
  const json = JSON.stringify(rows.map((r) => ({ subject: r.subject, profile: r.profile, decayed_at: r.profile.at })));
  await sql`
    insert into rec_profiles (subject, profile, decayed_at, updated_at)
    select subject, profile, decayed_at, now() from json_to_recordset(${json}::json) as x(subject text, profile jsonb, decayed_at timestamptz)
    on conflict (subject) do update set profile = excluded.profile, decayed_at = excluded.decayed_at, updated_at = now()`.execute(db);
}

export async function addReads(db: Db, rows: { subject: string; item_id: string; read_at: string }[]) {
  if (!rows.length) return;
  await sql`
    insert into rec_reads (subject, item_id, read_at)
    select subject, item_id, read_at from json_to_recordset(${JSON.stringify(rows)}::json) as x(subject text, item_id uuid, read_at timestamptz)
    on conflict (subject, item_id) do update set read_at = greatest(rec_reads.read_at, excluded.read_at)`.execute(db);
}

/** The subjects' newest reads (up to `per` each). */
export async function recentReads(db: Db, subjects: string[], per: number): Promise<{ subject: string; item_id: string; read_at: Date }[]> {
  if (!subjects.length) return [];
  const { rows } = await sql<{ subject: string; item_id: string; read_at: Date }>`
    select s.subject, r.item_id, r.read_at from unnest(${subjects}::text[]) as s(subject)
    cross join lateral (select item_id, read_at from rec_reads where subject = s.subject order by read_at desc limit ${per}) r`.execute(db);
  return rows;
}

export async function readIds(db: Db, subjects: string[], limit: number): Promise<string[]> {
  if (!subjects.length) return [];
  const rows = await db.selectFrom('rec_reads').select('item_id').where('subject', 'in', subjects).orderBy('read_at', 'desc').limit(limit).execute();
  return rows.map((r) => r.item_id);
}

export async function addCoreads(db: Db, rows: { a: string; b: string; n: number }[]) {
  if (!rows.length) return;
  await sql`
    insert into rec_coreads (item_a, item_b, n)
    select a, b, n from json_to_recordset(${JSON.stringify(rows)}::json) as x(a uuid, b uuid, n real)
    on conflict (item_a, item_b) do update set n = rec_coreads.n + excluded.n`.execute(db);
}

/** The strongest co-read partners of each item (`per` each), through the (item_a, n desc) index. */
export async function coreadsFrom(db: Db, itemIds: string[], per: number): Promise<{ item_a: string; item_b: string; n: number }[]> {
  if (!itemIds.length) return [];
  const { rows } = await sql<{ item_a: string; item_b: string; n: number }>`
    select c.item_a, c.item_b, c.n from unnest(${itemIds}::uuid[]) as x(id)
    cross join lateral (select item_a, item_b, n from rec_coreads where item_a = x.id order by n desc limit ${per}) c`.execute(db);
  return rows;
}

/** Adds decayed read counts: the stored score is brought to the new time first. */
export async function addPopularity(db: Db, rows: { item_id: string; score: number; at: string }[], halfLifeHours: number) {
  if (!rows.length) return;
  await sql`
    insert into rec_popularity (item_id, score, decayed_at)
    select item_id, score, at from json_to_recordset(${JSON.stringify(rows)}::json) as x(item_id uuid, score real, at timestamptz)
    on conflict (item_id) do update set
      score = rec_popularity.score * power(2, -greatest(0, extract(epoch from excluded.decayed_at - rec_popularity.decayed_at)) / (${halfLifeHours}::float8 * 3600)) + excluded.score,
      decayed_at = greatest(rec_popularity.decayed_at, excluded.decayed_at)`.execute(db);
}

export async function popularity(db: Db, itemIds: string[]): Promise<{ item_id: string; score: number; decayed_at: Date }[]> {
  if (!itemIds.length) return [];
  // One array parameter, not a thousand: the list is a site's whole front page.
  const { rows } = await sql<{ item_id: string; score: number; decayed_at: Date }>`select item_id, score, decayed_at from rec_popularity where item_id = any(${itemIds}::uuid[])`.execute(db);
  return rows;
}

export function pinsOf(db: Db, unitId: string, now: Date) {
  return db
    .selectFrom('rec_pins')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at')
    .execute();
}

export function upsertPin(db: Db, pin: { unit_id: string; item_id: string; slot: number | null; note: string | null; created_by: string; expires_at: Date | null }) {
  const { unit_id: _u, item_id: _i, ...rest } = pin;
  return db
    .insertInto('rec_pins')
    .values(pin)
    .onConflict((oc) => oc.columns(['unit_id', 'item_id']).doUpdateSet({ ...rest, created_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deletePin(db: Db, unitId: string, itemId: string) {
  const r = await db.deleteFrom('rec_pins').where('unit_id', '=', unitId).where('item_id', '=', itemId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
