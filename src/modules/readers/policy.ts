import { type Actor, type UnitPlace, isWithin } from '../alliance/policy.ts';

/**
 * Staff and readers: staff see readers only as counts. Counts need an oversight or editorial-lead role;
 * one reader's record (for a support case) only the alliance admin, and every look is audited.
 */
export function canSeeReaderStats(actor: Actor): boolean {
  return actor.role === 'alliance_admin' || actor.role === 'supervisor' || actor.role === 'unit_admin' || actor.role === 'chief_editor';
}

export function canLookUpReaders(actor: Actor): boolean {
  return actor.role === 'alliance_admin';
}

/**
 * One reader's record belongs to the unit the reader registered with (the controller of that data under
 * PIPL), so an alliance admin below the root sees only readers registered in its subtree. Following a
 * unit or living in its county is not enough: it lets the unit count the reader, never read the record.
 */
export function canLookUpReader(actor: Actor, registeredAt: UnitPlace): boolean {
  return canLookUpReaders(actor) && isWithin(registeredAt, { id: actor.unitId, path: actor.unitPath });
}

/** Whose readers an actor counts: readers registered at, or following, a unit of the actor's subtree. */
export const readerScope = (actor: Actor) => ({ unit: { id: actor.unitId, path: actor.unitPath }, subtree: true });
