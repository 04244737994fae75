// Feed latency with a realistic load: 1,000 live stories (the THUCNews sample, read in place from
// ../shared/data; skipped when absent) on a county portal, 10,000 readers (anonymous devices, each with
// its own history and profile) and 1,000,000 reading events over the last 6 days, loaded with the readers
// module's batched multi-row insert (5,000 rows per statement) and folded into profiles, reads, co-reads and
// popularity by the recommender's own incremental job (RecommendService.catchUp), with progress.
// Then the personalised feed (RecommendService.feed, what GET /api/recommend/:unit/feed runs) is timed
// against the naive way in the same run: the same ranking, but the profile, reads and co-reads computed
// from the reader's raw events on every request. Requests alternate between the two in rounds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createServices } from '../src/app.ts';
import { seedAlliance } from '../src/modules/alliance/seed.ts';
import { siteAdapters } from '../src/modules/portal/site.adapters.ts';
import { channel, deliver, source, unitByCode } from '../src/test/site-store.ts';
import { createPartition, type EventRow, insertEvents } from '../src/modules/readers/events.repo.ts';
import { applyEvent, emptyProfile, eventWeight } from '../src/modules/recommend/profile.ts';
import { rank } from '../src/modules/recommend/rank.ts';
import { featuresOf } from '../src/modules/recommend/service.ts';
import * as recRepo from '../src/modules/recommend/repo.ts';
import { type DatabaseHandle, type DatabaseTarget, openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import type { Benchmark, Figure } from './harness.ts';
import { percentile, random } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '../../shared/data/corpus/thucnews-1000.tsv');
const MAX_P99_MS = 30;
const COUNTIES = ['510104', '510105', '510106', '510107', '510108', '510112'];

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
}


const bench: Benchmark = {
  name: 'feed',
  description: 'personalised feed p99 with 10,000 readers and 1,000,000 events, against a feed computed from raw events per request',
  async run(ctx) {
    if (!fs.existsSync(CORPUS)) {
      process.stdout.write(`feed: SKIPPED, corpus not found at ${CORPUS}\n`);
      return [];
    }
    const readers = option(ctx.args, 'readers', 10_000);
    const totalEvents = option(ctx.args, 'events', 1_000_000);
    const requests = option(ctx.args, 'requests', 1000);
    const url = process.env.BENCH_DATABASE_URL;
    const dataDir = url ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-bench-feed-'));
    const target: DatabaseTarget = url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: dataDir! };
    const engine = url ? 'PostgreSQL' : 'PGlite';
    ctx.progress(`database: ${url ? 'PostgreSQL (BENCH_DATABASE_URL)' : `PGlite on disk at ${dataDir}`}`);
    let handle: DatabaseHandle | null = null;
    try {
      handle = await openDatabase(target);
      const db = handle.db;
      await migrateToLatest(db);
      await seedAlliance(db);
      const services = createServices(db, { sessionHours: 12, auditRetentionDays: 365 });
      const rnd = random(20261127);
      const now = Date.now();

      // 1,000 live stories on 锦江区's portal, published over the last 6 days, in six counties.
      const unit = await unitByCode(db, '510104');
      const adapters = siteAdapters(db);
      const portal = channel('portal', unit.id);
      const lines = fs.readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.includes('\t'));
      const items: { id: string; category: string }[] = [];
      for (const [i, line] of lines.entries()) {
        const [category, text] = line.split('\t') as [string, string];
        const src = source({ unit, title: Array.from(text).slice(0, 24).join(''), paragraphs: [text.slice(0, 3000)], category, regionCode: COUNTIES[i % COUNTIES.length]!, publishedAt: new Date(now - rnd() * 6 * 86_400_000).toISOString() });
        await deliver(adapters, portal, src);
        items.push({ id: src.itemId, category });
        if ((i + 1) % 200 === 0) ctx.progress(`stories ${i + 1}/${lines.length}`);
      }
      const byCat = new Map<string, string[]>();
      for (const it of items) (byCat.get(it.category) ?? byCat.set(it.category, []).get(it.category)!).push(it.id);
      const cats = [...byCat.keys()];

      // 1,000,000 events: each reader favours two categories; events of one reader are contiguous.
      for (let d = 0; d <= 7; d++) await createPartition(db, new Date(now - d * 86_400_000));
      const perReader = Math.round(totalEvents / readers);
      const devices = Array.from({ length: readers }, (_, r) => `bench-dev-${String(r).padStart(6, '0')}`);
      const types = ['read', 'read', 'view', 'view', 'click', 'like'] as const;
      let batch: EventRow[] = [];
      let loaded = 0;
      const t0 = performance.now();
      for (let r = 0; r < readers; r++) {
        const fav = [cats[Math.floor(rnd() * cats.length)]!, cats[Math.floor(rnd() * cats.length)]!];
        for (let k = 0; k < perReader; k++) {
          const pool = rnd() < 0.7 ? byCat.get(fav[k % 2]!)! : items.map((x) => x.id);
          const item = typeof pool[0] === 'string' ? (pool as string[])[Math.floor(rnd() * pool.length)]! : '';
          const type = types[Math.floor(rnd() * types.length)]!;
          batch.push({ occurredAt: new Date(now - (perReader - k) * 300_000 - rnd() * 60_000), eventId: `${devices[r]}-${String(k).padStart(4, '0')}`, type, readerId: null, deviceId: devices[r]!, unitId: unit.id, itemId: item, depth: type === 'read' ? rnd() : null, dwellMs: type === 'read' ? Math.floor(rnd() * 120_000) : null, target: null, divisionCode: null });
          if (batch.length === 5000) {
            loaded += await insertEvents(db, batch);
            batch = [];
            if (loaded % 100_000 === 0) ctx.progress(`events ${loaded.toLocaleString('en')}/${totalEvents.toLocaleString('en')} (${Math.round(loaded / ((performance.now() - t0) / 1000))}/s)`);
          }
        }
      }
      loaded += await insertEvents(db, batch);
      ctx.progress(`${loaded.toLocaleString('en')} events loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const t1 = performance.now();
      const folded = await services.recommend.catchUp(10_000, (n) => {
        if (n % 100_000 === 0) ctx.progress(`profiles: ${n.toLocaleString('en')} events folded (${Math.round(n / ((performance.now() - t1) / 1000))}/s)`);
      });
      ctx.progress(`${folded.toLocaleString('en')} events folded into profiles in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

      // The naive feed: everything from the reader's raw events, on every request.
      const naive = async (device: string) => {
        const rows = await db.selectFrom('reader_events').select(['occurred_at', 'type', 'item_id', 'depth']).where('device_id', '=', device).orderBy('occurred_at').execute();
        const ids = [...new Set(rows.map((r) => r.item_id).filter((x): x is string => !!x))];
        const feats = new Map((await recRepo.storiesById(db, ids)).map((s) => [s.item_id, featuresOf(s)]));
        const p = emptyProfile(new Date(now));
        for (const r of rows) {
          const f = r.item_id ? feats.get(r.item_id) : undefined;
          if (f) applyEvent(p, new Date(r.occurred_at), eventWeight(r.type, r.depth), { kw: f.kw, category: f.category, places: f.places });
        }
        const recent = rows.slice(-10).reverse().map((r) => feats.get(r.item_id!)).filter((f) => !!f);
        const candidates = (await recRepo.liveStories(db, 'portal', '510104', 1000)).map(featuresOf);
        return rank({ candidates, profile: p, read: new Set(ids), recent, coread: new Map(), popularity: new Map(), county: '510104', pins: [], now, limit: 20 });
      };

      if (ctx.args.includes('--profile')) {
        // Where a feed request's time goes (diagnostics only).
        const dev = devices[1]!;
        const subj = [`d:${dev}`];
        const steps: [string, () => Promise<unknown>][] = [
          ['profiles', () => recRepo.profiles(db, subj)],
          ['readIds', () => recRepo.readIds(db, subj, 2000)],
          ['recentReads', () => recRepo.recentReads(db, subj, 10)],
          ['pins', () => recRepo.pinsOf(db, unit.id, new Date())],
          ['siteState', () => services.recommend.siteState('portal', '510104')],
          ['coreads', async () => recRepo.coreadsFrom(db, (await recRepo.readIds(db, subj, 10)), 300)],
          ['feed', () => services.recommend.feed({ siteSlug: '510104', deviceId: dev, limit: 20 })],
        ];
        for (const [name, fn] of steps) {
          await fn();
          const s0 = performance.now();
          for (let i = 0; i < 30; i++) await fn();
          ctx.progress(`profile ${name}: ${((performance.now() - s0) / 30).toFixed(2)} ms`);
        }
      }
      const platform = (device: string) => services.recommend.feed({ siteSlug: '510104', deviceId: device, limit: 20 });
      for (let i = 0; i < 20; i++) {
        await platform(devices[i]!);
        await naive(devices[i]!);
      }
      const pick = () => devices[Math.floor(rnd() * devices.length)]!;
      const fast: number[] = [];
      const slow: number[] = [];
      const naiveRequests = Math.max(50, Math.round(requests / 10));
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < requests / 5; i++) {
          const s = performance.now();
          await platform(pick());
          fast.push(performance.now() - s);
        }
        for (let i = 0; i < naiveRequests / 5; i++) {
          const s = performance.now();
          await naive(pick());
          slow.push(performance.now() - s);
        }
        ctx.progress(`round ${round + 1}/5: platform p99 ${percentile([...fast].sort((a, b) => a - b), 99).toFixed(1)} ms, naive p99 ${percentile([...slow].sort((a, b) => a - b), 99).toFixed(1)} ms`);
      }
      fast.sort((a, b) => a - b);
      slow.sort((a, b) => a - b);
      const p99 = percentile(fast, 99);
      const naiveP99 = percentile(slow, 99);
      console.log(`\nfeed: ${readers.toLocaleString('en')} readers, ${loaded.toLocaleString('en')} events, ${items.length} live stories, ${engine}`);
      console.log(`platform feed: p50 ${percentile(fast, 50).toFixed(1)} ms, p95 ${percentile(fast, 95).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${fast.length} requests`);
      console.log(`naive feed (raw events per request): p50 ${percentile(slow, 50).toFixed(1)} ms, p99 ${naiveP99.toFixed(1)} ms over ${slow.length} requests`);
      const figures: Figure[] = [
        { metric: 'p99_ms', value: p99, baseline: naiveP99, ratio: 'value/baseline', maxRatio: 1, goal: `feed p99 below the naive raw-events feed, ${engine}` },
        { metric: 'p99_ms_vs_ceiling', value: p99, baseline: MAX_P99_MS, ratio: 'value/baseline', maxRatio: 1, goal: `feed p99 at most ${MAX_P99_MS} ms with ${readers} readers and ${loaded} events (the baseline column is that ceiling, not a measurement), ${engine}` },
      ];
      return figures;
    } finally {
      await handle?.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default bench;
