import type { Actor, UnitPlace } from '../alliance/policy.ts';
import { isWithin } from '../alliance/policy.ts';

/**
 * Who may do what with channels and deliveries. A unit's admin configures its own channels, the
 * alliance admin any unit's below it; supervisors read in their subtree; chief editors read their
 * unit's list to choose channels when publishing, and retry its failed deliveries.
 */
const own = (actor: Actor, unit: UnitPlace) => unit.id === actor.unitId;
const below = (actor: Actor, unit: UnitPlace) => isWithin(unit, { id: actor.unitId, path: actor.unitPath });

export function canConfigureChannels(actor: Actor, unit: UnitPlace): boolean {
  if (actor.role === 'alliance_admin') return below(actor, unit);
  return actor.role === 'unit_admin' && own(actor, unit);
}

export function canReadChannels(actor: Actor, unit: UnitPlace): boolean {
  if (canConfigureChannels(actor, unit)) return true;
  if (actor.role === 'supervisor') return below(actor, unit);
  return actor.role === 'chief_editor' && own(actor, unit);
}

/** Retrying a failed delivery is a publishing decision: chief editors and up, of the item's unit. */
export function canRetryDelivery(actor: Actor, unit: UnitPlace): boolean {
  if (actor.role === 'alliance_admin') return below(actor, unit);
  return (actor.role === 'chief_editor' || actor.role === 'unit_admin') && own(actor, unit);
}
