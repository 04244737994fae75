import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { notFound } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import type { ReaderAccountService } from './accounts.service.ts';
import { findDivision } from './divisions.ts';
import { isRoot, reader, readerScope, readerStats, requireAccess, requireVisible } from '../../policies/index.ts';

const READER = { zh: '读者', en: 'Reader' };
import * as repo from './repo.ts';
import type { UnitDirectory } from './units.ts';

/** 读者统计: what staff may know about readers — aggregates over their own subtree's readers. */
export class ReaderStaffService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly units: UnitDirectory,
    private readonly accounts: ReaderAccountService,
    private readonly audit: AuditRecorder,
  ) {}

  async stats(actor: Actor, unitId?: string) {
    requireAccess(actor, readerStats.read);
    let scopeUnit = { id: actor.unitId, path: actor.unitPath };
    if (unitId) {
      const unit = await this.alliance.getUnit(unitId);
      requireAccess(actor, readerStats.readUnit, unit);
      scopeUnit = { id: unit.id, path: unit.path };
    }
    // The root's subtree is everyone: no filter at all rather than "registered anywhere or following anything".
    const scope = isRoot(scopeUnit) ? null : this.alliance.unitIdsInScope({ ...readerScope(actor), unit: scopeUnit });
    const [total, byDivision, byUnit, followers, consents] = await Promise.all([
      repo.countReaders(this.db, scope),
      repo.countByDivision(this.db, scope),
      repo.countByRegisteredUnit(this.db, scope),
      repo.countFollowers(this.db, scope),
      repo.countConsents(this.db, scope),
    ]);
    const cities = new Map<string, { code: string; name: string; count: number }>();
    const regions = byDivision.map((d) => {
      const division = d.code ? findDivision(d.code) : undefined;
      if (division) {
        const city = cities.get(division.cityCode) ?? { code: division.cityCode, name: division.cityName, count: 0 };
        city.count += d.count;
        cities.set(city.code, city);
      }
      return { code: d.code, name: division?.name ?? null, count: d.count };
    });
    const named = async (rows: { unitId: string; count: number }[]) =>
      Promise.all(rows.map(async (r) => ({ unitId: r.unitId, name: (await this.units.byIdOf(r.unitId))?.name ?? '', count: r.count })));
    return {
      unitId: scopeUnit.id,
      total,
      byRegion: regions.sort((a, b) => b.count - a.count),
      byCity: [...cities.values()].sort((a, b) => b.count - a.count),
      byRegisteredUnit: (await named(byUnit)).sort((a, b) => b.count - a.count),
      followersByUnit: (await named(followers)).sort((a, b) => b.count - a.count),
      consents,
    };
  }

  /** One reader's account for a support case: alliance admins, over readers registered in their subtree; every look is audited. */
  async lookUp(ctx: ActorContext, readerId: string) {
    requireAccess(ctx.actor, reader.lookUp);
    const found = await this.accounts.findForSupport(readerId);
    // A reader registered outside the caller's subtree answers exactly like one that does not exist.
    if (!found.registered) throw notFound(READER, readerId);
    requireVisible(ctx.actor, reader.lookUpOne, found.registered, READER, readerId);
    await this.audit(this.db, ctx, { unitId: ctx.actor.unitId, action: 'reader.lookup', targetType: 'reader', targetId: readerId });
    return found;
  }
}
