import { badRequest } from '../../platform/http/problem.ts';
import type { AllianceService } from '../alliance/service.ts';
import { unitSlug } from '../distribution/urls.ts';

export interface UnitRef {
  id: string;
  path: string;
  name: string;
  slug: string;
  active: boolean;
}

const REFRESH_MS = 60_000;

/**
 * Readers and their events name units by the portal's slug (division code, else id). The alliance has a
 * couple of hundred units, so the whole directory is kept in memory and reloaded once a minute or on a miss.
 */
export class UnitDirectory {
  private bySlug = new Map<string, UnitRef>();
  private byId = new Map<string, UnitRef>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly alliance: AllianceService) {}

  private async load() {
    const units = await this.alliance.listUnits({ includeInactive: true });
    const bySlug = new Map<string, UnitRef>();
    const byId = new Map<string, UnitRef>();
    for (const u of units) {
      const ref = { id: u.id, path: u.path, name: u.name, slug: unitSlug(u), active: u.active };
      bySlug.set(ref.slug, ref);
      byId.set(ref.id, ref);
    }
    this.bySlug = bySlug;
    this.byId = byId;
    this.loadedAt = Date.now();
  }

  private async refresh(force: boolean) {
    if (!force && Date.now() - this.loadedAt < REFRESH_MS) return;
    this.loading ??= this.load().finally(() => (this.loading = null));
    await this.loading;
  }

  async find(slug: string): Promise<UnitRef | undefined> {
    await this.refresh(false);
    if (!this.bySlug.has(slug) && Date.now() - this.loadedAt > 1000) await this.refresh(true);
    return this.bySlug.get(slug);
  }

  async byIdOf(id: string): Promise<UnitRef | undefined> {
    await this.refresh(false);
    return this.byId.get(id);
  }

  /** The alliance's root (the province), where platform-wide events are audited; undefined before setup. */
  async root(): Promise<UnitRef | undefined> {
    await this.refresh(false);
    return [...this.byId.values()].find((u) => !u.path.includes('/'));
  }

  /** The active unit a slug names, or a 400 that says which field was wrong. */
  async require(slug: string, field: string): Promise<UnitRef> {
    const unit = await this.find(slug);
    if (!unit || !unit.active) throw badRequest('unknown_unit', `没有这个单位：${slug}`, `No such unit: ${slug}`, { field });
    return unit;
  }
}
