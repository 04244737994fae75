import type { Actor } from '../alliance/policy.ts';

/**
 * Staff and readers: staff see readers only as counts. Counts need an oversight or editorial-lead role;
 * one reader's record (for a support case) only the alliance admin, and every look is audited.
 */
export function canSeeReaderStats(actor: Actor): boolean {
  return actor.role === 'alliance_admin' || actor.role === 'supervisor' || actor.role === 'unit_admin' || actor.role === 'chief_editor';
}

export function canLookUpReader(actor: Actor): boolean {
  return actor.role === 'alliance_admin';
}

/** Whose readers an actor counts: readers registered at, or following, a unit of the actor's subtree. */
export const readerScope = (actor: Actor) => ({ unit: { id: actor.unitId, path: actor.unitPath }, subtree: true });
