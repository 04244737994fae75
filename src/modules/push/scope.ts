import { forbidden, notFound } from '../../platform/http/problem.ts';
import { type Actor, isWithin } from '../alliance/policy.ts';
import type { AllianceService } from '../alliance/service.ts';

/**
 * Whose readers a unit may push to: readers registered at, or following, a unit of its subtree (the
 * same rule as the reader statistics). The root's subtree is the whole alliance: no filter at all.
 */
export class PushScope {
  constructor(private readonly alliance: AllianceService) {}

  /** The unit a request acts for: the actor's own, or one below it (`unitId`); anything else is refused. */
  async unitFor(actor: Actor, unitId?: string) {
    if (!unitId || unitId === actor.unitId) return { id: actor.unitId, path: actor.unitPath };
    const unit = await this.alliance.getUnit(unitId);
    if (!isWithin(unit, { id: actor.unitId, path: actor.unitPath })) throw forbidden('只能向本单位及下级单位的读者推送', 'Only your own unit and the units below it');
    return { id: unit.id, path: unit.path };
  }

  /** The unit ids whose readers a unit reaches; null for the root (everyone). */
  readers(unit: { id: string; path: string }) {
    return unit.path.includes('/') ? this.alliance.unitIdsInScope({ unit, subtree: true }) : null;
  }

  /** A segment or campaign row of another unit is "not found" to this actor, never a hint it exists. */
  async own<T extends { unit_id: string }>(actor: Actor, row: T | undefined, what: { zh: string; en: string }, id: string): Promise<T> {
    if (!row) throw notFound(what, id);
    if (row.unit_id === actor.unitId) return row;
    const unit = await this.alliance.getUnit(row.unit_id);
    if (!isWithin(unit, { id: actor.unitId, path: actor.unitPath })) throw notFound(what, id);
    return row;
  }
}
