import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createServices } from '../app.ts';
import { seedAlliance } from '../modules/alliance/seed.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createFixtureUsers } from './fixtures.ts';

export type TemplateRef = { kind: 'pglite'; file: string } | { kind: 'postgres'; url: string; template: string };

declare module 'vitest' {
  export interface ProvidedContext {
    tianfuTemplate: TemplateRef;
  }
}

/**
 * Builds one template database (schema, the alliance, fixture staff) per run; each test file
 * then clones it in well under a second instead of migrating and seeding its own.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `tianfu_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const templateUrl = withDatabase(url, template);
    const handle = await openDatabase({ kind: 'postgres', url: templateUrl, poolSize: 2 });
    await fill(handle.db);
    await handle.close();
    project.provide('tianfuTemplate', { kind: 'postgres', url, template });
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1 or datname = $2`,
        [`tianfu_t_${process.pid}_%`, template],
      );
      for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
      await admin.end();
    };
  }
  const handle = await openDatabase({ kind: 'pglite-memory' });
  await fill(handle.db);
  const dump = await handle.pglite!.dumpDataDir('none');
  await handle.close();
  const file = path.join(os.tmpdir(), `tianfu-template-${process.pid}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('tianfuTemplate', { kind: 'pglite', file });
  return () => fs.rmSync(file, { force: true });
}

async function fill(db: Parameters<typeof migrateToLatest>[0]) {
  await migrateToLatest(db);
  await seedAlliance(db);
  await createFixtureUsers(db);
  // The default lexicon (41.7k terms) is seeded on first use; do it once here, not in every test file.
  await createServices(db, { sessionHours: 12, auditRetentionDays: 365 }).screening.config.refresh();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
