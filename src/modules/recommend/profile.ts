/**
 * Interest profiles with time decay. Every weight halves after HALF_LIFE_DAYS without new reading:
 * w(t) = w(t0) · 2^(−(t − t0) / half-life). Weights are stored as they were at `at` and decayed on use,
 * so an update touches only the subject that read, never every profile.
 */
export const HALF_LIFE_DAYS = 14;
const HALF_LIFE_MS = HALF_LIFE_DAYS * 86_400_000;
/** Keywords kept per profile (the weakest go first), so a profile stays a few KB. */
const MAX_KEYWORDS = 60;

export type Weights = Record<string, number>;

export interface StoredProfile {
  kw: Weights;
  cat: Weights;
  /** Division codes: the county (6 digits) and its city (first 4 digits + "00"). */
  place: Weights;
  /** Unit slugs the subject reads or follows. */
  unit: Weights;
  /** ISO time the weights are valid at. */
  at: string;
}

/** What one item contributes to a profile when read. */
export interface ItemSignal {
  kw: Map<string, number>;
  category: string | null;
  places: string[];
  unitSlug: string | null;
}

/** How much each kind of event says about interest: a full read says more than a glance, a share most. */
export function eventWeight(type: string, depth: number | null): number {
  switch (type) {
    case 'read':
      return 0.5 + Math.min(1, Math.max(0, depth ?? 0.5));
    case 'view':
      return 0.4;
    case 'click':
      return 0.2;
    case 'like':
      return 1.5;
    case 'share':
      return 2;
    case 'follow':
      return 3;
    default:
      return 0;
  }
}

export const emptyProfile = (at: Date): StoredProfile => ({ kw: {}, cat: {}, place: {}, unit: {}, at: at.toISOString() });

export const decayFactor = (fromMs: number, toMs: number) => (toMs <= fromMs ? 1 : 2 ** (-(toMs - fromMs) / HALF_LIFE_MS));

function scale(w: Weights, f: number) {
  for (const k of Object.keys(w)) {
    w[k]! *= f;
    if (w[k]! < 1e-4) delete w[k];
  }
}

/** The profile as of `at` (decayed), as a new object. */
export function decayed(p: StoredProfile, at: Date): StoredProfile {
  const f = decayFactor(Date.parse(p.at), at.getTime());
  const out: StoredProfile = { kw: { ...p.kw }, cat: { ...p.cat }, place: { ...p.place }, unit: { ...p.unit }, at: new Date(Math.max(Date.parse(p.at), at.getTime())).toISOString() };
  if (f < 1) for (const w of [out.kw, out.cat, out.place, out.unit]) scale(w, f);
  return out;
}

const add = (w: Weights, key: string, v: number) => (w[key] = (w[key] ?? 0) + v);

/** Adds one event (in place); events may arrive slightly out of order, older ones count decayed. */
export function applyEvent(p: StoredProfile, at: Date, weight: number, signal: Partial<ItemSignal>): void {
  const t = at.getTime();
  const ref = Date.parse(p.at);
  let w = weight;
  if (t > ref) {
    const f = decayFactor(ref, t);
    for (const x of [p.kw, p.cat, p.place, p.unit]) scale(x, f);
    p.at = at.toISOString();
  } else w *= decayFactor(t, ref);
  if (signal.kw) for (const [k, v] of signal.kw) add(p.kw, k, w * v);
  if (signal.category) add(p.cat, signal.category, w);
  for (const code of signal.places ?? []) {
    add(p.place, code, w);
    if (code.length === 6 && !code.endsWith('00')) add(p.place, `${code.slice(0, 4)}00`, w * 0.5);
  }
  if (signal.unitSlug) add(p.unit, signal.unitSlug, w);
  const kws = Object.entries(p.kw);
  if (kws.length > MAX_KEYWORDS) p.kw = Object.fromEntries(kws.sort((a, b) => b[1] - a[1]).slice(0, MAX_KEYWORDS));
}

/** Two profiles as one (a signed-in reader's own and the device's anonymous one), both decayed to `at`. */
export function merge(a: StoredProfile, b: StoredProfile, at: Date): StoredProfile {
  const x = decayed(a, at);
  const y = decayed(b, at);
  for (const key of ['kw', 'cat', 'place', 'unit'] as const) for (const [k, v] of Object.entries(y[key])) add(x[key], k, v);
  return x;
}
