import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { ReadScope } from '../../policies/index.ts';
import type { Role, UnitKind } from './roles.ts';
import type { InvitationStatus, UnitRow } from './tables.ts';

/** Every SQL statement of the alliance module. */

export interface UnitWithCount extends UnitRow {
  member_count: number;
}

export interface UnitFilter {
  kind?: UnitKind;
  parentId?: string;
  includeInactive?: boolean;
}

export async function listUnits(db: Db, filter: UnitFilter): Promise<UnitWithCount[]> {
  // One grouped count joined in, rather than a count per unit row.
  const counts = db
    .selectFrom('memberships as m')
    .innerJoin('users', 'users.id', 'm.user_id')
    .where('users.active', '=', true)
    .select(['m.unit_id', (e) => e.fn.countAll<number>().as('n')])
    .groupBy('m.unit_id')
    .as('c');
  let q = db
    .selectFrom('units as u')
    .leftJoin(counts, 'c.unit_id', 'u.id')
    .selectAll('u')
    .select(sql<number>`coalesce(c.n, 0)`.as('member_count'))
    .orderBy('u.depth')
    .orderBy(sql`u.division_code nulls last`)
    .orderBy('u.name');
  if (filter.kind) q = q.where('u.kind', '=', filter.kind);
  if (filter.parentId) q = q.where('u.parent_id', '=', filter.parentId);
  if (!filter.includeInactive) q = q.where('u.active', '=', true);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, member_count: Number(r.member_count) }));
}

export function findUnit(db: Db, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUnitByDivisionCode(db: Db, code: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('division_code', '=', code).executeTakeFirst();
}

export function findSiblingByName(db: Db, parentId: string, name: string, exceptId?: string) {
  return db
    .selectFrom('units')
    .select('id')
    .where('parent_id', '=', parentId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .$if(!!exceptId, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
}

export function findRoot(db: Db): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('parent_id', 'is', null).executeTakeFirst();
}

export interface NewUnit {
  id?: string;
  parentId: string | null;
  parentPath: string | null;
  parentDepth: number;
  kind: UnitKind;
  name: string;
  divisionCode?: string | null;
  divisionName?: string | null;
}

export async function insertUnit(db: Db, unit: NewUnit): Promise<UnitRow> {
  const id = unit.id ?? crypto.randomUUID();
  return db
    .insertInto('units')
    .values({
      id,
      parent_id: unit.parentId,
      kind: unit.kind,
      name: unit.name,
      division_code: unit.divisionCode ?? null,
      division_name: unit.divisionName ?? null,
      path: unit.parentPath ? `${unit.parentPath}/${id}` : id,
      depth: unit.parentId ? unit.parentDepth + 1 : 0,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateUnitFields(db: Db, id: string, fields: { name?: string; active?: boolean }) {
  return db
    .updateTable('units')
    .set({ ...fields, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Re-roots a unit and its whole subtree under a new parent, keeping paths and depths true. */
export async function moveSubtree(db: Db, unit: UnitRow, newParent: UnitRow): Promise<void> {
  const newPath = `${newParent.path}/${unit.id}`;
  const depthShift = newParent.depth + 1 - unit.depth;
  await db
    .updateTable('units')
    .set({
      path: sql`${newPath} || substr(path, ${unit.path.length + 1})`,
      depth: sql`depth + ${depthShift}`,
      updated_at: new Date(),
    })
    .where((eb) => eb.or([eb('id', '=', unit.id), eb('path', 'like', `${unit.path}/%`)]))
    .execute();
  await db.updateTable('units').set({ parent_id: newParent.id }).where('id', '=', unit.id).execute();
}

export async function countActiveChildren(db: Db, unitId: string): Promise<number> {
  const row = await db
    .selectFrom('units')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', unitId)
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface MembershipWithUnit {
  unit_id: string;
  user_id: string;
  role: Role;
  unit_name: string;
  unit_path: string;
  unit_kind: UnitKind;
  unit_active: boolean;
}

export function membershipsOf(db: Db, userIds: string[]): Promise<MembershipWithUnit[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('memberships as m')
    .innerJoin('units as u', 'u.id', 'm.unit_id')
    .select(['m.unit_id', 'm.user_id', 'm.role', 'u.name as unit_name', 'u.path as unit_path', 'u.kind as unit_kind', 'u.active as unit_active'])
    .where('m.user_id', 'in', userIds)
    .orderBy('u.depth')
    .orderBy('u.name')
    .execute();
}

/** Active staff of a unit holding one of the roles: who to notify, who may act at a review level. */
export function membersWithRoles(db: Db, unitId: string, roles: readonly Role[]) {
  if (!roles.length) return Promise.resolve([]);
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.role', 'u.display_name', 'u.username'])
    .where('m.unit_id', '=', unitId)
    .where('m.role', 'in', [...roles])
    .where('u.active', '=', true)
    .execute();
}

export async function displayName(db: Db, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
  return row?.display_name;
}

export function findMembership(db: Db, userId: string, unitId: string) {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('user_id', '=', userId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
}

export async function upsertMembership(db: Db, userId: string, unitId: string, role: Role) {
  await db
    .insertInto('memberships')
    .values({ user_id: userId, unit_id: unitId, role })
    .onConflict((oc) => oc.columns(['unit_id', 'user_id']).doUpdateSet({ role }))
    .execute();
}

export async function deleteMembership(db: Db, userId: string, unitId: string): Promise<boolean> {
  const res = await db.deleteFrom('memberships').where('user_id', '=', userId).where('unit_id', '=', unitId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Ids of users with a membership somewhere in the scope: the tenancy filter for staff lists. */
export function usersInScope(db: Db, scope: ReadScope, unitId?: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('units as u', 'u.id', 'm.unit_id')
    .select('m.user_id')
    .distinct()
    .$if(!!unitId, (q) => q.where('m.unit_id', '=', unitId!))
    .where((eb) =>
      scope.subtree
        ? eb.or([eb('u.id', '=', scope.unit.id), eb('u.path', 'like', `${scope.unit.path}/%`)])
        : eb('u.id', '=', scope.unit.id),
    );
}

export function staffByUsernames(db: Db, scope: ReadScope, usernames: string[]) {
  return db
    .selectFrom('users as usr')
    .select(['usr.id', 'usr.username', 'usr.display_name'])
    .where(sql<string>`lower(usr.username)`, 'in', usernames.map((u) => u.toLowerCase()))
    .where('usr.id', 'in', usersInScope(db, scope))
    .execute();
}

/** Unit ids within a scope, as a sub-query for other modules' tenant filters. */
export function unitIdsInScope(db: Db, scope: ReadScope) {
  return db
    .selectFrom('units as u')
    .select('u.id')
    .where((eb) =>
      scope.subtree
        ? eb.or([eb('u.id', '=', scope.unit.id), eb('u.path', 'like', `${scope.unit.path}/%`)])
        : eb('u.id', '=', scope.unit.id),
    );
}

// Invitations to join a unit

export interface InvitationView {
  id: string;
  unit_id: string;
  unit_name: string;
  unit_path: string;
  unit_active: boolean;
  user_id: string;
  username: string;
  role: Role;
  status: InvitationStatus;
  invited_by_name: string | null;
  created_at: Date;
  expires_at: Date;
}

function selectInvitations(db: Db) {
  return db
    .selectFrom('membership_invitations as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .innerJoin('users as invitee', 'invitee.id', 'i.user_id')
    .leftJoin('users as inviter', 'inviter.id', 'i.invited_by')
    .select([
      'i.id',
      'i.unit_id',
      'u.name as unit_name',
      'u.path as unit_path',
      'u.active as unit_active',
      'i.user_id',
      'invitee.username',
      'i.role',
      'i.status',
      'inviter.display_name as invited_by_name',
      'i.created_at',
      'i.expires_at',
    ]);
}

export function findInvitation(db: Db, id: string): Promise<InvitationView | undefined> {
  return selectInvitations(db).where('i.id', '=', id).executeTakeFirst() as Promise<InvitationView | undefined>;
}

/** Pending, unexpired invitations of one person, newest first. */
export function pendingInvitationsOf(db: Db, userId: string): Promise<InvitationView[]> {
  return selectInvitations(db)
    .where('i.user_id', '=', userId)
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', new Date())
    .orderBy('i.created_at', 'desc')
    .execute() as Promise<InvitationView[]>;
}

/** Pending, unexpired invitations into the units of a scope: what an admin has sent and may cancel. */
export function pendingInvitationsIn(db: Db, scope: ReadScope, limit: number): Promise<InvitationView[]> {
  return selectInvitations(db)
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', new Date())
    .where('i.unit_id', 'in', unitIdsInScope(db, scope))
    .orderBy('i.created_at', 'desc')
    .limit(limit)
    .execute() as Promise<InvitationView[]>;
}

/** Marks a pending invitation past its date as expired, so a new one may be sent. */
export async function expireStaleInvitations(db: Db, unitId: string, userId: string) {
  await db
    .updateTable('membership_invitations')
    .set({ status: 'expired' })
    .where('unit_id', '=', unitId)
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .where('expires_at', '<=', new Date())
    .execute();
}

/** Inserts a pending invitation; undefined when one is already pending for the unit and person. */
export function insertInvitation(db: Db, i: { unitId: string; userId: string; role: Role; invitedBy: string; expiresAt: Date }) {
  return db
    .insertInto('membership_invitations')
    .values({ unit_id: i.unitId, user_id: i.userId, role: i.role, invited_by: i.invitedBy, expires_at: i.expiresAt })
    .onConflict((oc) => oc.columns(['unit_id', 'user_id']).where('status', '=', 'pending').doNothing())
    .returning(['id'])
    .executeTakeFirst();
}

/** Closes a pending invitation; undefined when it was no longer pending (decided by someone else first). */
export function closeInvitation(db: Db, unitId: string, id: string, status: Exclude<InvitationStatus, 'pending'>) {
  return db
    .updateTable('membership_invitations')
    .set({ status, decided_at: new Date() })
    .where('unit_id', '=', unitId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning(['id', 'role'])
    .executeTakeFirst();
}
