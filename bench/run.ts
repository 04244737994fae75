// Entry point: `npm run bench -- <name>` runs one benchmark, `--list` names them all.
// Benchmarks are found as bench/*.bench.ts with a default export, so adding one needs no edit here.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark } from './harness.ts';
import { report } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function isBenchmark(value: unknown): value is Benchmark {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Record<string, unknown>;
  return typeof b.name === 'string' && typeof b.description === 'string' && typeof b.run === 'function';
}

async function loadBenchmarks(): Promise<Benchmark[]> {
  const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
  const found: Benchmark[] = [];
  for (const file of files) {
    const mod: { default?: unknown } = await import(pathToFileURL(path.join(here, file)).href);
    if (!isBenchmark(mod.default)) throw new Error(`bench/${file} must default-export { name, description, run(ctx) }`);
    found.push(mod.default);
  }
  return found;
}

function usage(benchmarks: Benchmark[]): string {
  const width = Math.max(...benchmarks.map((b) => b.name.length));
  return ['usage: npm run bench -- <name> | --list', '', 'benchmarks:', ...benchmarks.map((b) => `  ${b.name.padEnd(width)}  ${b.description}`)].join('\n');
}

const [name, ...args] = process.argv.slice(2);
const benchmarks = await loadBenchmarks();

if (name === '--list') {
  for (const b of benchmarks) console.log(`${b.name}\t${b.description}`);
} else if (!name || name === '--help' || name === '-h') {
  console.error(usage(benchmarks));
  process.exitCode = name ? 0 : 2;
} else {
  const bench = benchmarks.find((b) => b.name === name);
  if (!bench) {
    console.error(`unknown benchmark "${name}"\n\n${usage(benchmarks)}`);
    process.exitCode = 2;
  } else {
    const started = Date.now();
    const figures = await bench.run({ args, progress: (message) => process.stderr.write(`[${bench.name}] ${message}\n`) });
    report(bench.name, figures);
    process.stderr.write(`[${bench.name}] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}
