// The reader side under load: the cached portal article page and the app delivery API's list
// endpoint, served by a real `tianfu serve` process, against bare Fastify routes in their own process
// that send the same bytes (and hello JSON, reported beside), driven by autocannon from this process
// and measured in the same run.
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { seedAlliance } from '../src/modules/alliance/seed.ts';
import { siteAdapters } from '../src/modules/portal/site.adapters.ts';
import { channel, deliver, source, unitByCode } from '../src/test/site-store.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { repoRoot, startServe } from '../src/test/process.ts';
import type { Benchmark, Figure } from './harness.ts';

const ARTICLES = 300;
const CONNECTIONS = 16;
const SECONDS = 8;
/** Bare and platform alternate in rounds so load from elsewhere on the machine hits both alike. */
const ROUNDS = 3;
// The goal: the cached article page at least half the bare route's throughput.
const MAX_RATIO = 2;

const paragraph =
  '成都市锦江区近日在春熙路街区试行夜间便民服务站，为晚间到街区购物游玩的市民游客提供问询指引、失物招领、手机充电和应急药品等服务。工作人员介绍，服务站每天营业到晚上十一点，试行期间将根据来访需求调整服务内容。';

/** A few hundred published stories on one county's portal and app channels, written through the site adapters. */
async function seed(dataDir: string, progress: (m: string) => void): Promise<{ articleId: string }> {
  const handle = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await migrateToLatest(handle.db);
    await seedAlliance(handle.db);
    const adapters = siteAdapters(handle.db);
    const unit = await unitByCode(handle.db, '510104');
    const portal = channel('portal', unit.id);
    const app = channel('app', unit.id);
    const categories = ['公共服务', '民生', '文化', '旅游', '经济'];
    let articleId = '';
    const start = Date.parse('2026-11-01T00:00:00Z');
    for (let i = 0; i < ARTICLES; i++) {
      const src = source({
        unit,
        title: `锦江区便民服务新举措（第 ${i + 1} 篇）：夜间服务站开放时间延长`,
        category: categories[i % categories.length]!,
        tags: ['便民服务', '春熙路'],
        paragraphs: Array.from({ length: 6 }, () => paragraph),
        publishedAt: new Date(start + i * 600_000).toISOString(),
      });
      await deliver(adapters, portal, src);
      await deliver(adapters, app, src);
      if (i === ARTICLES - 1) articleId = src.itemId;
      if ((i + 1) % 100 === 0) progress(`seeded ${i + 1}/${ARTICLES} stories (portal + app)`);
    }
    return { articleId };
  } finally {
    await handle.close();
  }
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Waits until the process uses under 5% of a core over two seconds (at most two minutes). */
async function settle(pid: number, progress: (m: string) => void) {
  if (!fs.existsSync(`/proc/${pid}/stat`)) return void (await new Promise((r) => setTimeout(r, 20_000)));
  const started = Date.now();
  for (;;) {
    const before = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 2000));
    const used = cpuSeconds(pid) - before;
    if (used < 0.1 || Date.now() - started > 120_000) return progress(`serve settled after ${Math.round((Date.now() - started) / 1000)} s (${Math.round(used * 50)}% of a core)`);
  }
}

/**
 * Fastify alone, in its own process: hello JSON, and the very bytes the platform answers for the
 * article page and the app list (read from files), so the comparison is the platform's work per
 * request, not the size of a page against seventeen bytes.
 */
function startBare(files: { page: string; list: string }): Promise<{ child: ChildProcess; url: string }> {
  const code = `import fs from 'node:fs';
import Fastify from 'fastify';
const page = fs.readFileSync(${JSON.stringify(files.page)});
const list = fs.readFileSync(${JSON.stringify(files.list)});
const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
app.get('/page', (req, reply) => reply.type('text/html; charset=utf-8').send(page));
app.get('/list', (req, reply) => reply.type('application/json; charset=utf-8').send(list));
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('bare at http://127.0.0.1:' + app.server.address().port);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/bare at (http:\/\/\S+)/);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (c) => reject(new Error(`bare server exited with ${c}`)));
  });
}

async function load(url: string): Promise<{ rps: number; p99: number; non2xx: number; errors: number }> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

const benchmark: Benchmark = {
  name: 'portal',
  description: `cached portal article page and app list endpoint (tianfu serve, ${ARTICLES} stories) vs bare Fastify hello JSON, separate processes, autocannon ${CONNECTIONS} connections × ${SECONDS} s × ${ROUNDS} rounds`,
  async run(ctx) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-bench-portal-'));
    const children: ChildProcess[] = [];
    try {
      ctx.progress(`seeding ${dataDir}`);
      const { articleId } = await seed(dataDir, ctx.progress);
      ctx.progress('starting tianfu serve and the bare server (separate processes)');
      const serve = await startServe({ TIANFU_DATA_DIR: dataDir, TIANFU_LOG_LEVEL: 'error', TIANFU_SECRET_KEY: crypto.randomBytes(32).toString('base64') }, 180_000);
      children.push(serve.child);
      const article = `${serve.url}/portal/510104/a/${articleId}`;
      const appList = `${serve.url}/api/app/v1/units/510104/items?limit=20`;
      const files = { page: path.join(dataDir, 'bare-page.html'), list: path.join(dataDir, 'bare-list.json') };
      fs.writeFileSync(files.page, Buffer.from(await (await fetch(article)).arrayBuffer()));
      fs.writeFileSync(files.list, Buffer.from(await (await fetch(appList)).arrayBuffer()));
      const bare = await startBare(files);
      children.push(bare.child);

      const targets = {
        hello: `${bare.url}/hello`,
        barePage: `${bare.url}/page`,
        bareList: `${bare.url}/list`,
        article,
        appList,
        // Not a figure: the platform's floor (a static text route through the same hooks), to tell
        // what the portal's own work costs from what every request through the platform costs.
        floor: `${serve.url}/robots.txt`,
      };
      for (const [name, url] of Object.entries(targets)) {
        const res = await fetch(url);
        if (res.status !== 200) throw new Error(`${name} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        ctx.progress(`${name}: ${url} (${(await res.arrayBuffer()).byteLength} bytes)`);
      }
      // serve seeds the demo stories on first start and its jobs then read them (segmentation,
      // search index) on the same thread as the embedded database: wait until it is idle, so that
      // work does not land on one measured target only.
      await settle(serve.child.pid!, ctx.progress);
      // Warm-up: JIT and the render cache.
      for (const url of Object.values(targets)) await autocannon({ url, connections: CONNECTIONS, duration: 2 });

      const runs: Record<keyof typeof targets, number[]> = { hello: [], barePage: [], bareList: [], article: [], appList: [], floor: [] };
      for (let round = 1; round <= ROUNDS; round++) {
        for (const name of Object.keys(targets) as (keyof typeof targets)[]) {
          const r = await load(targets[name]);
          if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
          runs[name].push(r.rps);
          ctx.progress(`round ${round} ${name}: ${Math.round(r.rps)} req/s, p99 ${r.p99} ms`);
        }
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const figures: Figure[] = [
        { metric: 'article_rps', value: Math.round(mean(runs.article)), baseline: Math.round(mean(runs.barePage)), ratio: 'baseline/value', maxRatio: MAX_RATIO, goal: 'cached article page >= 0.5 of a bare Fastify route sending the same bytes' },
        { metric: 'app_list_rps', value: Math.round(mean(runs.appList)), baseline: Math.round(mean(runs.bareList)), ratio: 'baseline/value', maxRatio: MAX_RATIO, goal: 'app list endpoint (20 cards) >= 0.5 of a bare Fastify route sending the same bytes' },
      ];
      const hello = mean(runs.hello);
      ctx.progress(`against hello JSON (${Math.round(hello)} req/s): article ${(mean(runs.article) / hello).toFixed(2)}, app list ${(mean(runs.appList) / hello).toFixed(2)}, platform floor (/robots.txt) ${(mean(runs.floor) / hello).toFixed(2)}`);
      return figures;
    } finally {
      for (const child of children) child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1000));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
