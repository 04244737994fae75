// Shared pieces of every benchmark: timing loops, percentiles, progress on stderr, and the
// report (a table for people, RESULT lines on stdout for scripts that compare runs).
import { performance } from 'node:perf_hooks';

export interface BenchContext {
  /** Arguments after the benchmark name (`npm run bench -- api --foo` gives ['--foo']). */
  args: string[];
  /** A line of progress for the person waiting; goes to stderr so stdout holds only the report. */
  progress(message: string): void;
}

/**
 * One measured figure next to its baseline, both taken in the same run and process so machine
 * noise hits them alike. `ratio` says which way round the ratio is taken; we pick the direction
 * that makes "bigger is worse" for every figure, so every goal reads `ratio<=N`.
 */
export interface Figure {
  /** Name with its unit, e.g. `p95_ms` or `rps`. */
  metric: string;
  value: number;
  baseline: number;
  ratio: 'value/baseline' | 'baseline/value';
  /** Largest acceptable ratio. */
  maxRatio: number;
  /** Why, in words; ends the RESULT line so it may contain spaces. */
  goal: string;
}

export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

export interface Timing {
  /** Per-operation latencies in ms, sorted ascending. */
  samples: number[];
  /** Wall time of the measured (not warm-up) phase in ms. */
  wallMs: number;
  p50: number;
  p95: number;
  p99: number;
  /** Operations per second over the wall time, so concurrency counts. */
  throughput: number;
}

export interface TimeOptions {
  label: string;
  iterations: number;
  warmup: number;
  /** Operations kept in flight at once; 1 measures plain sequential latency. */
  concurrency?: number;
  progress: (message: string) => void;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Runs `op` for warm-up (discarded: JIT, connection setup, caches) then `iterations` times with
 * `concurrency` workers pulling from one counter, timing each call and the whole phase.
 */
export async function timeIterations(opts: TimeOptions, op: () => Promise<void>): Promise<Timing> {
  const [timing] = await timeInterleaved({ ...opts, rounds: 1 }, [{ label: opts.label, op }]);
  return timing;
}

export interface Contender {
  label: string;
  op: () => Promise<void>;
}

/**
 * Times several contenders (the subject and its baseline) in alternating rounds, so a burst of
 * load from elsewhere on the machine lands on both rather than skewing one side of the ratio.
 * Each contender gets `warmup` first, then `iterations` split evenly over `rounds`.
 */
export async function timeInterleaved(
  opts: Omit<TimeOptions, 'label'> & {
    rounds: number;
    /**
     * Untimed operations before each contender's block in every round, so each is timed in its own
     * steady state rather than in the caches the other contender just left (a LIKE scan over every
     * row's text evicts the index pages a search reads).
     */
    roundWarmup?: number;
  },
  contenders: Contender[],
): Promise<Timing[]> {
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const rounds = Math.max(1, Math.min(opts.rounds, opts.iterations));
  for (const c of contenders) {
    opts.progress(`${c.label}: warm-up ${opts.warmup}`);
    await drive(opts.warmup, concurrency, c.op, () => {});
  }
  const samples: number[][] = contenders.map(() => []);
  const wall: number[] = contenders.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    // The last round takes the remainder so the total is exactly `iterations`.
    const count = round === rounds - 1 ? opts.iterations - Math.floor(opts.iterations / rounds) * (rounds - 1) : Math.floor(opts.iterations / rounds);
    for (const [i, c] of contenders.entries()) {
      if (opts.roundWarmup) await drive(opts.roundWarmup, concurrency, c.op, () => {});
      let lastReport = performance.now();
      const started = performance.now();
      await drive(count, concurrency, c.op, (ms) => {
        samples[i].push(ms);
        const now = performance.now();
        // Once a second at most, so fast benchmarks do not drown in their own output.
        if (now - lastReport >= 1000) {
          lastReport = now;
          opts.progress(`${c.label}: ${samples[i].length}/${opts.iterations}`);
        }
      });
      wall[i] += performance.now() - started;
      opts.progress(`${c.label}: ${samples[i].length}/${opts.iterations} (round ${round + 1}/${rounds})`);
    }
  }
  return contenders.map((_, i) => summarize(samples[i], wall[i]));
}

function summarize(samples: number[], wallMs: number): Timing {
  samples.sort((a, b) => a - b);
  return {
    samples,
    wallMs,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    throughput: (samples.length / wallMs) * 1000,
  };
}

async function drive(count: number, concurrency: number, op: () => Promise<void>, done: (ms: number) => void) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const t0 = performance.now();
      await op();
      done(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export function ratioOf(f: Figure): number {
  return f.ratio === 'value/baseline' ? f.value / f.baseline : f.baseline / f.value;
}

/** Three significant figures at most, never exponent notation: readable and diff-friendly. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toFixed(digits);
}

/** The readable table, then one RESULT line per figure; both on stdout, progress stays on stderr. */
export function report(name: string, figures: Figure[]): void {
  const rows = figures.map((f) => {
    const r = ratioOf(f);
    return [f.metric, formatNumber(f.value), formatNumber(f.baseline), `${formatNumber(r)} (${f.ratio})`, `<=${f.maxRatio}`, r <= f.maxRatio ? 'ok' : 'MISSED'];
  });
  const header = ['metric', 'value', 'baseline', 'ratio', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(`\n${name}\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  process.stdout.write('\n');
  for (const f of figures) {
    process.stdout.write(
      `RESULT ${name} ${f.metric}=${formatNumber(f.value)} baseline=${formatNumber(f.baseline)} ` +
        `ratio=${formatNumber(ratioOf(f))} goal=ratio<=${f.maxRatio} (${f.ratio}; ${f.goal})\n`,
    );
  }
}

export { random } from '../src/platform/random.ts';
