import { type Actor, type UnitPlace, activeUnit } from './actor.ts';

/** The unit tree: a unit's path lists its ancestors' ids from the root, joined by '/'. */

const depth = (unit: UnitPlace) => unit.path.split('/').length - 1;

/** The unit itself or any unit below it. */
export const isWithin = (unit: UnitPlace, ancestor: UnitPlace) => unit.id === ancestor.id || unit.path.startsWith(`${ancestor.path}/`);

/** The alliance's root (the province): its subtree is the whole alliance. */
export const isRoot = (unit: UnitPlace) => depth(unit) === 0;

/** The actor acts for the root unit. */
export const actsAtRoot = (actor: Actor) => isRoot(activeUnit(actor));

/** The unit is the actor's own or below it. */
export const inActorSubtree = (actor: Actor, unit: UnitPlace) => isWithin(unit, activeUnit(actor));
