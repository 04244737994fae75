import type { Actor } from '../alliance/policy.ts';

/**
 * 精准推送 reaches the public in the unit's name, so only those who answer for what a unit publishes may
 * build segments and send: the unit's admin and chief editor, and the alliance admin. Supervisors may look.
 */
export function canPush(actor: Actor): boolean {
  return actor.role === 'alliance_admin' || actor.role === 'unit_admin' || actor.role === 'chief_editor';
}

export function canSeePush(actor: Actor): boolean {
  return canPush(actor) || actor.role === 'supervisor';
}

/** A unit's JPush/Getui apps hold its credentials: admins only. */
export function canManageApps(actor: Actor): boolean {
  return actor.role === 'alliance_admin' || actor.role === 'unit_admin';
}
