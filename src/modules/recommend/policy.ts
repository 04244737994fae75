import type { Actor } from '../alliance/policy.ts';

/** Roles that decide what a unit's portal puts first. */
const PINNING_ROLES = new Set(['editor', 'chief_editor', 'unit_admin']);

/** Pins are a unit's own editorial choice: its editors only, never another unit's (not even a parent's). */
export function canPin(actor: Actor, unitId: string): boolean {
  return actor.unitId === unitId && PINNING_ROLES.has(actor.role);
}
