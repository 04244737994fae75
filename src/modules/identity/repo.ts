import { sql } from 'kysely';
import type { AuditMeta, AuditEntry } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { IdSubquery } from '../../platform/db/tables.ts';
import { SYSTEM_USER_ID } from './system.ts';
import type { SessionRestriction } from './tables.ts';

/** Every SQL statement of the identity module. */

const userColumns = ['id', 'username', 'display_name', 'active', 'last_login_at', 'created_at', 'updated_at'] as const;

export function findUserByUsername(db: Db, username: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export function findUser(db: Db, id: string) {
  return db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
}

/** People, that is: the platform's own system account does not count. */
export function countUsers(db: Db) {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', '<>', SYSTEM_USER_ID)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function listUsersIn(
  db: Db,
  ids: IdSubquery<'user_id'>,
  opts: { q?: string; limit: number; offset: number },
) {
  return db
    .selectFrom('users')
    .select(userColumns)
    .where('id', 'in', ids)
    .$if(!!opts.q, (qb) =>
      qb.where((eb) =>
        eb.or([eb('username', 'ilike', `%${escapeLike(opts.q!)}%`), eb('display_name', 'ilike', `%${escapeLike(opts.q!)}%`)]),
      ),
    )
    .orderBy('username')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function insertUser(db: Db, user: { username: string; displayName: string; passwordHash: string }) {
  return db
    .insertInto('users')
    .values({ username: user.username, display_name: user.displayName, password_hash: user.passwordHash })
    .returning(userColumns)
    .executeTakeFirstOrThrow();
}

export function updateUser(db: Db, id: string, fields: { display_name?: string; active?: boolean; password_hash?: string }) {
  return db
    .updateTable('users')
    .set({ ...fields, updated_at: new Date() })
    .where('id', '=', id)
    .returning(userColumns)
    .executeTakeFirstOrThrow();
}

export function touchLogin(db: Db, id: string) {
  return db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', id).execute();
}

// Password state and the second factor (issue 11)

export function findCredentials(db: Db, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'active', 'must_change_password', 'password_changed_at', 'mfa_required_since'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function setPassword(db: Db, id: string, passwordHash: string, mustChange: boolean) {
  return db
    .updateTable('users')
    .set({ password_hash: passwordHash, must_change_password: mustChange, password_changed_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export function setMfaRequiredSince(db: Db, id: string, since: Date | null) {
  return db.updateTable('users').set({ mfa_required_since: since }).where('id', '=', id).execute();
}

export function setSessionRestriction(db: Db, idHash: string, restriction: SessionRestriction | null) {
  return db.updateTable('sessions').set({ restriction }).where('id_hash', '=', idHash).execute();
}

export function deleteOtherSessions(db: Db, userId: string, keepIdHash: string) {
  return db.deleteFrom('sessions').where('user_id', '=', userId).where('id_hash', '<>', keepIdHash).execute();
}

export function findSecurityPolicy(db: Db, rootUnitId: string) {
  return db.selectFrom('staff_security_policy').selectAll().where('root_unit_id', '=', rootUnitId).executeTakeFirst();
}

export function upsertSecurityPolicy(
  db: Db,
  row: { root_unit_id: string; password_max_age_days: number; mfa_roles: string[]; mfa_grace_days: number; updated_by: string },
) {
  const values = { ...row, updated_at: new Date() };
  return db
    .insertInto('staff_security_policy')
    .values(values)
    .onConflict((oc) => oc.column('root_unit_id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findMfa(db: Db, userId: string) {
  return db.selectFrom('staff_mfa').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** A new, unconfirmed secret replaces any earlier unconfirmed one; a confirmed one is never overwritten here. */
export function putPendingMfa(db: Db, userId: string, secretSealed: string) {
  return db
    .insertInto('staff_mfa')
    .values({ user_id: userId, secret_sealed: secretSealed })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ secret_sealed: secretSealed, last_step: null, created_at: new Date() }).where('staff_mfa.confirmed_at', 'is', null),
    )
    .returning('user_id')
    .executeTakeFirst();
}

/**
 * Accepts a TOTP time step only if it is later than the last one accepted, in one statement: the same
 * code (or an older one) sent twice, even at once, passes at most once.
 */
export function claimTotpStep(db: Db, userId: string, step: number, confirm: boolean) {
  return db
    .updateTable('staff_mfa')
    .set({ last_step: step, ...(confirm ? { confirmed_at: new Date() } : {}) })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', String(step))]))
    .returning('user_id')
    .executeTakeFirst();
}

export function deleteMfa(db: Db, userId: string) {
  return Promise.all([
    db.deleteFrom('staff_mfa').where('user_id', '=', userId).executeTakeFirst(),
    db.deleteFrom('staff_recovery_codes').where('user_id', '=', userId).execute(),
    db.deleteFrom('login_challenges').where('user_id', '=', userId).execute(),
  ]).then(([mfa]) => Number(mfa.numDeletedRows) > 0);
}

export async function replaceRecoveryCodes(db: Db, userId: string, codeHashes: string[]) {
  await db.deleteFrom('staff_recovery_codes').where('user_id', '=', userId).execute();
  await db.insertInto('staff_recovery_codes').values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash }))).execute();
}

export function useRecoveryCode(db: Db, userId: string, codeHash: string) {
  return db
    .updateTable('staff_recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('code_hash')
    .executeTakeFirst();
}

export function countUnusedRecoveryCodes(db: Db, userId: string) {
  return db
    .selectFrom('staff_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function insertChallenge(db: Db, c: { idHash: string; userId: string; ip: string; expiresAt: Date }) {
  return db.insertInto('login_challenges').values({ id_hash: c.idHash, user_id: c.userId, ip: c.ip, expires_at: c.expiresAt }).execute();
}

/** Counts one guess against a live challenge in the same statement that finds it. */
export function countChallengeAttempt(db: Db, idHash: string) {
  return db
    .updateTable('login_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', new Date())
    .returning(['user_id', 'attempts'])
    .executeTakeFirst();
}

export function deleteChallenge(db: Db, idHash: string) {
  return db.deleteFrom('login_challenges').where('id_hash', '=', idHash).execute();
}

export function deleteExpiredChallenges(db: Db) {
  return db.deleteFrom('login_challenges').where('expires_at', '<', new Date()).execute();
}

// Sessions

export function insertSession(
  db: Db,
  s: { idHash: string; userId: string; unitId: string; csrfToken: string; ip?: string; userAgent?: string; expiresAt: Date; restriction?: SessionRestriction | null },
) {
  return db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      active_unit_id: s.unitId,
      csrf_token: s.csrfToken,
      ip: s.ip ?? null,
      user_agent: s.userAgent?.slice(0, 300) ?? null,
      expires_at: s.expiresAt,
      restriction: s.restriction ?? null,
    })
    .execute();
}

export function findLiveSession(db: Db, idHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id_hash', 's.user_id', 's.active_unit_id', 's.csrf_token', 's.expires_at', 's.restriction'])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', new Date())
    .where('u.active', '=', true)
    .executeTakeFirst();
}

/** Switches the session's unit and remembers it on the account, for the next sign-in. */
export async function setSessionUnit(db: Db, s: { idHash: string; userId: string; unitId: string }) {
  await db.updateTable('sessions').set({ active_unit_id: s.unitId }).where('id_hash', '=', s.idHash).execute();
  await db.updateTable('users').set({ last_unit_id: s.unitId }).where('id', '=', s.userId).execute();
}

export async function lastUnit(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('last_unit_id').where('id', '=', userId).executeTakeFirst();
  return row?.last_unit_id ?? null;
}

export function deleteSession(db: Db, idHash: string) {
  return db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export function deleteSessionsOf(db: Db, userId: string) {
  return db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export function deleteExpiredSessions(db: Db) {
  return db.deleteFrom('sessions').where('expires_at', '<', new Date()).executeTakeFirst();
}

// API tokens

export function insertToken(
  db: Db,
  t: { unitId: string; userId: string; name: string; tokenHash: string; prefix: string; expiresAt: Date | null },
) {
  return db
    .insertInto('api_tokens')
    .values({ unit_id: t.unitId, user_id: t.userId, name: t.name, token_hash: t.tokenHash, prefix: t.prefix, expires_at: t.expiresAt })
    .returning(['id', 'unit_id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at'])
    .executeTakeFirstOrThrow();
}

export function listTokens(db: Db, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'unit_id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export function findLiveToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.unit_id', 't.user_id'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', new Date())]))
    .where('u.active', '=', true)
    .executeTakeFirst();
}

export function markTokenUsed(db: Db, id: string) {
  return db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

export function revokeToken(db: Db, userId: string, id: string) {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'unit_id', 'name', 'prefix'])
    .executeTakeFirst();
}

// Login throttle

export interface ThrottleRule {
  /** Failures allowed before the first lock. */
  free: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
  /** A counter left alone this long (and not locked) starts again from one. */
  quietResetSeconds: number;
}

/** Seconds until the latest lock among these keys lifts, or null when none is in force. */
export async function lockedFor(db: Db, keys: string[]): Promise<number | null> {
  const row = await db
    .selectFrom('login_throttle')
    .select(sql<number>`ceil(extract(epoch from max(locked_until) - now()))`.as('seconds'))
    .where('key', 'in', keys)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.seconds == null ? null : Math.max(1, Number(row.seconds));
}

/**
 * One failure, counted in one statement: concurrent failures each see their own count, so a burst
 * cannot slip past the limit by reading the same old count. The lock doubles with every failure past
 * the free ones, capped.
 */
export async function noteLoginFailure(db: Db, key: string, rule: ThrottleRule) {
  const next = sql`case when t.updated_at < now() - make_interval(secs => ${rule.quietResetSeconds}::int)
      and (t.locked_until is null or t.locked_until < now()) then 1 else t.failures + 1 end`;
  const { rows } = await sql<{ failures: number; locked_until: Date | null }>`
    insert into login_throttle as t (key, failures, locked_until, updated_at)
    values (${key}, 1, case when ${rule.free}::int < 1 then now() + make_interval(secs => ${rule.baseLockSeconds}::int) end, now())
    on conflict (key) do update set
      failures = ${next},
      locked_until = case when ${next} > ${rule.free}::int
        then greatest(coalesce(t.locked_until, now()), now() + make_interval(secs => least(${rule.maxLockSeconds}::float8,
          ${rule.baseLockSeconds}::float8 * power(2, ${next} - ${rule.free}::int - 1))))
        else t.locked_until end,
      updated_at = now()
    returning failures, locked_until`.execute(db);
  return rows[0]!;
}

export function clearThrottle(db: Db, keys: string[]) {
  return db.deleteFrom('login_throttle').where('key', 'in', keys).execute();
}

// Audit log

export async function insertAudit(db: Db, meta: AuditMeta, entry: AuditEntry) {
  await db
    .insertInto('audit_log')
    .values({
      unit_id: entry.unitId,
      actor_user_id: meta.actorUserId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      request_id: meta.requestId ?? null,
      ip: meta.ip ?? null,
    })
    .execute();
}

export function listAudit(
  db: Db,
  unitIds: IdSubquery<'id'>,
  opts: { limit: number; beforeId?: number; unitId?: string; action?: string },
) {
  return db
    .selectFrom('audit_log as a')
    .innerJoin('units as un', 'un.id', 'a.unit_id')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select([
      'a.id',
      'a.at',
      'a.unit_id',
      'un.name as unit_name',
      'a.actor_user_id',
      'u.display_name as actor_name',
      'a.action',
      'a.target_type',
      'a.target_id',
      'a.before',
      'a.after',
      'a.request_id',
    ])
    .where('a.unit_id', 'in', unitIds)
    .$if(!!opts.unitId, (q) => q.where('a.unit_id', '=', opts.unitId!))
    .$if(!!opts.action, (q) => q.where('a.action', 'like', `${escapeLike(opts.action!)}%`))
    .$if(opts.beforeId !== undefined, (q) => q.where('a.id', '<', opts.beforeId!))
    .orderBy('a.id', 'desc')
    .limit(opts.limit)
    .execute();
}

// Audit hash chain. The sealer alone writes the chain columns, always under this advisory lock, so two
// sealers (two server processes, or a server and `tianfu audit seal`) never hand out the same seq.
const AUDIT_CHAIN_LOCK = 7_341_902_117;

export async function lockAuditChain(trx: Db) {
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)`.execute(trx);
}

const chainFields = [
  'a.id',
  'a.unit_id',
  // Microseconds in UTC: what the database stores, whatever the session's time zone or the driver's Date.
  sql<string>`to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_text'),
  'a.actor_user_id',
  'a.action',
  'a.target_type',
  'a.target_id',
  // jsonb's own normalised text: stable across drivers, unlike a parse and re-stringify in JavaScript.
  sql<string | null>`a.before::text`.as('before_text'),
  sql<string | null>`a.after::text`.as('after_text'),
  'a.request_id',
  'a.ip',
] as const;

export function unsealedAudit(db: Db, limit: number) {
  return db.selectFrom('audit_log as a').select(chainFields).where('a.chain_seq', 'is', null).orderBy('a.id').limit(limit).execute();
}

export function sealedAuditPage(db: Db, afterSeq: number, limit: number) {
  return db
    .selectFrom('audit_log as a')
    .select([...chainFields, 'a.chain_seq', 'a.chain_alg', 'a.chain_prev', 'a.chain_hash'])
    .where('a.chain_seq', '>', afterSeq)
    .orderBy('a.chain_seq')
    .limit(limit)
    .execute() as Promise<(Awaited<ReturnType<typeof unsealedAudit>>[number] & { chain_seq: number; chain_alg: string | null; chain_prev: string | null; chain_hash: string | null })[]>;
}

export function auditChainHead(db: Db) {
  return db.selectFrom('audit_chain_head').select(['seq', 'hash', 'sealed_at']).executeTakeFirst();
}

export function auditChainTail(db: Db) {
  return db
    .selectFrom('audit_log')
    .select(['chain_seq', 'chain_hash'])
    .where('chain_seq', 'is not', null)
    .orderBy('chain_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function latestAuditAnchor(db: Db) {
  return db.selectFrom('audit_chain_anchors').selectAll().orderBy('through_seq', 'desc').limit(1).executeTakeFirst();
}

/** Writes the chain columns of a batch in one statement; only rows still unsealed are touched. */
export async function sealAuditRows(trx: Db, rows: { unit_id: string; id: number; seq: number; alg: string; prev: string; hash: string }[]) {
  if (!rows.length) return 0;
  const values = sql.join(rows.map((r) => sql`(${r.unit_id}::uuid, ${r.id}::bigint, ${r.seq}::bigint, ${r.alg}, ${r.prev}, ${r.hash})`));
  const res = await sql`
    update audit_log a set chain_seq = v.seq, chain_alg = v.alg, chain_prev = v.prev, chain_hash = v.hash
    from (values ${values}) as v(unit_id, id, seq, alg, prev, hash)
    where a.unit_id = v.unit_id and a.id = v.id and a.chain_seq is null`.execute(trx);
  const last = rows.at(-1)!;
  await trx
    .insertInto('audit_chain_head')
    .values({ seq: last.seq, hash: last.hash })
    .onConflict((oc) => oc.column('only_row').doUpdateSet({ seq: last.seq, hash: last.hash, sealed_at: new Date() }))
    .execute();
  return Number(res.numAffectedRows ?? 0);
}

/** Counts for the verification report: how much is sealed, unsealed, and unsealed for too long. */
export async function auditChainCounts(db: Db, afterSeq: number, unsealedOlderThan: Date) {
  const row = await db
    .selectFrom('audit_log')
    .select([
      sql<number>`count(*) filter (where chain_seq > ${afterSeq})`.as('sealed'),
      sql<number>`count(*) filter (where chain_seq <= ${afterSeq})`.as('below_anchor'),
      sql<number>`count(*) filter (where chain_seq is null)`.as('unsealed'),
      sql<number>`count(*) filter (where chain_seq is null and at < ${unsealedOlderThan})`.as('stale'),
      sql<Date | null>`min(at) filter (where chain_seq is null)`.as('oldest_unsealed'),
      sql<number>`count(*) filter (where chain_seq is null and (chain_hash is not null or chain_prev is not null or chain_alg is not null))`.as('half_sealed'),
    ])
    .executeTakeFirstOrThrow();
  return { ...row, sealed: Number(row.sealed), below_anchor: Number(row.below_anchor), unsealed: Number(row.unsealed), stale: Number(row.stale), half_sealed: Number(row.half_sealed) };
}

export function auditRowsBelowAnchor(db: Db, throughSeq: number, limit: number) {
  return db.selectFrom('audit_log').select(['id', 'unit_id', 'chain_seq']).where('chain_seq', '<=', throughSeq).orderBy('chain_seq').limit(limit).execute();
}

export function halfSealedAudit(db: Db, limit: number) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'unit_id'])
    .where('chain_seq', 'is', null)
    .where((eb) => eb.or([eb('chain_hash', 'is not', null), eb('chain_prev', 'is not', null), eb('chain_alg', 'is not', null)]))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * The last seq the retention purge may remove: the chain is cut only at its old end, before the first
 * row still inside the window, so what stays is one unbroken chain from the anchor on.
 */
export async function auditPurgeBoundary(trx: Db, cutoff: Date): Promise<number | null> {
  const row = await trx
    .selectFrom('audit_log')
    .select([
      sql<number | null>`min(chain_seq) filter (where at >= ${cutoff})`.as('first_kept'),
      sql<number | null>`max(chain_seq)`.as('last_sealed'),
    ])
    .where('chain_seq', 'is not', null)
    .executeTakeFirstOrThrow();
  if (row.first_kept !== null) return Number(row.first_kept) - 1;
  return row.last_sealed === null ? null : Number(row.last_sealed);
}

export async function purgeAuditThrough(trx: Db, throughSeq: number, throughHash: string, cutoff: Date): Promise<number> {
  const res = await trx.deleteFrom('audit_log').where('chain_seq', '<=', throughSeq).executeTakeFirst();
  const purged = Number(res.numDeletedRows);
  await trx.insertInto('audit_chain_anchors').values({ through_seq: throughSeq, through_hash: throughHash, purged, cutoff }).execute();
  return purged;
}
