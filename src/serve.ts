import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createApp } from './app.ts';
import { hubIsEmpty, seedDemoContent } from './modules/content/demo.ts';
import { ensureDemoAdmin } from './modules/identity/bootstrap.ts';
import { seedAlliance } from './modules/alliance/seed.ts';
import type { Config } from './platform/config.ts';
import { type Db, databaseTarget, openDatabase, type DatabaseHandle } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { startJobs, stopJobs } from './platform/jobs.ts';

/** A command that only works on an existing platform was pointed at a place that holds none. */
export class NoDatabaseError extends Error {}

/**
 * Opens the database (taking the data folder's lock), migrates and seeds it on first use. With `existing`,
 * it refuses to create one: a read command pointed at the wrong folder must say so, not seed an empty alliance.
 */
export async function prepareDatabase(config: Config, { seed = true, existing = false } = {}): Promise<DatabaseHandle> {
  const target = databaseTarget(config);
  if (existing && target.kind === 'pglite' && !fs.existsSync(path.join(target.dataDir, 'PG_VERSION'))) {
    throw new NoDatabaseError(
      `在 ${target.dataDir} 没有找到数据库；请把 TIANFU_DATA_DIR 指向服务使用的数据目录（或设置 DATABASE_URL）。\n` +
        `No database in ${target.dataDir}: point TIANFU_DATA_DIR at the folder the server uses (or set DATABASE_URL). ` +
        'Only serve, migrate and seed create one.',
    );
  }
  const handle = await openDatabase(target);
  try {
    if (existing && !(await hasSchema(handle.db))) {
      throw new NoDatabaseError(
        '该数据库里还没有天府融媒的数据；先运行 tianfu migrate 或 tianfu serve。\n' +
          'This database holds no Tianfu schema yet: run tianfu migrate or tianfu serve first.',
      );
    }
    await migrateToLatest(handle.db);
    if (seed) await seedAlliance(handle.db);
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function hasSchema(db: Db): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`select to_regclass('kysely_migration')::text as found`.execute(db);
  return rows[0]?.found != null;
}

export async function serve(config: Config) {
  const handle = await prepareDatabase(config);
  const { app, services } = await createApp(handle.db, config);
  const demo = await ensureDemoAdmin(handle.db, services.alliance);
  const jobs = await startJobs(handle.pool, services.jobs, app.log, services.queue);
  // A fresh platform (or an empty hub) gets the demo stories, so the console has something to show.
  if (demo || (await hubIsEmpty(handle.db))) {
    try {
      const seeded = await seedDemoContent(services);
      if (!seeded.skipped) app.log.info({ items: seeded.created, assets: seeded.assets }, 'demo content seeded');
    } catch (err) {
      app.log.warn({ err }, 'demo content could not be seeded');
    }
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await stopJobs(jobs, services.queue);
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  const where = handle.kind === 'pglite' ? `内嵌数据库 / embedded database: ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  const lines = [
    '',
    `天府融媒 Tianfu is serving at ${url}`,
    `  控制台 console:  ${url}/`,
    `  接口文档 API docs: ${url}/api/docs`,
    `  ${where}`,
  ];
  if (demo) {
    lines.push(
      '',
      '  演示管理员登录（只显示这一次，请妥善保存）/ demo admin login, shown only this once:',
      `    用户名 username: ${demo.username}`,
      `    密码 password:   ${demo.password}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  return { app, handle, url };
}
