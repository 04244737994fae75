import { cosine, type ItemFeatures } from './features.ts';
import type { StoredProfile } from './profile.ts';

/**
 * The hybrid ranker, a pure function so the service, the tests and the offline evaluation all run the
 * same code. Each candidate gets six signals in [0, 1], mixed with WEIGHTS:
 *   similar  — the best cosine between its keywords and a recent read (content similarity: cold start)
 *   interest — the decayed profile: keyword cosine, category share, followed/read units
 *   coread   — how often readers of the subject's recent reads went on to read it
 *   popular  — decayed read counts, relative to the most read candidate
 *   fresh    — 2^(−age / FRESH_HALF_LIFE_HOURS)
 *   local    — 1 for the subject's county, 0.5 for its city
 * then pins and must-show slots are placed, and a diversity pass keeps at most MAX_RUN stories of one
 * category in a row and discounts stories too close (cosine) to ones already placed (MMR).
 */
export const WEIGHTS = { similar: 0.3, interest: 0.3, coread: 0.2, popular: 0.12, fresh: 0.2, local: 0.18 };
export const FRESH_HALF_LIFE_HOURS = 24;
export const MAX_RUN = 2;
const MMR_PENALTY = 0.25;
/** Below this cosine a read story is not a reason ("因为你读过…" must be believable). */
const SIMILAR_REASON_MIN = 0.2;

export type ReasonKind = 'similar' | 'coread' | 'interest' | 'local' | 'city' | 'popular' | 'fresh' | 'pinned';

export interface Scored {
  item: ItemFeatures;
  score: number;
  reason: string;
  reasonKind: ReasonKind;
}

export interface RankInput {
  candidates: ItemFeatures[];
  /** Decayed profile (may be empty). */
  profile: StoredProfile | null;
  /** Items the subject has read: never shown. */
  read: Set<string>;
  /** Newest reads first, with features, for similarity and reasons. */
  recent: ItemFeatures[];
  /** Co-read counts: candidate → (strongest recent read, count). */
  coread: Map<string, { via: string; n: number }>;
  popularity: Map<string, number>;
  /** The subject's county code (6 digits) and its city code, when known. */
  county: string | null;
  /** Pins of the requesting unit, in order; with a slot = must show at that position. */
  pins: { itemId: string; slot: number | null }[];
  now: number;
  limit: number;
  /** 'local' ranks by place first (本地 feed). */
  mode?: 'feed' | 'local';
}

const titleOf = (t: string) => (t.length > 18 ? `${t.slice(0, 17)}…` : t);

function interestOf(p: StoredProfile | null, kw: number, catTotal: number, unitTotal: number, item: ItemFeatures): number {
  if (!p) return 0;
  const cat = item.category && catTotal > 0 ? (p.cat[item.category] ?? 0) / catTotal : 0;
  const unit = item.unitSlug && unitTotal > 0 ? (p.unit[item.unitSlug] ?? 0) / unitTotal : 0;
  return Math.min(1, 0.5 * kw + 0.4 * cat + 0.1 * unit);
}

export function localityOf(item: ItemFeatures, county: string | null): number {
  if (!county) return 0;
  const city = `${county.slice(0, 4)}00`;
  // The story's own places; only a story with none falls back to where its unit is.
  const places = item.places.length ? item.places : item.unitSlug && /^\d{6}$/.test(item.unitSlug) ? [item.unitSlug] : [];
  if (places.includes(county)) return 1;
  if (county !== city && places.some((p) => p.startsWith(county.slice(0, 4)))) return 0.5;
  return 0;
}

/** word → (candidate position, weight): built once per candidate list (the site's list is reused across requests). */
type Postings = Map<string, { at: number; w: number }[]>;
const indexes = new WeakMap<ItemFeatures[], Postings>();
function postingsOf(candidates: ItemFeatures[]): Postings {
  let index = indexes.get(candidates);
  if (!index) {
    index = new Map();
    candidates.forEach((c, at) => {
      for (const [word, w] of c.kw) (index!.get(word) ?? index!.set(word, []).get(word)!).push({ at, w });
    });
    indexes.set(candidates, index);
  }
  return index;
}

/** Cosine of one vector with every candidate at once, through the postings (sparse: only shared words cost). */
function cosineAll(index: Postings, v: Map<string, number>, out: Float64Array) {
  out.fill(0);
  for (const [word, x] of v) for (const p of index.get(word) ?? []) out[p.at]! += x * p.w;
}

export function rank(input: RankInput): Scored[] {
  const { profile: p, now } = input;
  const kwNorm = p ? normaliseWeights(p.kw) : null;
  const catTotal = p ? Object.values(p.cat).reduce((a, b) => a + b, 0) : 0;
  const unitTotal = p ? Object.values(p.unit).reduce((a, b) => a + b, 0) : 0;
  const maxPop = Math.max(0, ...input.candidates.map((c) => input.popularity.get(c.itemId) ?? 0));
  const maxCo = Math.max(0, ...[...input.coread.values()].map((c) => c.n));
  const recent = input.recent.slice(0, 20);
  const titles = new Map(input.recent.map((r) => [r.itemId, r.title]));
  const pinned = new Map(input.pins.map((x) => [x.itemId, x.slot]));
  // On a county's own portal nearly every story is local: then "本地" explains nothing and is not given as a reason.
  const localShare = input.candidates.length ? input.candidates.filter((c) => localityOf(c, input.county) === 1).length / input.candidates.length : 0;
  const localTells = localShare < 0.7;

  const n = input.candidates.length;
  const index = postingsOf(input.candidates);
  const bestSim = new Float64Array(n);
  const bestVia = new Int32Array(n).fill(-1);
  const tmp = new Float64Array(n);
  recent.forEach((r, j) => {
    cosineAll(index, r.kw, tmp);
    for (let i = 0; i < n; i++) if (tmp[i]! > bestSim[i]!) [bestSim[i], bestVia[i]] = [tmp[i]!, j];
  });
  const kwScore = new Float64Array(n);
  if (kwNorm) cosineAll(index, kwNorm, kwScore);

  const scored: (Scored & { parts: Record<keyof typeof WEIGHTS, number> })[] = [];
  for (let i = 0; i < n; i++) {
    const item = input.candidates[i]!;
    if (input.read.has(item.itemId)) continue;
    const similar = bestSim[i]!;
    const via = bestVia[i]! >= 0 ? recent[bestVia[i]!]! : null;
    const co = input.coread.get(item.itemId);
    const parts = {
      similar,
      interest: interestOf(p, kwScore[i]!, catTotal, unitTotal, item),
      coread: co && maxCo > 0 ? Math.log1p(co.n) / Math.log1p(maxCo) : 0,
      popular: maxPop > 0 ? Math.sqrt((input.popularity.get(item.itemId) ?? 0) / maxPop) : 0,
      fresh: 2 ** (-Math.max(0, now - item.publishedAt) / (FRESH_HALF_LIFE_HOURS * 3_600_000)),
      local: localityOf(item, input.county),
    };
    let score = 0;
    let best: keyof typeof WEIGHTS = 'fresh';
    for (const k of Object.keys(WEIGHTS) as (keyof typeof WEIGHTS)[]) {
      const v = WEIGHTS[k] * parts[k];
      score += v;
      if (k === 'local' && !localTells) continue;
      if (v > WEIGHTS[best] * parts[best]) best = k;
    }
    if (input.mode === 'local') score += 2 * parts.local;
    // Where a story is from explains more than its age or its reads, when place sets it apart.
    if (localTells && parts.local > 0 && (best === 'fresh' || best === 'popular')) best = 'local';
    const reason = reasonFor(best, parts, item, via, co ? titles.get(co.via) ?? null : null);
    scored.push({ item, score, parts, ...reason });
  }
  scored.sort((a, b) => b.score - a.score || b.item.publishedAt - a.item.publishedAt);
  const picked = diversify(scored, input.limit);
  return placePins(picked, scored, pinned, input.limit);
}

function normaliseWeights(w: Record<string, number>): Map<string, number> {
  const norm = Math.sqrt(Object.values(w).reduce((s, v) => s + v * v, 0));
  return new Map(norm > 0 ? Object.entries(w).map(([k, v]) => [k, v / norm]) : []);
}

function reasonFor(best: keyof typeof WEIGHTS, parts: Record<keyof typeof WEIGHTS, number>, item: ItemFeatures, via: ItemFeatures | null, coVia: string | null): { reason: string; reasonKind: ReasonKind } {
  if (best === 'local') return parts.local === 1 ? { reason: '本地', reasonKind: 'local' } : { reason: '同城', reasonKind: 'city' };
  // A named story is the most telling reason: given whenever taste decided and a read story is close enough.
  if ((best === 'similar' || best === 'interest') && via && parts.similar >= SIMILAR_REASON_MIN) return { reason: `因为你读过《${titleOf(via.title)}》`, reasonKind: 'similar' };
  if (best === 'coread' && coVia) return { reason: `读过《${titleOf(coVia)}》的人也在读`, reasonKind: 'coread' };
  if ((best === 'interest' || best === 'similar') && item.category) return { reason: `你常看「${item.category}」`, reasonKind: 'interest' };
  if (best === 'popular') return { reason: '热门', reasonKind: 'popular' };
  return { reason: '新发布', reasonKind: 'fresh' };
}

/**
 * Greedy re-ranking: at each position take the best remaining story whose category would not make a run
 * longer than MAX_RUN, its score discounted by its closeness to what is already placed (MMR).
 */
export function diversify<T extends { item: ItemFeatures; score: number }>(ranked: T[], limit: number): T[] {
  const pool = ranked.slice(0, Math.max(limit * 4, 40));
  // Closeness of each pooled story to anything already placed, updated once per placement.
  const close = new Float64Array(pool.length);
  const taken = new Uint8Array(pool.length);
  const out: T[] = [];
  while (out.length < limit && out.length < pool.length) {
    const runCat = runCategory(out);
    let bestIdx = -1;
    let fallback = -1;
    let bestVal = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < pool.length; i++) {
      if (taken[i]) continue;
      if (fallback < 0) fallback = i;
      if (runCat && pool[i]!.item.category === runCat) continue;
      const v = pool[i]!.score - MMR_PENALTY * close[i]!;
      if (v > bestVal) [bestVal, bestIdx] = [v, i];
    }
    // Only one category left: a run is better than an empty feed.
    if (bestIdx < 0) bestIdx = fallback;
    taken[bestIdx] = 1;
    const placed = pool[bestIdx]!;
    out.push(placed);
    for (let i = 0; i < pool.length; i++) if (!taken[i]) close[i] = Math.max(close[i]!, cosine(placed.item.kw, pool[i]!.item.kw));
  }
  return out;
}

/** The category of the last MAX_RUN placed stories when they all share one (the next may not). */
function runCategory(out: { item: ItemFeatures }[]): string | null {
  if (out.length < MAX_RUN) return null;
  const tail = out.slice(-MAX_RUN).map((o) => o.item.category);
  return tail[0] && tail.every((c) => c === tail[0]) ? tail[0] : null;
}

/** Pins without a slot lead the feed; must-show stories take their slot (1-based) exactly. */
function placePins(picked: Scored[], all: Scored[], pins: Map<string, number | null>, limit: number): Scored[] {
  if (!pins.size) return picked;
  const byId = new Map(all.map((s) => [s.item.itemId, s]));
  const asPin = (id: string): Scored | null => {
    const s = byId.get(id);
    return s ? { ...s, reason: '编辑推荐', reasonKind: 'pinned' } : null;
  };
  const rest = picked.filter((s) => !pins.has(s.item.itemId));
  const leading = [...pins].filter(([, slot]) => slot === null).map(([id]) => asPin(id)).filter((s): s is Scored => !!s);
  const out = [...leading, ...rest];
  const slotted = [...pins].filter(([, slot]) => slot !== null).sort((a, b) => a[1]! - b[1]!);
  for (const [id, slot] of slotted) {
    const s = asPin(id);
    if (s) out.splice(Math.min(slot! - 1, out.length), 0, s);
  }
  return out.slice(0, limit);
}
