import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, notFound } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext } from '../alliance/service.ts';
import { onSiteChange } from '../portal/site.events.ts';
import type { UnitDirectory } from '../readers/units.ts';
import { cosine, type ItemFeatures, keywordVector, placeWithCity } from './features.ts';
import { feed, requireAccess } from '../../policies/index.ts';
import { applyEvent, decayed, emptyProfile, eventWeight, merge, type StoredProfile } from './profile.ts';
import { localityOf, rank, type Scored } from './rank.ts';
import * as repo from './repo.ts';

/** Popularity halves every POPULARITY_HALF_LIFE_HOURS without new reads ("热门" means now, not ever). */
export const POPULARITY_HALF_LIFE_HOURS = 24;
const CANDIDATES = 1000;
const CANDIDATE_TTL_MS = 30_000;
const EVENT_BATCH = 5000;
/** Co-reading pairs each new read with the subject's last few reads within a few days. */
const COREAD_WINDOW = 5;
const COREAD_MAX_GAP_MS = 3 * 86_400_000;
const CURSOR = 'profiles';

export type Subject = { readerId?: string | null; deviceId?: string | null };
export interface FeedRequest extends Subject {
  siteSlug: string;
  kind?: 'portal' | 'app';
  limit: number;
  mode?: 'feed' | 'local';
  now?: Date;
}

interface Understood {
  keywords?: { word: string; weight?: number }[];
  entities?: { places?: { code?: string }[] };
  category?: { label?: string } | null;
}

export function featuresOf(row: repo.StoryRow): ItemFeatures {
  const u = (row.understanding ?? null) as Understood | null;
  const places = new Set([...placeWithCity(row.region_code)]);
  for (const p of u?.entities?.places ?? []) if (p.code && /^\d{6}$/.test(p.code)) places.add(p.code);
  return {
    itemId: row.item_id,
    title: row.title,
    kw: keywordVector(u?.keywords, () => `${row.title}\n${row.body_text.slice(0, 4000)}`, row.tags),
    category: row.category ?? u?.category?.label ?? null,
    places: [...places],
    unitSlug: row.unit_slug,
    publishedAt: new Date(row.published_at).getTime(),
  };
}

interface SiteState {
  at: number;
  stories: ItemFeatures[];
  popularity: { itemId: string; score: number; at: number }[];
  refreshing: Promise<void> | null;
}

const subjectsOf = (s: Subject) => [s.readerId ? `r:${s.readerId}` : null, s.deviceId ? `d:${s.deviceId}` : null].filter((x): x is string => !!x);

/**
 * 推荐: the hybrid feed (rank.ts), kept fast by doing the learning incrementally — profiles, reads,
 * co-reads and popularity are updated from new reading events by `catchUp` (a job every minute, and
 * the tests call it) — so a request reads a handful of small rows and ranks the site's live stories.
 */
export class RecommendService {
  private features = new Map<string, { revision: number; f: ItemFeatures }>();
  private candidates = new Map<string, SiteState>();
  private catching: Promise<number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly units: UnitDirectory,
    private readonly audit: AuditRecorder,
  ) {
    onSiteChange(({ siteSlug }) => {
      for (const key of this.candidates.keys()) if (key.endsWith(`:${siteSlug}`)) this.candidates.delete(key);
    });
  }

  private feature(row: repo.StoryRow): ItemFeatures {
    const hit = this.features.get(row.item_id);
    if (hit && hit.revision === row.revision && hit.f.category === (row.category ?? hit.f.category)) return hit.f;
    const f = featuresOf(row);
    this.features.set(row.item_id, { revision: row.revision, f });
    return f;
  }

  private async featuresById(ids: string[]): Promise<Map<string, ItemFeatures>> {
    const out = new Map<string, ItemFeatures>();
    const missing = ids.filter((id) => {
      const hit = this.features.get(id);
      if (hit) out.set(id, hit.f);
      return !hit;
    });
    for (const row of await repo.storiesById(this.db, missing)) out.set(row.item_id, this.feature(row));
    return out;
  }

  /**
   * The site's live stories with their features and popularity. Kept in memory and refreshed in the
   * background once CANDIDATE_TTL_MS old (a request never waits for that); a delivery to the site drops
   * the entry, so a retracted story is gone from the very next feed.
   */
  async siteState(kind: 'portal' | 'app', siteSlug: string): Promise<SiteState> {
    const key = `${kind}:${siteSlug}`;
    const hit = this.candidates.get(key);
    if (hit) {
      if (Date.now() - hit.at > CANDIDATE_TTL_MS && !hit.refreshing) {
        hit.refreshing = this.loadSite(kind, siteSlug)
          .then((fresh) => void (this.candidates.get(key) === hit && this.candidates.set(key, fresh)))
          .catch(() => void (hit.refreshing = null));
      }
      return hit;
    }
    const fresh = await this.loadSite(kind, siteSlug);
    this.candidates.set(key, fresh);
    return fresh;
  }

  async liveCandidates(kind: 'portal' | 'app', siteSlug: string): Promise<ItemFeatures[]> {
    return (await this.siteState(kind, siteSlug)).stories;
  }

  private async loadSite(kind: 'portal' | 'app', siteSlug: string): Promise<SiteState> {
    const at = Date.now();
    const keys = await repo.liveStoryKeys(this.db, kind, siteSlug, CANDIDATES);
    const stale = keys.filter((k) => {
      const hit = this.features.get(k.item_id);
      return !hit || hit.revision !== k.revision || hit.f.category !== (k.category ?? hit.f.category);
    });
    for (const row of await repo.storiesById(this.db, stale.map((k) => k.item_id))) {
      this.features.delete(row.item_id);
      this.feature(row);
    }
    const stories = keys.map((k) => this.features.get(k.item_id)?.f).filter((f): f is ItemFeatures => !!f);
    const popularity = await repo.popularity(this.db, stories.map((f) => f.itemId));
    return { at, stories, popularity: popularity.map((r) => ({ itemId: r.item_id, score: r.score, at: new Date(r.decayed_at).getTime() })), refreshing: null };
  }

  /** The unit whose portal this is (404 for an unknown or inactive one). */
  site(siteSlug: string) {
    return this.siteUnit(siteSlug);
  }

  private async siteUnit(siteSlug: string) {
    const unit = await this.units.find(siteSlug);
    if (!unit || !unit.active) throw notFound({ zh: '站点', en: 'site' }, siteSlug);
    return unit;
  }

  async feed(req: FeedRequest): Promise<{ subject: 'reader' | 'device' | 'anonymous'; items: Scored[] }> {
    const now = req.now ?? new Date();
    const unit = await this.siteUnit(req.siteSlug);
    const subjects = subjectsOf(req);
    const [site, stored, readList, recentRows, pins, home, follows] = await Promise.all([
      this.siteState(req.kind ?? 'portal', req.siteSlug),
      repo.profiles(this.db, subjects),
      repo.readIds(this.db, subjects, 2000),
      repo.recentReads(this.db, subjects, 10),
      req.mode === 'local' ? Promise.resolve([]) : repo.pinsOf(this.db, unit.id, now),
      req.readerId ? repo.homeDivision(this.db, req.readerId) : Promise.resolve(undefined),
      req.readerId ? repo.follows(this.db, req.readerId) : Promise.resolve([]),
    ]);
    let profile: StoredProfile | null = null;
    for (const p of stored.values()) profile = profile ? merge(profile, p, now) : decayed(p, now);
    if (follows.length) {
      profile ??= emptyProfile(now);
      for (const id of follows) {
        const u = await this.units.byIdOf(id);
        if (u) profile.unit[u.slug] = (profile.unit[u.slug] ?? 0) + 3;
      }
    }
    const recentIds = [...new Set(recentRows.sort((a, b) => +b.read_at - +a.read_at).map((r) => r.item_id))];
    const candidates = site.stories;
    const [recentFeatures, coRows] = await Promise.all([this.featuresById(recentIds), repo.coreadsFrom(this.db, recentIds.slice(0, 5), 40)]);
    const h = POPULARITY_HALF_LIFE_HOURS * 3_600_000;
    const pop = new Map(site.popularity.map((r) => [r.itemId, r.score * 2 ** (-Math.max(0, now.getTime() - r.at) / h)]));
    const coread = new Map<string, { via: string; n: number }>();
    for (const r of coRows) {
      const had = coread.get(r.item_b);
      if (!had) coread.set(r.item_b, { via: r.item_a, n: r.n });
      else had.n += r.n;
    }
    // Locality: the reader's home county, else the place the profile reads most, else the portal's own place.
    const county = home?.home_division_code ?? topPlace(profile) ?? (/^\d{6}$/.test(req.siteSlug) ? req.siteSlug : null);
    const items = rank({
      candidates,
      profile,
      read: new Set(readList),
      recent: recentIds.map((id) => recentFeatures.get(id)).filter((f): f is ItemFeatures => !!f),
      coread,
      popularity: pop,
      county,
      pins: pins.map((p) => ({ itemId: p.item_id, slot: p.slot })),
      now: now.getTime(),
      limit: req.limit,
      mode: req.mode,
    });
    // 本地: only the county's and the city's stories, the county's first (rank gave place a heavy weight).
    const local =
      req.mode === 'local'
        ? items
            .map((s) => ({ s, l: localityOf(s.item, county) }))
            .filter((x) => x.l > 0)
            .map(({ s, l }): Scored => (l === 1 ? { ...s, reason: '本地', reasonKind: 'local' } : { ...s, reason: '同城', reasonKind: 'city' }))
        : items;
    return { subject: req.readerId ? 'reader' : req.deviceId ? 'device' : 'anonymous', items: local };
  }

  /** Stories like this one on the same site: keyword similarity, co-reading, then the same place. */
  async related(siteSlug: string, itemId: string, limit: number, subject: Subject = {}) {
    await this.siteUnit(siteSlug);
    if (!(await repo.isLiveOn(this.db, siteSlug, itemId))) throw notFound({ zh: '本站稿件', en: 'live story on this site' }, itemId);
    const [[self], candidates, coRows, readList] = await Promise.all([
      repo.storiesById(this.db, [itemId]).then((rows) => rows.map((r) => this.feature(r))),
      this.liveCandidates('portal', siteSlug),
      repo.coreadsFrom(this.db, [itemId], 100),
      repo.readIds(this.db, subjectsOf(subject), 2000),
    ]);
    const read = new Set(readList);
    const maxCo = Math.max(1, ...coRows.map((r) => r.n));
    const co = new Map(coRows.map((r) => [r.item_b, r.n / maxCo]));
    return candidates
      .filter((c) => c.itemId !== itemId && !read.has(c.itemId))
      .map((c) => {
        const sim = cosine(self!.kw, c.kw);
        const together = co.get(c.itemId) ?? 0;
        const place = c.places.some((p) => self!.places.includes(p)) ? 1 : 0;
        const score = sim + 0.5 * together + 0.1 * place + (c.category && c.category === self!.category ? 0.05 : 0);
        const reason = together > sim ? '读过本文的人也在读' : sim >= 0.15 ? '内容相近' : place ? '同一地方' : '同栏目';
        return { item: c, score, reason };
      })
      .filter((x) => x.score > 0.05)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  /**
   * Folds new reading events into profiles, reads, co-reads and popularity; returns how many events it
   * read. One caller at a time in this process; across processes the cursor row is the lock.
   */
  catchUp(maxBatches = 1000, onProgress?: (done: number) => void): Promise<number> {
    this.catching ??= this.runCatchUp(maxBatches, onProgress).finally(() => (this.catching = null));
    return this.catching;
  }

  private async runCatchUp(maxBatches: number, onProgress?: (done: number) => void): Promise<number> {
    let total = 0;
    for (let b = 0; b < maxBatches; b++) {
      const n = await this.db.transaction().execute(async (trx) => {
        await trx.selectFrom('rec_cursor').select('name').where('name', '=', CURSOR).forUpdate().execute();
        const cursor = await repo.getCursor(trx, CURSOR);
        const events = await repo.eventsAfter(trx, cursor, EVENT_BATCH);
        if (!events.length) return 0;
        await this.fold(trx, events);
        const last = events.at(-1)!;
        await repo.setCursor(trx, CURSOR, { received_at: last.received_at, event_id: last.event_id });
        return events.length;
      });
      total += n;
      onProgress?.(total);
      // Popularity moved: sites refresh in the background on their next request.
      if (n) for (const state of this.candidates.values()) state.at = 0;
      if (n < EVENT_BATCH) break;
    }
    return total;
  }

  private async fold(trx: Db, events: repo.ReadEvent[]) {
    const itemIds = [...new Set(events.map((e) => e.item_id).filter((x): x is string => !!x))];
    const missing = itemIds.filter((id) => !this.features.has(id));
    for (const row of await repo.storiesById(trx, missing)) this.feature(row);
    const subjectOf = (e: repo.ReadEvent) => (e.reader_id ? `r:${e.reader_id}` : e.device_id ? `d:${e.device_id}` : null);
    const subjects = [...new Set(events.map(subjectOf).filter((s): s is string => !!s))];
    const [profiles, recent] = await Promise.all([repo.profiles(trx, subjects), repo.recentReads(trx, subjects, COREAD_WINDOW)]);
    const history = new Map<string, { item: string; at: number }[]>();
    for (const r of recent) (history.get(r.subject) ?? history.set(r.subject, []).get(r.subject)!).push({ item: r.item_id, at: +r.read_at });
    const reads: { subject: string; item_id: string; read_at: string }[] = [];
    const co = new Map<string, number>();
    const pop = new Map<string, number>();
    const latest = Math.max(...events.map((e) => +e.occurred_at));
    const touched = new Set<string>();
    for (const e of events) {
      const w = eventWeight(e.type, e.depth);
      if (w <= 0) continue;
      const at = new Date(e.occurred_at);
      if (e.item_id) pop.set(e.item_id, (pop.get(e.item_id) ?? 0) + w * 2 ** (-(latest - +at) / (POPULARITY_HALF_LIFE_HOURS * 3_600_000)));
      const s = subjectOf(e);
      if (!s) continue;
      const f = e.item_id ? this.features.get(e.item_id)?.f : undefined;
      if (e.item_id && !f) continue;
      const p = profiles.get(s) ?? emptyProfile(at);
      profiles.set(s, p);
      touched.add(s);
      if (e.type === 'follow' && e.unit_id) {
        const u = await this.units.byIdOf(e.unit_id);
        if (u) applyEvent(p, at, w, { unitSlug: u.slug });
        continue;
      }
      if (!f) continue;
      applyEvent(p, at, w, { kw: f.kw, category: f.category, places: f.places, unitSlug: f.unitSlug });
      if (e.type === 'click') continue;
      reads.push({ subject: s, item_id: f.itemId, read_at: at.toISOString() });
      const h = history.get(s) ?? history.set(s, []).get(s)!;
      if (!h.some((x) => x.item === f.itemId)) {
        for (const prev of h.slice(0, COREAD_WINDOW)) {
          if (Math.abs(+at - prev.at) > COREAD_MAX_GAP_MS) continue;
          co.set(`${prev.item}|${f.itemId}`, (co.get(`${prev.item}|${f.itemId}`) ?? 0) + 1);
          co.set(`${f.itemId}|${prev.item}`, (co.get(`${f.itemId}|${prev.item}`) ?? 0) + 1);
        }
        h.unshift({ item: f.itemId, at: +at });
      }
    }
    await repo.saveProfiles(trx, [...touched].map((subject) => ({ subject, profile: profiles.get(subject)! })));
    await repo.addReads(trx, dedupeReads(reads));
    await repo.addCoreads(trx, [...co].map(([k, n]) => ({ a: k.slice(0, 36), b: k.slice(37), n })));
    await repo.addPopularity(trx, [...pop].map(([item_id, score]) => ({ item_id, score, at: new Date(latest).toISOString() })), POPULARITY_HALF_LIFE_HOURS);
  }

  // ——— editorial pins ———

  private async pinUnit(actor: Actor, unitSlugOrId: string) {
    const unit = (await this.units.find(unitSlugOrId)) ?? (await this.units.byIdOf(unitSlugOrId));
    if (!unit) throw notFound({ zh: '单位', en: 'unit' }, unitSlugOrId);
    requireAccess(actor, feed.pin, unit.id);
    return unit;
  }

  async listPins(actor: Actor, unit: string) {
    const u = await this.pinUnit(actor, unit);
    return repo.pinsOf(this.db, u.id, new Date());
  }

  async pin(ctx: ActorContext, input: { unit: string; itemId: string; slot?: number | null; note?: string | null; expiresAt?: string | null }) {
    const u = await this.pinUnit(ctx.actor, input.unit);
    if (!(await repo.isLiveOn(this.db, u.slug, input.itemId))) throw badRequest('not_live', '这篇稿件不在本单位的门户上', 'The story is not live on this unit’s portal', { field: 'itemId' });
    const expires = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expires && expires.getTime() <= Date.now()) throw badRequest('expired', '到期时间必须晚于现在', 'expiresAt must be in the future', { field: 'expiresAt' });
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.upsertPin(trx, { unit_id: u.id, item_id: input.itemId, slot: input.slot ?? null, note: input.note ?? null, created_by: ctx.actor.userId, expires_at: expires });
      await this.audit(trx, ctx, { unitId: u.id, action: 'recommend.pin', targetType: 'item', targetId: input.itemId, after: { slot: row.slot, expiresAt: row.expires_at } });
      return row;
    });
  }

  async unpin(ctx: ActorContext, unit: string, itemId: string) {
    const u = await this.pinUnit(ctx.actor, unit);
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.deletePin(trx, u.id, itemId))) throw notFound({ zh: '推荐位', en: 'pin' }, itemId);
      await this.audit(trx, ctx, { unitId: u.id, action: 'recommend.unpin', targetType: 'item', targetId: itemId });
    });
  }

  /** The console's preview: the feed a test device sees on a unit's portal, for staff of that unit. */
  async preview(actor: Actor, unit: string, deviceId: string | undefined, limit: number) {
    const u = await this.pinUnit(actor, unit);
    return this.feed({ siteSlug: u.slug, deviceId: deviceId ?? null, limit });
  }
}

function topPlace(p: StoredProfile | null): string | null {
  if (!p) return null;
  const counties = Object.entries(p.place).filter(([c]) => !c.endsWith('00'));
  counties.sort((a, b) => b[1] - a[1]);
  return counties[0]?.[0] ?? null;
}

function dedupeReads(rows: { subject: string; item_id: string; read_at: string }[]) {
  const m = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const k = `${r.subject}|${r.item_id}`;
    const had = m.get(k);
    if (!had || had.read_at < r.read_at) m.set(k, r);
  }
  return [...m.values()];
}
