import type { Role } from '../modules/alliance/roles.ts';

/** Who is asking: a person acting through one membership (the unit chosen in the unit switcher). */
export interface Actor {
  userId: string;
  unitId: string;
  /** The active unit's path from the root (ids joined by '/'), for subtree checks. */
  unitPath: string;
  role: Role;
}

/** Where a unit sits in the tree. */
export interface UnitPlace {
  id: string;
  path: string;
}

export const activeUnit = (actor: Actor): UnitPlace => ({ id: actor.unitId, path: actor.unitPath });
