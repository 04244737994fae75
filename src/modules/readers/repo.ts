import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { IdSubquery } from '../../platform/db/tables.ts';
import type { ConsentPurpose, ContactChannel } from './tables.ts';

/** Every SQL statement about reader accounts (events live in events.repo.ts). */

export function findReader(db: Db, id: string) {
  return db.selectFrom('readers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findReaderByContact(db: Db, channel: ContactChannel, value: string) {
  return db.selectFrom('readers').selectAll().where(channel, '=', value).executeTakeFirst();
}

export function insertReader(
  db: Db,
  r: { displayName: string; phone: string | null; email: string | null; passwordHash: string | null; homeDivisionCode: string | null; interests: string[]; registeredUnitId: string },
) {
  return db
    .insertInto('readers')
    .values({
      display_name: r.displayName,
      phone: r.phone,
      email: r.email,
      password_hash: r.passwordHash,
      home_division_code: r.homeDivisionCode,
      interests: r.interests,
      registered_unit_id: r.registeredUnitId,
      last_login_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateReader(
  db: Db,
  id: string,
  fields: { display_name?: string; home_division_code?: string | null; interests?: string[]; password_hash?: string },
) {
  return db.updateTable('readers').set({ ...fields, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function noteLogin(db: Db, id: string) {
  return db.updateTable('readers').set({ last_login_at: new Date(), failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
}

export function noteFailedLogin(db: Db, id: string, failures: number, lockedUntil: Date | null) {
  return db.updateTable('readers').set({ failed_logins: failures, locked_until: lockedUntil }).where('id', '=', id).execute();
}

export function deleteReader(db: Db, id: string) {
  return db.deleteFrom('readers').where('id', '=', id).executeTakeFirst();
}

// Follows

export function listFollows(db: Db, readerId: string) {
  return db.selectFrom('reader_follows').select(['unit_id', 'created_at']).where('reader_id', '=', readerId).orderBy('created_at').execute();
}

export async function replaceFollows(db: Db, readerId: string, unitIds: string[]) {
  await db.deleteFrom('reader_follows').where('reader_id', '=', readerId).where((eb) => (unitIds.length ? eb('unit_id', 'not in', unitIds) : eb.lit(true))).execute();
  if (unitIds.length) {
    await db
      .insertInto('reader_follows')
      .values(unitIds.map((unit_id) => ({ reader_id: readerId, unit_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

// Consents

export function insertConsents(db: Db, readerId: string, rows: { purpose: ConsentPurpose; version: string; granted: boolean }[]) {
  if (!rows.length) return Promise.resolve([]);
  return db
    .insertInto('reader_consents')
    .values(rows.map((r) => ({ reader_id: readerId, ...r })))
    .returningAll()
    .execute();
}

export function consentHistory(db: Db, readerId: string) {
  return db.selectFrom('reader_consents').selectAll().where('reader_id', '=', readerId).orderBy('id').execute();
}

/** The consent in force per purpose: the newest row. */
export function currentConsents(db: Db, readerId: string) {
  return db
    .selectFrom('reader_consents')
    .distinctOn('purpose')
    .select(['purpose', 'granted', 'version', 'at'])
    .where('reader_id', '=', readerId)
    .orderBy('purpose')
    .orderBy('id', 'desc')
    .execute();
}

// Sessions

export function insertSession(db: Db, s: { idHash: string; readerId: string; csrfToken: string; expiresAt: Date }) {
  return db.insertInto('reader_sessions').values({ id_hash: s.idHash, reader_id: s.readerId, csrf_token: s.csrfToken, expires_at: s.expiresAt }).execute();
}

export function findLiveSession(db: Db, idHash: string) {
  return db.selectFrom('reader_sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', new Date()).executeTakeFirst();
}

export function deleteExpiredSessions(db: Db) {
  return db.deleteFrom('reader_sessions').where('expires_at', '<=', new Date()).executeTakeFirst();
}

export function deleteSession(db: Db, idHash: string) {
  return db.deleteFrom('reader_sessions').where('id_hash', '=', idHash).execute();
}

// One-time codes

export function latestCode(db: Db, destinationHash: string) {
  return db.selectFrom('reader_codes').selectAll().where('destination_hash', '=', destinationHash).orderBy('id', 'desc').executeTakeFirst();
}

export function insertCode(db: Db, c: { destinationHash: string; channel: ContactChannel; codeHash: string; expiresAt: Date }) {
  return db
    .insertInto('reader_codes')
    .values({ destination_hash: c.destinationHash, channel: c.channel, code_hash: c.codeHash, expires_at: c.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function bumpCodeAttempts(db: Db, id: string) {
  return db.updateTable('reader_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).returning('attempts').executeTakeFirstOrThrow();
}

export function consumeCode(db: Db, id: string) {
  return db.updateTable('reader_codes').set({ consumed_at: new Date() }).where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
}

export function deleteCodesFor(db: Db, destinationHashes: string[]) {
  if (!destinationHashes.length) return Promise.resolve();
  return db.deleteFrom('reader_codes').where('destination_hash', 'in', destinationHashes).execute().then(() => undefined);
}

/** Codes are worth nothing after a day; dropping them keeps even the digests from piling up. */
export function purgeOldCodes(db: Db, before: Date) {
  return db.deleteFrom('reader_codes').where('created_at', '<', before).execute();
}

// Code-sending limits: each decision is one statement, so a row lock settles every race between processes.

/**
 * Counts one more send in the current clock window of `seconds` for `key`, unless the count already
 * reached `cap`. The new count, or null when the window is full (nothing is counted then).
 */
export async function takeFromWindow(db: Db, key: string, seconds: number, cap: number): Promise<number | null> {
  const { rows } = await sql<{ n: number }>`
    insert into reader_code_limits as l (key, window_seconds, window_start, n, last_at)
    values (${key}, ${seconds}::int, to_timestamp(floor(extract(epoch from now()) / ${seconds}::int)::bigint * ${seconds}::int), 1, now())
    on conflict (key, window_seconds, window_start) do update set n = l.n + 1, last_at = now() where l.n < ${cap}::int
    returning n`.execute(db);
  return rows[0] ? Number(rows[0].n) : null;
}

/**
 * Marks a send to `key` unless the last one was less than `seconds` ago. Null when marked, else the
 * seconds still to wait.
 */
export async function takeSpacing(db: Db, key: string, seconds: number): Promise<number | null> {
  const { rows } = await sql<{ n: number }>`
    insert into reader_code_limits as l (key, window_seconds, window_start, n, last_at)
    values (${key}, 0, 'epoch', 1, now())
    on conflict (key, window_seconds, window_start) do update set n = l.n + 1, last_at = now()
      where l.last_at <= now() - make_interval(secs => ${seconds}::int)
    returning n`.execute(db);
  if (rows[0]) return null;
  const wait = await sql<{ s: number }>`
    select ceil(extract(epoch from last_at + make_interval(secs => ${seconds}::int) - now()))::int as s
    from reader_code_limits where key = ${key} and window_seconds = 0`.execute(db);
  return Math.max(1, Number(wait.rows[0]?.s ?? seconds));
}

/** True for the first caller in the current window only: one alert per trip, however many are refused. */
export async function markOnce(db: Db, key: string, seconds: number): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    insert into reader_code_limits (key, window_seconds, window_start, n, last_at)
    values (${key}, ${seconds}::int, to_timestamp(floor(extract(epoch from now()) / ${seconds}::int)::bigint * ${seconds}::int), 1, now())
    on conflict do nothing
    returning n`.execute(db);
  return rows.length > 0;
}

/** The count so far in the current window of `seconds` (0 when nothing was counted). */
export async function windowCount(db: Db, key: string, seconds: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select n from reader_code_limits
    where key = ${key} and window_seconds = ${seconds}::int
      and window_start = to_timestamp(floor(extract(epoch from now()) / ${seconds}::int)::bigint * ${seconds}::int)`.execute(db);
  return rows[0] ? Number(rows[0].n) : 0;
}

export function deleteLimitsFor(db: Db, keys: string[]) {
  if (!keys.length) return Promise.resolve();
  return db.deleteFrom('reader_code_limits').where('key', 'in', keys).execute().then(() => undefined);
}

/** A row untouched for two days belongs to a window long closed. */
export function purgeOldLimits(db: Db, before: Date) {
  return db.deleteFrom('reader_code_limits').where('last_at', '<', before).executeTakeFirst();
}

export function insertChallenge(db: Db, c: { id: string; difficulty: number; expiresAt: Date }) {
  return db.insertInto('reader_code_challenges').values({ id: c.id, difficulty: c.difficulty, expires_at: c.expiresAt }).execute();
}

/** Spends a live, unused challenge; its difficulty, or undefined when it is unknown, used or expired. */
export function useChallenge(db: Db, id: string) {
  return db
    .updateTable('reader_code_challenges')
    .set({ used_at: new Date() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('difficulty')
    .executeTakeFirst();
}

export function purgeChallenges(db: Db, before: Date) {
  return db.deleteFrom('reader_code_challenges').where('expires_at', '<', before).executeTakeFirst();
}

// Devices

export function linkDevice(db: Db, deviceId: string, readerId: string) {
  return db
    .insertInto('reader_devices')
    .values({ device_id: deviceId, reader_id: readerId })
    .onConflict((oc) => oc.column('device_id').doUpdateSet({ reader_id: readerId, linked_at: new Date() }))
    .execute();
}

export function listDevices(db: Db, readerId: string) {
  return db.selectFrom('reader_devices').select(['device_id', 'linked_at']).where('reader_id', '=', readerId).execute();
}

// Staff views: aggregates over a scope of readers

/** Readers registered at, or following, one of the given units. */
export function readersInUnits(db: Db, unitIds: IdSubquery<'id'>) {
  return db
    .selectFrom('readers as r')
    .select('r.id')
    .where((eb) =>
      eb.or([
        eb('r.registered_unit_id', 'in', unitIds),
        eb.exists(eb.selectFrom('reader_follows as f').select('f.reader_id').whereRef('f.reader_id', '=', 'r.id').where('f.unit_id', 'in', unitIds)),
      ]),
    );
}

export async function countReaders(db: Db, scope: IdSubquery<'id'> | null) {
  const row = await db
    .selectFrom('readers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .$if(!!scope, (q) => q.where('id', 'in', readersInUnits(db, scope!)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countByDivision(db: Db, scope: IdSubquery<'id'> | null) {
  const rows = await db
    .selectFrom('readers')
    .select(['home_division_code', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(!!scope, (q) => q.where('id', 'in', readersInUnits(db, scope!)))
    .groupBy('home_division_code')
    .execute();
  return rows.map((r) => ({ code: r.home_division_code, count: Number(r.n) }));
}

export async function countByRegisteredUnit(db: Db, scope: IdSubquery<'id'> | null) {
  const rows = await db
    .selectFrom('readers')
    .select(['registered_unit_id', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(!!scope, (q) => q.where('id', 'in', readersInUnits(db, scope!)))
    .groupBy('registered_unit_id')
    .execute();
  return rows.map((r) => ({ unitId: r.registered_unit_id, count: Number(r.n) }));
}

export async function countFollowers(db: Db, scope: IdSubquery<'id'> | null) {
  const rows = await db
    .selectFrom('reader_follows')
    .select(['unit_id', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(!!scope, (q) => q.where('unit_id', 'in', scope!))
    .groupBy('unit_id')
    .execute();
  return rows.map((r) => ({ unitId: r.unit_id, count: Number(r.n) }));
}

/** Readers whose consent in force for each purpose is a grant. */
export async function countConsents(db: Db, scope: IdSubquery<'id'> | null) {
  const current = db
    .selectFrom('reader_consents')
    .distinctOn(['reader_id', 'purpose'])
    .select(['reader_id', 'purpose', 'granted'])
    .$if(!!scope, (q) => q.where('reader_id', 'in', readersInUnits(db, scope!)))
    .orderBy('reader_id')
    .orderBy('purpose')
    .orderBy('id', 'desc')
    .as('c');
  const rows = await db
    .selectFrom(current)
    .select(['c.purpose', sql<number>`count(*) filter (where c.granted)`.as('granted'), sql<number>`count(*) filter (where not c.granted)`.as('withdrawn')])
    .groupBy('c.purpose')
    .execute();
  return rows.map((r) => ({ purpose: r.purpose, granted: Number(r.granted), withdrawn: Number(r.withdrawn) }));
}
