import type { Role } from '../modules/alliance/roles.ts';
import { allow } from './access.ts';
import { type Actor, type UnitPlace, activeUnit } from './actor.ts';
import { NEWSROOM, OVERSEERS, OVERSIGHT } from './roles.ts';
import { actsAtRoot, inActorSubtree } from './tree.ts';

/**
 * 联合体与人员: the unit tree and its staff. Admins manage their subtree (a unit admin not its own unit's
 * place in the tree); supervisors read staff and audit in their subtree; newsroom staff see their own
 * unit's colleagues.
 */

const admin = (actor: Actor) => actor.role === 'alliance_admin' || actor.role === 'unit_admin';

export const unit = {
  /** Add a child unit under the target. */
  create: allow('unit.create', (actor, target: UnitPlace) => admin(actor) && inActorSubtree(actor, target)),
  /** Rename, move or deactivate the target: a unit admin never its own unit. */
  update: allow(
    'unit.update',
    (actor, target: UnitPlace) => (actor.role === 'alliance_admin' ? inActorSubtree(actor, target) : actor.role === 'unit_admin' && inActorSubtree(actor, target) && target.id !== actor.unitId),
  ),
  /** See the target unit's staff. */
  readStaff: allow(
    'unit.readStaff',
    (actor, target: UnitPlace) => (OVERSEERS.has(actor.role) ? inActorSubtree(actor, target) : target.id === actor.unitId),
    ['无权查看该单位的人员', "You may not see this unit's staff"],
  ),
  /** Add staff to the target unit, change roles, deactivate. */
  manageStaff: allow('unit.manageStaff', (actor, target: UnitPlace) => admin(actor) && inActorSubtree(actor, target)),
  /** Read the audit log of the target's subtree. */
  readAudit: allow('unit.readAudit', (actor, target: UnitPlace) => (admin(actor) || actor.role === 'supervisor') && inActorSubtree(actor, target)),
  /** The unit tree itself is open to all staff. */
  readTree: allow('unit.readTree', () => true),
};

/** Roles an actor may hand out (or take back): never more than its own, and oversight roles only from the alliance admin. */
export const grant = allow('role.grant', (actor, role: Role) => actor.role === 'alliance_admin' || (actor.role === 'unit_admin' && !OVERSIGHT.has(role)), ['无权授予该角色', 'You may not grant this role']);

/** Account-wide changes (rename, deactivate, reset a password) need the right to manage every unit the person is in. */
const managesAccount = (actor: Actor, units: readonly UnitPlace[]) => units.every((u) => unit.manageStaff.test(actor, u) === true);

export const account = {
  manage: allow('account.manage', managesAccount, ['该用户还属于你无权管理的单位', 'This person also belongs to units you do not manage']),
  /**
   * Adding an existing account to a unit it is not yet in, without the person's consent: only for an admin
   * who manages every unit the account already belongs to. Anyone else sends an invitation the person
   * accepts. An account left with no unit at all belongs to nobody's subtree but the root's.
   */
  attachDirectly: allow('account.attachDirectly', (actor, units: readonly UnitPlace[]) =>
    units.length === 0 ? actor.role === 'alliance_admin' && actsAtRoot(actor) : managesAccount(actor, units),
  ),
  /** Staff lists and profiles: the staff queries apply staffReadScope below. */
  read: allow('account.read', () => true),
  /** One's own profile, sessions, tokens, invitations and second factor. */
  self: allow('account.self', (actor) => NEWSROOM.has(actor.role) || actor.role === 'supervisor'),
};

/** Invitations into a unit are sent, listed and cancelled by those who manage its staff. */
export const invitation = {
  send: allow('invitation.send', (actor, to: { unit: UnitPlace; role: Role }) => unit.manageStaff.test(actor, to.unit) && grant.test(actor, to.role), ['无权邀请人员加入该单位', 'You may not invite people into this unit']),
  listSent: allow('invitation.listSent', (actor) => unit.manageStaff.test(actor, activeUnit(actor)), ['只有管理员可以查看发出的邀请', 'Only admins see the invitations sent']),
  cancel: allow('invitation.cancel', (actor, at: UnitPlace) => unit.manageStaff.test(actor, at)),
  /** An invitation addressed to the actor is the actor's to accept or decline. */
  answer: allow('invitation.answer', (actor, inv: { user_id: string }) => inv.user_id === actor.userId),
};

/** Where the actor may look for staff or audit rows: its unit alone, or its whole subtree. */
export interface ReadScope {
  unit: UnitPlace;
  subtree: boolean;
}

export const staffReadScope = (actor: Actor): ReadScope => ({ unit: activeUnit(actor), subtree: OVERSEERS.has(actor.role) });

export const audit = {
  read: allow('audit.read', (actor) => unit.readAudit.test(actor, activeUnit(actor)), ['只有管理员和监管人员可以查看审计日志', 'Only admins and supervisors may read the audit log']),
  /** The audit hash chain spans every unit's rows, so only the root's overseers may check it whole. */
  verifyChain: allow('audit.verifyChain', (actor) => OVERSIGHT.has(actor.role) && actsAtRoot(actor), ['只有联合体根单位的管理员和监管人员可以校验审计链', 'Only the alliance root’s admins and supervisors may verify the audit chain']),
};

/**
 * Staff sign-in rules bind every member of the alliance, so only an alliance admin acting at the root
 * sets them.
 */
export const securityPolicy = {
  read: allow('securityPolicy.read', () => true),
  set: allow('securityPolicy.set', (actor) => actor.role === 'alliance_admin' && actsAtRoot(actor), ['只有联合体根单位的管理员可以设置登录安全策略', 'Only the alliance admin at the root may set the sign-in policy']),
};

/** Whether a second factor is required of a person, from the roles they hold in active units. */
export const mfaRequiredFor = (held: readonly Role[], requiredRoles: readonly string[]) => held.some((r) => requiredRoles.includes(r));
