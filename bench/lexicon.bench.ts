// Lexicon engine vs the two npm Aho–Corasick sensitive-word filters (fastscan, mint-filter) on
// the full houbb lexicon (41.7k terms) and ≥ 10 MB of real news text, scanned article by article.
// The engine runs with every evasion fold on (width, case, Traditional, separators); the libraries
// do plain substring matching. Match sets are compared on plain text with the engine's folding off.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Mint } from 'mint-filter';
import type { Benchmark, Figure } from './harness.ts';
import { timeInterleaved } from './harness.ts';
import { LexiconEngine, loadHoubbLexicon } from '../src/modules/screening/lexicon/index.ts';
import { generateEvasions } from '../src/modules/screening/lexicon/evasion.ts';
import { jiebaWords } from '../src/modules/screening/config.ts';

const require = createRequire(import.meta.url);
interface FastScanner {
  search(content: string, options?: { quick?: boolean; longest?: boolean }): [number, string][];
}
// fastscan ships no types: this is the part of its API (README) the benchmark uses.
const FastScanner = require('fastscan') as new (words: string[]) => FastScanner;

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '../../shared/data/corpus/thucnews-1000.tsv');
const TARGET_BYTES = 10 * 1024 * 1024;

const mb = (bytes: number) => bytes / 1024 / 1024;
const rssMb = () => mb(process.memoryUsage().rss);
const heapMb = () => mb(process.memoryUsage().heapUsed);
// A forced GC so "retained" means live objects, not build garbage; typed arrays live outside the
// JS heap, so ArrayBuffer memory is added (the engine keeps its automaton there, the libraries none).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retainedMb = () => {
  gc();
  const m = process.memoryUsage();
  return mb(m.heapUsed + m.arrayBuffers);
};

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}

const bench: Benchmark = {
  name: 'lexicon',
  description: 'lexicon engine (all evasion folds on) vs fastscan and mint-filter: build, match sets, MB/s, memory',
  async run(ctx) {
    if (!existsSync(CORPUS)) {
      ctx.progress(`corpus ${CORPUS} is absent (../shared/data is not part of the repo): nothing to measure`);
      return [];
    }
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name}: rss ${rssMb().toFixed(0)} MB, heap ${heapMb().toFixed(0)} MB`);
    phase('start');
    const articles = readFileSync(CORPUS, 'utf8')
      .split('\n')
      .map((l) => l.slice(l.indexOf('\t') + 1))
      .filter((t) => t.length > 0);
    const docs: string[] = [];
    let bytes = 0;
    while (bytes < TARGET_BYTES) {
      for (const a of articles) {
        docs.push(a);
        bytes += Buffer.byteLength(a);
      }
    }
    ctx.progress(`corpus: ${docs.length} articles, ${mb(bytes).toFixed(1)} MB UTF-8`);
    const { terms, errors } = loadHoubbLexicon();
    if (errors.length > 0) throw new Error(`houbb lexicon: ${errors.length} parse errors`);
    const words = terms.map((t) => t.term);
    phase('corpus + lexicon loaded');

    // Build each, recording time and the heap it retains (measured after the previous one is built).
    let h0 = retainedMb();
    const [engine, engineBuildMs] = timed(() => LexiconEngine.build(terms));
    const engineHeap = retainedMb() - h0;
    phase('engine built');
    h0 = retainedMb();
    const [fast, fastBuildMs] = timed(() => new FastScanner(words));
    const fastHeap = retainedMb() - h0;
    phase('fastscan built');
    h0 = retainedMb();
    const [mint, mintBuildMs] = timed(() => new Mint(words));
    const mintHeap = retainedMb() - h0;
    phase('mint-filter built');
    ctx.progress(`build: engine ${engineBuildMs.toFixed(0)} ms (retains ${engineHeap.toFixed(1)} MB incl. fold tables), fastscan ${fastBuildMs.toFixed(0)} ms (${fastHeap.toFixed(1)} MB), mint-filter ${mintBuildMs.toFixed(0)} ms (${mintHeap.toFixed(1)} MB)`);

    // Match sets on the original articles (each once), engine folding off.
    // fastscan reports every (offset, word), like the engine: the sets must be identical.
    // mint-filter lower-cases both sides and, at each end position, reports only the deepest trie node
    // when that node is a word (it never follows failure links for shorter words ending there), so
    // its words must equal the engine's longest match per end position where that match is the
    // automaton's deepest state — we check the weaker, exact property: mint's multiset ⊆ engine's,
    // and count what it misses.
    let fastEqual = true;
    let engineCount = 0;
    let fastCount = 0;
    let mintCount = 0;
    let mintNotInEngine = 0;
    for (const a of articles) {
      const mine = engine.scan(a, { normalize: false });
      engineCount += mine.length;
      const mineSet = new Set(mine.map((m) => `${m.start}\u0000${m.term}`));
      const theirs = fast.search(a);
      fastCount += theirs.length;
      const theirSet = new Set(theirs.map(([at, w]) => `${at}\u0000${w}`));
      if (mineSet.size !== theirSet.size || [...theirSet].some((k) => !mineSet.has(k))) fastEqual = false;
      // mint-filter compares lower-cased text; lower-casing the input for the engine gives it the same view.
      const lower = a.toLowerCase();
      const mineLower = new Map<string, number>();
      if (lower.length === a.length) {
        for (const m of engine.scan(lower, { normalize: false })) mineLower.set(m.variant, (mineLower.get(m.variant) ?? 0) + 1);
        for (const w of mint.filter(a, { replace: false }).words) {
          mintCount++;
          const left = mineLower.get(w.toLowerCase()) ?? 0;
          if (left === 0) mintNotInEngine++;
          else mineLower.set(w.toLowerCase(), left - 1);
        }
      }
    }
    ctx.progress(`match sets on ${articles.length} articles: engine ${engineCount}, fastscan ${fastCount} (equal: ${fastEqual}), mint-filter ${mintCount} (not found by the engine: ${mintNotInEngine}; fewer because it skips shorter words ending at the same position)`);
    phase('match sets compared');

    let sink = 0;
    const contenders = [
      { label: 'engine (normalised)', op: async () => { for (const d of docs) sink += engine.scan(d).length; } },
      { label: 'fastscan', op: async () => { for (const d of docs) sink += fast.search(d).length; } },
      { label: 'mint-filter', op: async () => { for (const d of docs) sink += mint.filter(d, { replace: false }).words.length; } },
      { label: 'engine (literal)', op: async () => { for (const d of docs) sink += engine.scan(d, { normalize: false }).length; } },
    ];
    const timings = await timeInterleaved({ iterations: 3, warmup: 1, rounds: 3, progress: ctx.progress }, contenders);
    const mbs = timings.map((t) => mb(bytes) / (t.p50 / 1000));
    ctx.progress(`throughput (p50 of 3 full passes): ${contenders.map((c, i) => `${c.label} ${mbs[i].toFixed(1)} MB/s`).join(', ')} (sink ${sink})`);
    phase('throughput measured');

    const [hEngine, hBuildMs] = timed(() => LexiconEngine.build(terms, { homophones: 'review' }));
    const [, hScanMs] = timed(() => { for (const d of docs) sink += hEngine.scan(d).length; });
    ctx.progress(`homophones on: build ${hBuildMs.toFixed(0)} ms, ${(mb(bytes) / (hScanMs / 1000)).toFixed(1)} MB/s`);
    phase('homophone engine');
    for (const p of phases) ctx.progress(`memory ${p}`);
    const peak = process.resourceUsage().maxRSS / 1024;

    // What editors see: the share of real news stories with a finding of review tier or above, with the
    // engine as the platform builds it (jieba segmenter for whole-word terms and sound-alikes).
    const platform = LexiconEngine.build(terms, { segment: jiebaWords });
    const flagged = articles.filter((a) => platform.scan(a).some((m) => m.severity !== 'info')).length;
    const share = flagged / articles.length;
    const untiered = LexiconEngine.build(terms.map((t) => ({ term: t.term, category: t.category, severity: 'review' as const })), { homophones: 'none' });
    const untieredShare = articles.filter((a) => untiered.scan(a).length > 0).length / articles.length;
    ctx.progress(`review-or-above share on ${articles.length} THUCNews stories: ${(share * 100).toFixed(1)}% (the untiered list: ${(untieredShare * 100).toFixed(1)}%)`);
    // Recall on the project's evasion generator: every 10th block/review term, each way it applies.
    const pool = terms.filter((t) => t.severity !== 'info').filter((_, i) => i % 10 === 0);
    const cases = generateEvasions(pool).filter((e) => e.kind !== 'homophone' || e.term.severity === 'block');
    const misses = new Map<string, number>();
    let found = 0;
    for (const e of cases) {
      if (platform.scan(e.text).some((m) => m.term === e.term.term)) found++;
      else misses.set(e.kind, (misses.get(e.kind) ?? 0) + 1);
    }
    const recall = found / cases.length;
    ctx.progress(`evasion recall: ${found}/${cases.length} (${pool.length} terms); misses by kind: ${[...misses].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);

    const fasterLib = Math.max(mbs[1], mbs[2]);
    const fasterName = mbs[1] >= mbs[2] ? 'fastscan' : 'mint-filter';
    const figures: Figure[] = [
      { metric: 'throughput_mb_s', value: mbs[0], baseline: fasterLib, ratio: 'baseline/value', maxRatio: 0.2, goal: `engine with all evasion folds (homophones for block terms) >= 5x the faster of fastscan/mint-filter (${fasterName})` },
      { metric: 'review_share', value: share, baseline: untieredShare, ratio: 'value/baseline', maxRatio: 0.05 / untieredShare, goal: 'share of THUCNews-1000 stories with a finding of review tier or above <= 5% (baseline: the untiered list)' },
      { metric: 'evasion_recall', value: recall, baseline: 0.98, ratio: 'baseline/value', maxRatio: 1, goal: 'recall on the evasion generator (spaces, symbols, zero-width, emoji, letters, homophones of block terms) >= 0.98' },
      { metric: 'match_set_equal', value: fastEqual ? 1 : 0, baseline: 1, ratio: 'baseline/value', maxRatio: 1, goal: 'engine normalize:false reports exactly fastscan\'s (offset, term) set on every article' },
      { metric: 'build_ms', value: engineBuildMs, baseline: Math.min(fastBuildMs, mintBuildMs), ratio: 'value/baseline', maxRatio: 2, goal: 'engine build (incl. fold tables) within 2x the faster library build' },
      { metric: 'retained_mb', value: engineHeap, baseline: Math.min(fastHeap, mintHeap), ratio: 'value/baseline', maxRatio: 1, goal: 'memory the built engine keeps (heap + typed arrays, after GC, incl. shared fold tables) vs the leaner library' },
      { metric: 'peak_rss_mb', value: peak, baseline: rssMb(), ratio: 'value/baseline', maxRatio: 1.5, goal: 'maxRSS of the whole run vs RSS at its end (all three structures + corpus live)' },
    ];
    return figures;
  },
};

export default bench;
