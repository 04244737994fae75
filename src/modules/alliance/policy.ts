import type { Role } from './roles.ts';

/**
 * 谁能做什么: every permission decision of the platform is made here, from the caller's active
 * membership (the unit chosen in the unit switcher) and where the target sits in the unit tree.
 */
export interface Actor {
  userId: string;
  unitId: string;
  /** The active unit's path from the root (ids joined by '/'), for subtree checks. */
  unitPath: string;
  role: Role;
}

export interface UnitPlace {
  id: string;
  path: string;
}

export type Action =
  | 'unit.create' // add a child unit under the target
  | 'unit.update' // rename, move or deactivate the target
  | 'user.read' // see the target unit's staff
  | 'user.manage' // add staff to the target unit, change roles, deactivate
  | 'audit.read';

export const isWithin = (unit: UnitPlace, ancestor: UnitPlace) =>
  unit.id === ancestor.id || unit.path.startsWith(`${ancestor.path}/`);

const activeUnit = (actor: Actor): UnitPlace => ({ id: actor.unitId, path: actor.unitPath });

export function can(actor: Actor, action: Action, target: UnitPlace): boolean {
  const inSubtree = isWithin(target, activeUnit(actor));
  switch (actor.role) {
    case 'alliance_admin':
      return inSubtree;
    case 'unit_admin':
      if (action === 'unit.update') return inSubtree && target.id !== actor.unitId;
      return inSubtree;
    case 'supervisor':
      return inSubtree && (action === 'user.read' || action === 'audit.read');
    case 'chief_editor':
    case 'editor':
    case 'reporter':
      return action === 'user.read' && target.id === actor.unitId;
  }
}

/** Roles an actor may hand out: never more than its own, and oversight roles only from the alliance admin. */
export function canGrant(actor: Actor, role: Role): boolean {
  if (actor.role === 'alliance_admin') return true;
  if (actor.role === 'unit_admin') return role !== 'supervisor' && role !== 'alliance_admin';
  return false;
}

/** Account-wide changes (rename, deactivate, reset a password) need the right to manage every unit the person is in. */
export function canManageAccount(actor: Actor, accountUnits: readonly UnitPlace[]): boolean {
  return accountUnits.every((u) => can(actor, 'user.manage', u));
}

/**
 * Adding an existing account to a unit it is not yet in, without the person's consent: only for an admin
 * who manages every unit the account already belongs to. Anyone else sends an invitation the person
 * accepts. An account left with no unit at all belongs to nobody's subtree but the root's.
 */
export function canAttachDirectly(actor: Actor, accountUnits: readonly UnitPlace[]): boolean {
  if (accountUnits.length === 0) return actor.role === 'alliance_admin' && !actor.unitPath.includes('/');
  return canManageAccount(actor, accountUnits);
}

/** Invitations into a unit are sent, listed and cancelled by those who manage its staff. */
export const canInvite = (actor: Actor, unit: UnitPlace, role: Role) => can(actor, 'user.manage', unit) && canGrant(actor, role);

/** Where the actor may look for staff or audit rows: its unit alone, or its whole subtree. */
export interface ReadScope {
  unit: UnitPlace;
  subtree: boolean;
}

export function staffReadScope(actor: Actor): ReadScope {
  const oversees = actor.role === 'alliance_admin' || actor.role === 'unit_admin' || actor.role === 'supervisor';
  return { unit: activeUnit(actor), subtree: oversees };
}

export function auditReadScope(actor: Actor): ReadScope | null {
  return can(actor, 'audit.read', activeUnit(actor)) ? { unit: activeUnit(actor), subtree: true } : null;
}

/** The audit hash chain spans every unit's rows, so only the root's overseers may check it whole. */
export function canVerifyAuditChain(actor: Actor): boolean {
  return (actor.role === 'alliance_admin' || actor.role === 'supervisor') && !actor.unitPath.includes('/');
}
