import type { Actor, UnitPlace } from '../alliance/policy.ts';
import { isWithin } from '../alliance/policy.ts';

/** 协同 permissions: topics and tasks across units. The review chain's own rules are in review-policy.ts. */

const newsroom = new Set(['reporter', 'editor', 'chief_editor', 'unit_admin', 'alliance_admin']);
const editors = new Set(['editor', 'chief_editor', 'unit_admin', 'alliance_admin']);
const deciders = new Set(['chief_editor', 'unit_admin', 'alliance_admin']);

export const canPropose = (actor: Actor) => newsroom.has(actor.role);

/** 选题 approval belongs to the proposing unit's chief editor and leaders. */
export const canDecideTopic = (actor: Actor, topic: { unit_id: string }) => topic.unit_id === actor.unitId && deciders.has(actor.role);

export const canAssign = (actor: Actor) => editors.has(actor.role);

/** Tasks go down the tree (province → city → county), up it (county asks the city), or within the unit; siblings go through their parent. */
export const canAssignTo = (own: UnitPlace, target: UnitPlace) => isWithin(target, own) || isWithin(own, target);

/** The named assignee acts on a task; a task for a whole unit is any of its newsroom staff's to take. */
export const canWorkOn = (actor: Actor, task: { unit_id: string; assignee_user_id: string | null }) =>
  task.assignee_user_id ? task.assignee_user_id === actor.userId : task.unit_id === actor.unitId && newsroom.has(actor.role);

export const canCancel = (actor: Actor, task: { from_unit_id: string }) => task.from_unit_id === actor.unitId && editors.has(actor.role);

/** Overseers follow every task in their subtree; otherwise only the two units a task connects. */
export const canSeeTask = (actor: Actor, task: { unit_id: string; from_unit_id: string }, places: { unit: UnitPlace; from: UnitPlace }) =>
  task.unit_id === actor.unitId ||
  task.from_unit_id === actor.unitId ||
  ((actor.role === 'supervisor' || actor.role === 'alliance_admin') && (isWithin(places.unit, { id: actor.unitId, path: actor.unitPath }) || isWithin(places.from, { id: actor.unitId, path: actor.unitPath })));
