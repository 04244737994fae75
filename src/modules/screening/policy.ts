import type { Actor } from '../alliance/policy.ts';
import type { ScreeningScope } from './tables.ts';

/** 智能审核 permissions: who manages lexicons, allow-lists and wording packs, who sees alerts. */

const unitManagers = new Set(['chief_editor', 'unit_admin', 'alliance_admin']);
const editors = new Set(['editor', 'chief_editor', 'unit_admin', 'alliance_admin']);

/** The alliance admin acting at the root unit: the only one who edits what applies to every unit. */
export const isRootAdmin = (actor: Actor) => actor.role === 'alliance_admin' && !actor.unitPath.includes('/');

export const canManage = (actor: Actor, target: { scope: ScreeningScope; unit_id: string }) =>
  target.scope === 'alliance' ? isRootAdmin(actor) : target.unit_id === actor.unitId && unitManagers.has(actor.role);

/** Alliance-wide configuration is visible to all staff; a unit's own only to that unit. */
export const canRead = (actor: Actor, target: { scope: ScreeningScope; unit_id: string }) => target.scope === 'alliance' || target.unit_id === actor.unitId;

/** Patrol alerts are for the unit's editors and leaders (and supervisors, who only read). */
export const canSeeAlerts = (actor: Actor) => editors.has(actor.role) || actor.role === 'supervisor';
export const canResolveAlerts = (actor: Actor) => editors.has(actor.role);
