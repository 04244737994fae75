import type { Actor } from '../alliance/policy.ts';
import type { Role } from '../alliance/roles.ts';

/**
 * Who may set the staff sign-in rules. They bind every member of the alliance, so only an
 * alliance admin acting at the root decides them; the rest of the rulebook is alliance/policy.ts.
 */
export function canSetSecurityPolicy(actor: Actor, rootUnitId: string): boolean {
  return actor.role === 'alliance_admin' && actor.unitId === rootUnitId;
}

/** Whether a second factor is required of a person, from the roles they hold in active units. */
export function mfaRequiredFor(roles: readonly Role[], requiredRoles: readonly string[]): boolean {
  return roles.some((r) => requiredRoles.includes(r));
}
