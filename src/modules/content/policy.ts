import type { Actor, UnitPlace } from '../alliance/policy.ts';

/**
 * 稿件权限: who may read, write and move content. A unit's own staff read all of its items; the
 * item's share scope, and deliveries (上报/下发), open it to others; supervisors and alliance admins
 * read their whole subtree. Only the owning unit's newsroom staff write; supervisors never do.
 */

const newsroomRoles = new Set(['reporter', 'editor', 'chief_editor', 'unit_admin', 'alliance_admin']);
const editorRoles = new Set(['editor', 'chief_editor', 'unit_admin', 'alliance_admin']);

export const oversees = (actor: Actor) => actor.role === 'supervisor' || actor.role === 'alliance_admin';
/** An overseer at the alliance's root sees every item: its subtree is the whole alliance. */
export const seesEverything = (actor: Actor) => oversees(actor) && !actor.unitPath.includes('/');

export function canWriteItem(actor: Actor, item: { unit_id: string }): boolean {
  return item.unit_id === actor.unitId && newsroomRoles.has(actor.role);
}

/** Opening an item to other units (share scope, 上报, 下发) is an editor's call, not a reporter's. */
export function canShareItem(actor: Actor, item: { unit_id: string }): boolean {
  return item.unit_id === actor.unitId && editorRoles.has(actor.role);
}

/** 采用: taking a copy into one's own unit. */
export function canPickUp(actor: Actor): boolean {
  return editorRoles.has(actor.role);
}

export function canCreateItem(actor: Actor): boolean {
  return newsroomRoles.has(actor.role);
}

/**
 * Whose view decides which pictures an item may carry: the item's unit itself, without any oversight
 * of the units below it. Delivery later loads the pictures as that unit, so what this view sees is
 * exactly what a channel will be able to send.
 */
export const unitView = (unit: UnitPlace, userId: string): Actor => ({ userId, unitId: unit.id, unitPath: unit.path, role: 'unit_admin' });
