import { sql } from 'kysely';
import type { AuditMeta, AuditEntry } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { IdSubquery } from '../../platform/db/tables.ts';
import { SYSTEM_USER_ID } from './system.ts';

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

// Sessions

export function insertSession(
  db: Db,
  s: { idHash: string; userId: string; unitId: string; csrfToken: string; ip?: string; userAgent?: string; expiresAt: Date },
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
    })
    .execute();
}

export function findLiveSession(db: Db, idHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id_hash', 's.user_id', 's.active_unit_id', 's.csrf_token', 's.expires_at'])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', new Date())
    .where('u.active', '=', true)
    .executeTakeFirst();
}

export function setSessionUnit(db: Db, idHash: string, unitId: string) {
  return db.updateTable('sessions').set({ active_unit_id: unitId }).where('id_hash', '=', idHash).execute();
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

export function findThrottle(db: Db, key: string) {
  return db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
}

export function recordFailure(db: Db, key: string, failures: number, lockedUntil: Date | null) {
  return db
    .insertInto('login_throttle')
    .values({ key, failures, locked_until: lockedUntil })
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures, locked_until: lockedUntil, updated_at: new Date() }))
    .execute();
}

export function clearThrottle(db: Db, key: string) {
  return db.deleteFrom('login_throttle').where('key', '=', key).execute();
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
