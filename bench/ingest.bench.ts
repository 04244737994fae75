// Reading-event ingest: the platform's path (validation, bot and duplicate filtering, consent-aware
// attribution, then the in-process buffer writing up to 5,000 rows per statement (one JSON parameter, json_to_recordset) into
// the day-partitioned reader_events) against the plainest thing that could work, one INSERT per event,
// on the same database in the same run. Batches arrive as the tracker sends them: 20 events from one
// device at a time, from 50,000 devices, spread over today and the two days before (three partitions).
// The rounds alternate so load elsewhere on the machine hits both sides.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createServices } from '../src/app.ts';
import { seedAlliance } from '../src/modules/alliance/seed.ts';
import type { EventRow } from '../src/modules/readers/events.repo.ts';
import { insertEventOneByOne } from '../src/modules/readers/events.repo.ts';
import type { IncomingEvent } from '../src/modules/readers/events.service.ts';
import { type DatabaseHandle, type DatabaseTarget, openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import type { Benchmark, Figure } from './harness.ts';
import { random } from './harness.ts';

const BATCHED_EVENTS = 100_000;
const BASELINE_EVENTS = 10_000;
const ROUNDS = 4;
const PER_REQUEST = 20;
// Many devices, few batches each: a real device sends a batch every few seconds, not many a second.
const DEVICES = 50_000;
const MIN_RATE = 10_000;
const MIN_SPEEDUP = 10;
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47';

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
}


const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const itemId = (n: number) => `${hex(n, 8)}-0000-4000-8000-${hex(n, 12)}`;

/** Realistic events: mostly views and reads (with depth and dwell), some clicks, shares and likes. */
function makeEvents(count: number, serial: { n: number }, rnd: () => number, units: string[]): { device: string; events: IncomingEvent[] }[] {
  const now = Date.now();
  const batches: { device: string; events: IncomingEvent[] }[] = [];
  for (let done = 0; done < count; done += PER_REQUEST) {
    const device = `bench-device-${hex(Math.floor(rnd() * DEVICES), 6)}`;
    const events: IncomingEvent[] = [];
    for (let i = 0; i < Math.min(PER_REQUEST, count - done); i++) {
      const r = rnd();
      const type = r < 0.45 ? 'view' : r < 0.85 ? 'read' : r < 0.93 ? 'click' : r < 0.97 ? 'share' : 'like';
      events.push({
        id: `bench-${hex(serial.n++, 10)}-${hex(Math.floor(rnd() * 0xffffff), 6)}`,
        type,
        at: new Date(now - Math.floor(rnd() * 2.5 * 86_400_000)).toISOString(),
        item: itemId(Math.floor(rnd() * 5000)),
        unit: units[Math.floor(rnd() * units.length)],
        ...(type === 'read' ? { depth: Math.round(rnd() * 100) / 100, dwellMs: Math.floor(rnd() * 180_000) } : {}),
        ...(type === 'click' || type === 'share' ? { target: type === 'share' ? 'wechat' : '/portal/510104' } : {}),
      });
    }
    batches.push({ device, events });
  }
  return batches;
}

const benchmark: Benchmark = {
  name: 'ingest',
  description: `reading-event ingest: the batched pipeline (${BATCHED_EVENTS.toLocaleString('en')} events) vs one INSERT per event (${BASELINE_EVENTS.toLocaleString('en')}), into day partitions`,
  async run(ctx) {
    const batchedTotal = option(ctx.args, 'events', BATCHED_EVENTS);
    const baselineTotal = option(ctx.args, 'baseline', BASELINE_EVENTS);
    const url = process.env.BENCH_DATABASE_URL;
    const dataDir = url ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-bench-ingest-'));
    // On disk, as a deployment would run it: an in-memory PGlite would flatter both sides.
    const target: DatabaseTarget = url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: dataDir! };
    const engine = url ? 'PostgreSQL' : 'PGlite';
    ctx.progress(`database: ${url ? 'PostgreSQL (BENCH_DATABASE_URL)' : `PGlite on disk at ${dataDir}`}`);
    let handle: DatabaseHandle | null = null;
    try {
      handle = await openDatabase(target);
      const db = handle.db;
      await migrateToLatest(db);
      await seedAlliance(db);
      const existing = await db.selectFrom('reader_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(existing.n) > 0) throw new Error('BENCH_DATABASE_URL must name an empty scratch database (reader_events has rows)');
      const services = createServices(db, { sessionHours: 12, auditRetentionDays: 365 });
      const units = (await db.selectFrom('units').select('division_code').where('kind', '=', 'county').execute()).map((u) => u.division_code!);
      const rnd = random(20261127);
      const serial = { n: 0 };
      const events = services.readerEvents;

      const runBatched = async (count: number) => {
        const batches = makeEvents(count, serial, rnd, units);
        const t0 = performance.now();
        for (const b of batches) {
          const r = await events.ingest(b, { reader: null, userAgent: UA, ip: '203.0.113.9' });
          if (r.accepted !== b.events.length) throw new Error(`expected every event accepted, got ${JSON.stringify(r)} for ${b.device}: ${JSON.stringify((events as unknown as { rates: { windows: Map<string, unknown> } }).rates.windows.get(b.device))} now ${Date.now()}`);
        }
        await events.flushBefore();
        return performance.now() - t0;
      };
      // The same events, each its own INSERT: what a straightforward handler would do.
      const runBaseline = async (count: number) => {
        const rows: EventRow[] = makeEvents(count, serial, rnd, units).flatMap((b) =>
          b.events.map((e) => ({
            occurredAt: new Date(e.at),
            eventId: e.id,
            type: e.type,
            readerId: null,
            deviceId: b.device,
            unitId: null,
            itemId: e.item ?? null,
            depth: e.depth ?? null,
            dwellMs: e.dwellMs ?? null,
            target: e.target ?? null,
            divisionCode: null,
          })),
        );
        const t0 = performance.now();
        for (const [i, r] of rows.entries()) {
          await insertEventOneByOne(db, r);
          if (i % 2000 === 1999) ctx.progress(`one-row: ${i + 1}/${rows.length} this round`);
        }
        return performance.now() - t0;
      };

      ctx.progress('warm-up');
      await runBatched(5_000);
      await runBaseline(500);
      let batchedMs = 0;
      let baselineMs = 0;
      for (let round = 0; round < ROUNDS; round++) {
        baselineMs += await runBaseline(baselineTotal / ROUNDS);
        batchedMs += await runBatched(batchedTotal / ROUNDS);
        ctx.progress(`round ${round + 1}/${ROUNDS}: batched ${((batchedTotal / ROUNDS / batchedMs) * 1000 * (round + 1)).toFixed(0)} ev/s so far, one-row ${((baselineTotal / ROUNDS / baselineMs) * 1000 * (round + 1)).toFixed(0)} ev/s`);
      }
      const batchedRate = (batchedTotal / batchedMs) * 1000;
      const baselineRate = (baselineTotal / baselineMs) * 1000;
      const stored = await db.selectFrom('reader_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const { rows: parts } = await sql<{ n: number }>`select count(distinct tableoid) as n from reader_events`.execute(db);
      ctx.progress(`${Number(stored.n).toLocaleString('en')} events stored across ${parts[0]?.n} day partitions`);
      const figures: Figure[] = [
        {
          metric: 'events_per_s',
          value: batchedRate,
          baseline: baselineRate,
          ratio: 'baseline/value',
          maxRatio: 1 / MIN_SPEEDUP,
          goal: `batched ingest at least ${MIN_SPEEDUP}x one INSERT per event, ${engine}`,
        },
        {
          metric: 'events_per_s_vs_floor',
          value: batchedRate,
          baseline: MIN_RATE,
          ratio: 'baseline/value',
          maxRatio: 1,
          goal: `batched ingest at least ${MIN_RATE.toLocaleString('en')} events/s (the baseline column is that floor, not a measurement), ${engine}`,
        },
      ];
      return figures;
    } finally {
      await handle?.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
