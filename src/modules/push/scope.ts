import { notFound } from '../../platform/http/problem.ts';
import { type Actor, isRoot, pushUnit, requireAccess, requireVisible } from '../../policies/index.ts';
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
    requireAccess(actor, pushUnit.actFor, unit);
    return { id: unit.id, path: unit.path };
  }

  /** The unit ids whose readers a unit reaches; null for the root (everyone). */
  readers(unit: { id: string; path: string }) {
    return isRoot(unit) ? null : this.alliance.unitIdsInScope({ unit, subtree: true });
  }

  /** A segment or campaign row of another unit is "not found" to this actor, never a hint it exists. */
  async own<T extends { unit_id: string }>(actor: Actor, row: T | undefined, what: { zh: string; en: string }, id: string): Promise<T> {
    if (!row) throw notFound(what, id);
    const unit = row.unit_id === actor.unitId ? { id: actor.unitId, path: actor.unitPath } : await this.alliance.getUnit(row.unit_id);
    requireVisible(actor, pushUnit.see, unit, what, id);
    return row;
  }
}
