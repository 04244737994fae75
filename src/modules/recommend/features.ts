import { keywords } from '../nlp/index.ts';

/** What the recommender knows of a story: a unit-length keyword vector, its category, places and unit. */
export interface ItemFeatures {
  itemId: string;
  title: string;
  kw: Map<string, number>;
  category: string | null;
  /** County or city division codes (6 digits). */
  places: string[];
  unitSlug: string | null;
  publishedAt: number;
}

/** L2-normalised, so a dot product is the cosine. */
export function normalise(entries: Iterable<readonly [string, number]>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, v] of entries) if (v > 0) m.set(k, (m.get(k) ?? 0) + v);
  const norm = Math.sqrt([...m.values()].reduce((s, v) => s + v * v, 0));
  if (norm > 0) for (const [k, v] of m) m.set(k, v / norm);
  return m;
}

export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, v] of small) {
    const w = big.get(k);
    if (w) s += v * w;
  }
  return s;
}

/**
 * Keywords of a story: the hub's understanding (TF-IDF keywords, editors' corrections included) when it
 * has been computed, else TF-IDF over the text now — so a story published a second ago already has a
 * vector and can be recommended (cold start), whether or not anyone has read it.
 */
export function keywordVector(understood: { word: string; weight?: number }[] | null | undefined, text: () => string, tags: string[] = []): Map<string, number> {
  const base: [string, number][] = understood?.length ? understood.map((k, i) => [k.word, k.weight ?? 1 / (i + 1)]) : keywords(text(), 15).map((k) => [k.word, k.weight]);
  const max = Math.max(0, ...base.map(([, w]) => w)) || 1;
  // Editors' tags are deliberate topic labels: as strong as the strongest keyword.
  return normalise([...base, ...tags.map((t) => [t, max] as [string, number])]);
}

/** A place code and the city above it: 510104 → [510104, 510100]. */
export function placeWithCity(code: string | null | undefined): string[] {
  if (!code || !/^\d{6}$/.test(code)) return [];
  const city = `${code.slice(0, 4)}00`;
  return code === city ? [code] : [code, city];
}
