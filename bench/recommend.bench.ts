// Offline evaluation of the recommender (src/modules/recommend/rank.ts, the very function the feed API
// calls) against popularity and recency baselines, on the THUCNews sample (../shared/data, research-only:
// read in place, never copied into the repo; skipped when absent).
//
// The reader simulator (documented, seeded, reproducible):
// - Catalogue: the 1,000 articles, each given a publication time spread evenly over 30 days (seeded
//   shuffle), a latent appeal (log-normal: a few stories everyone reads) and a county among 12 in 3
//   cities (four counties each), a third of them city-wide (the city code).
// - Readers (1,000): a home county; latent category tastes — two favourite categories share 75% of
//   their reading, the other 8 the remaining 25%; a taste for local news (30–80% extra weight for the
//   home county, half that for the home city).
// - Sessions: each reader has 6–18 sessions at random times over the 30 days; a session reads 2–6
//   distinct unread stories published in the 7 days before it, each drawn with probability ∝
//   category taste × appeal × locality × freshness (2^(−age/36 h)).
// - Time split and replay: events are replayed in time order. Before day 24 they only train (profiles,
//   reads, co-reads, popularity, with the platform's own code). From day 24 each session is first a test
//   request made at its start — answered from everything learned from EARLIER events only — and the
//   stories read in it are the relevant ones; then its reads are learned, as the live job would. Candidates: the stories published in
//   the 10 days before the request (what a site keeps live on its front pages), never ones read in training.
// Metrics: nDCG@10 (binary gain), recall@20 and catalogue coverage (share of the catalogue appearing in
// anyone's top 10), for the platform's feed, the popularity baseline (most read in training) and the
// recency baseline (newest first), and a stronger "trending" popularity (reads decayed with a 24 h half-life),
// in the same run. Goal: nDCG@10 ≥ 1.5× the popularity baseline's.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ItemFeatures, normalise } from '../src/modules/recommend/features.ts';
import { applyEvent, emptyProfile, eventWeight, type StoredProfile, decayed } from '../src/modules/recommend/profile.ts';
import { rank } from '../src/modules/recommend/rank.ts';
import { POPULARITY_HALF_LIFE_HOURS } from '../src/modules/recommend/service.ts';
import { keywords } from '../src/modules/nlp/index.ts';
import type { Benchmark, Figure } from './harness.ts';
import { random } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '../../shared/data/corpus/thucnews-1000.tsv');
const SEED = 20261127;
const DAY = 86_400_000;
const START = Date.parse('2026-10-01T00:00:00Z');
const DAYS = 30;
const SPLIT = START + 24 * DAY;
const READERS = 1000;
const CANDIDATE_DAYS = 10;
const COUNTIES = ['510104', '510105', '510106', '510107', '510703', '510704', '510722', '510723', '511102', '511111', '511112', '511113'];
const MIN_GAIN = 1.5;


interface Article extends ItemFeatures {
  appeal: number;
}
interface Reader {
  id: number;
  county: string;
  taste: Map<string, number>;
  localTaste: number;
}
interface Read {
  reader: number;
  item: string;
  at: number;
  session: number;
}

const city = (code: string) => `${code.slice(0, 4)}00`;

function loadCatalogue(rnd: () => number): Article[] {
  const lines = fs.readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.includes('\t'));
  const order = lines.map((_, i) => i).sort(() => rnd() - 0.5);
  return lines.map((line, i) => {
    const [category, text] = line.split('\t') as [string, string];
    const title = Array.from(text).slice(0, 24).join('').trim();
    const county = COUNTIES[Math.floor(rnd() * COUNTIES.length)]!;
    const place = rnd() < 1 / 3 ? city(county) : county;
    const u1 = rnd() || 1e-9;
    const u2 = rnd();
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return {
      itemId: `a${i}`,
      title,
      kw: normalise(keywords(text, 15).map((k) => [k.word, k.weight] as const)),
      category,
      places: place === county ? [county, city(county)] : [place],
      unitSlug: null,
      publishedAt: START + (order[i]! / lines.length) * DAYS * DAY,
      appeal: Math.exp(0.8 * normal),
    };
  });
}

function simulate(articles: Article[], rnd: () => number): { readers: Reader[]; reads: Read[] } {
  const cats = [...new Set(articles.map((a) => a.category!))];
  const readers: Reader[] = [];
  const reads: Read[] = [];
  let session = 0;
  for (let r = 0; r < READERS; r++) {
    const shuffled = [...cats].sort(() => rnd() - 0.5);
    const taste = new Map(cats.map((c) => [c, 0.25 / (cats.length - 2)]));
    taste.set(shuffled[0]!, 0.45);
    taste.set(shuffled[1]!, 0.3);
    const reader: Reader = { id: r, county: COUNTIES[Math.floor(rnd() * COUNTIES.length)]!, taste, localTaste: 0.3 + 0.5 * rnd() };
    readers.push(reader);
    const seen = new Set<string>();
    const sessions = 6 + Math.floor(rnd() * 13);
    const times = Array.from({ length: sessions }, () => START + 2 * DAY + rnd() * (DAYS - 2) * DAY).sort((a, b) => a - b);
    for (const t of times) {
      session++;
      const pool = articles.filter((a) => a.publishedAt <= t && a.publishedAt > t - 7 * DAY && !seen.has(a.itemId));
      const weights = pool.map((a) => {
        const local = a.places.includes(reader.county) ? 1 + reader.localTaste * 3 : a.places.includes(city(reader.county)) ? 1 + reader.localTaste * 1.5 : 1;
        return reader.taste.get(a.category!)! * a.appeal * local * 2 ** (-(t - a.publishedAt) / (36 * 3_600_000));
      });
      const n = 2 + Math.floor(rnd() * 5);
      for (let k = 0; k < n && pool.length; k++) {
        const total = weights.reduce((s, w) => s + w, 0);
        let x = rnd() * total;
        let j = 0;
        while (j < weights.length - 1 && (x -= weights[j]!) > 0) j++;
        const a = pool[j]!;
        seen.add(a.itemId);
        reads.push({ reader: r, item: a.itemId, at: t + k * 120_000, session });
        pool.splice(j, 1);
        weights.splice(j, 1);
      }
    }
  }
  return { readers, reads };
}

const dcg = (list: string[], relevant: Set<string>, k: number) => list.slice(0, k).reduce((s, id, i) => s + (relevant.has(id) ? 1 / Math.log2(i + 2) : 0), 0);
function ndcg(list: string[], relevant: Set<string>, k = 10) {
  const ideal = Array.from({ length: Math.min(k, relevant.size) }, (_, i) => 1 / Math.log2(i + 2)).reduce((a, b) => a + b, 0);
  return ideal ? dcg(list, relevant, k) / ideal : 0;
}
const recall = (list: string[], relevant: Set<string>, k = 20) => list.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;

const bench: Benchmark = {
  name: 'recommend',
  description: 'offline evaluation: reading sessions replayed over the THUCNews sample, nDCG@10 / recall@20 / coverage vs popularity and recency',
  async run(ctx) {
    if (!fs.existsSync(CORPUS)) {
      ctx.progress(`skipped: the corpus is not here (${CORPUS}); it lives in ../shared/data beside the project, never in the repo`);
      process.stdout.write(`recommend: SKIPPED, corpus not found at ${CORPUS}\n`);
      return [];
    }
    const rnd = random(SEED);
    ctx.progress('keywords for 1,000 articles…');
    const articles = loadCatalogue(rnd);
    const byId = new Map(articles.map((a) => [a.itemId, a]));
    const { readers, reads } = simulate(articles, rnd);
    ctx.progress(`${readers.length} readers, ${reads.length} reads (${reads.filter((r) => r.at < SPLIT).length} before the split)`);

    // The replay, in time order: events before day 24 only train; from day 24 on, each session is first
    // a request (evaluated with what was learned from every earlier event), then its reads are learned.
    // Learning uses the platform's own profile code and the service's co-read rule (last 5 reads, 3 days).
    const profiles = new Map<number, StoredProfile>();
    const history = new Map<number, Read[]>();
    const coreads = new Map<string, Map<string, number>>();
    const pop = new Map<string, { score: number; at: number }>();
    const count = new Map<string, number>();
    const learn = (r: Read) => {
      const a = byId.get(r.item)!;
      const p = profiles.get(r.reader) ?? emptyProfile(new Date(r.at));
      profiles.set(r.reader, p);
      const w = eventWeight('read', 0.9);
      applyEvent(p, new Date(r.at), w, { kw: a.kw, category: a.category, places: a.places });
      const h = history.get(r.reader) ?? [];
      history.set(r.reader, h);
      for (const prev of h.slice(-5)) {
        if (r.at - prev.at > 3 * DAY) continue;
        for (const [x, y] of [
          [prev.item, r.item],
          [r.item, prev.item],
        ] as const) {
          const m = coreads.get(x) ?? new Map<string, number>();
          coreads.set(x, m);
          m.set(y, (m.get(y) ?? 0) + 1);
        }
      }
      h.push(r);
      const old = pop.get(r.item);
      pop.set(r.item, { score: (old ? old.score * 2 ** (-(r.at - old.at) / (POPULARITY_HALF_LIFE_HOURS * 3_600_000)) : 0) + w, at: r.at });
      count.set(r.item, (count.get(r.item) ?? 0) + 1);
    };

    const sessions = new Map<number, Read[]>();
    for (const r of reads) (sessions.get(r.session) ?? sessions.set(r.session, []).get(r.session)!).push(r);
    const ordered = [...sessions.values()].sort((a, b) => a[0]!.at - b[0]!.at);
    const systems = ['platform', 'popularity', 'recency', 'trending'] as const;
    const sums = Object.fromEntries(systems.map((s) => [s, { ndcg: 0, recall: 0, shown: new Set<string>() }])) as Record<(typeof systems)[number], { ndcg: number; recall: number; shown: Set<string> }>;
    let n = 0;
    let done = 0;
    const testSessions = ordered.filter((l) => l[0]!.at >= SPLIT).length;
    for (const list of ordered) {
      const now = list[0]!.at;
      if (now >= SPLIT) {
        if (++done % 500 === 0) ctx.progress(`test sessions ${done}/${testSessions}`);
        evaluate(list, now);
      }
      for (const r of list) learn(r);
    }
    function evaluate(list: Read[], now: number) {
      const reader = readers[list[0]!.reader]!;
      const readBefore = new Set((history.get(reader.id) ?? []).map((r) => r.item));
      const candidates = articles.filter((a) => a.publishedAt <= now && a.publishedAt > now - CANDIDATE_DAYS * DAY && !readBefore.has(a.itemId));
      const relevant = new Set(list.map((r) => r.item).filter((id) => candidates.some((c) => c.itemId === id)));
      if (!relevant.size) return;
      n++;
      const recentReads = (history.get(reader.id) ?? []).slice(-10).reverse();
      const co = new Map<string, { via: string; n: number }>();
      for (const r of recentReads)
        for (const [b, c] of coreads.get(r.item) ?? []) {
          const had = co.get(b);
          if (!had) co.set(b, { via: r.item, n: c });
          else had.n += c;
        }
      const popularity = new Map([...pop].map(([id, v]) => [id, v.score * 2 ** (-(now - v.at) / (POPULARITY_HALF_LIFE_HOURS * 3_600_000))]));
      const profile = profiles.get(reader.id);
      const lists = {
        platform: rank({
          candidates,
          profile: profile ? decayed(profile, new Date(now)) : null,
          read: readBefore,
          recent: recentReads.map((r) => byId.get(r.item)!),
          coread: co,
          popularity,
          county: reader.county,
          pins: [],
          now,
          limit: 20,
        }).map((s) => s.item.itemId),
        // Most read so far among the live stories (ties: newest), the classic "热门" list.
        popularity: [...candidates].sort((a, b) => (count.get(b.itemId) ?? 0) - (count.get(a.itemId) ?? 0) || b.publishedAt - a.publishedAt).slice(0, 20).map((a) => a.itemId),
        recency: [...candidates].sort((a, b) => b.publishedAt - a.publishedAt).slice(0, 20).map((a) => a.itemId),
        // A stronger popularity: reads decayed with the platform's own half-life (what is read now).
        trending: [...candidates].sort((a, b) => (popularity.get(b.itemId) ?? 0) - (popularity.get(a.itemId) ?? 0) || b.publishedAt - a.publishedAt).slice(0, 20).map((a) => a.itemId),
      };
      for (const s of systems) {
        sums[s].ndcg += ndcg(lists[s], relevant);
        sums[s].recall += recall(lists[s], relevant);
        for (const id of lists[s].slice(0, 10)) sums[s].shown.add(id);
      }
    }
    const fig = (s: (typeof systems)[number]) => ({ ndcg: sums[s].ndcg / n, recall: sums[s].recall / n, coverage: sums[s].shown.size / articles.length });
    const [p, pb, rb, tb] = [fig('platform'), fig('popularity'), fig('recency'), fig('trending')];
    console.log(`\nrecommend offline evaluation: ${n} test sessions, ${readers.length} readers, ${articles.length} articles, split at day 24 of 30`);
    console.log('system       nDCG@10  recall@20  coverage');
    for (const [name, f] of [
      ['platform', p],
      ['popularity', pb],
      ['recency', rb],
      ['trending', tb],
    ] as const)
      console.log(`${name.padEnd(12)} ${f.ndcg.toFixed(4)}   ${f.recall.toFixed(4)}     ${f.coverage.toFixed(3)}`);
    const figures: Figure[] = [
      { metric: 'ndcg10', value: p.ndcg, baseline: pb.ndcg, ratio: 'baseline/value', maxRatio: 1 / MIN_GAIN, goal: `nDCG@10 at least ${MIN_GAIN}x the popularity baseline's` },
      { metric: 'ndcg10_vs_recency', value: p.ndcg, baseline: rb.ndcg, ratio: 'baseline/value', maxRatio: 1, goal: 'nDCG@10 above the recency baseline' },
      { metric: 'ndcg10_vs_trending', value: p.ndcg, baseline: tb.ndcg, ratio: 'baseline/value', maxRatio: 1, goal: 'nDCG@10 above decayed ("trending") popularity' },
      { metric: 'recall20', value: p.recall, baseline: pb.recall, ratio: 'baseline/value', maxRatio: 1, goal: 'recall@20 above the popularity baseline' },
      { metric: 'coverage', value: p.coverage, baseline: pb.coverage, ratio: 'baseline/value', maxRatio: 1, goal: 'catalogue coverage (top 10) above the popularity baseline' },
    ];
    return figures;
  },
};

export default bench;
