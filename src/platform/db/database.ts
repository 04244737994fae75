import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './lock.ts';
import { tightenTree } from './permissions.ts';
import type { Database } from './tables.ts';

// bigint counts come back as strings by default; every count we keep fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  kind: 'pglite' | 'postgres';
  /** The embedded engine, when there is one (backups use it). */
  pglite: PGlite | null;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; loadDataDir?: Blob };

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    // An idle connection closed by the server (restart, admin termination) must not crash the process;
    // the pool drops it and opens another on the next query.
    pool.on('error', (err) => console.error(`数据库连接中断 / database connection lost: ${err.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await sql`select 1`.execute(db);
    return { db, pool, kind: 'postgres', pglite: null, close: () => db.destroy() };
  }
  const release = target.kind === 'pglite' ? lockDataDir(target.dataDir) : () => {};
  try {
    // PGlite reads its options from the first argument unless that is a folder path.
    const pglite =
      target.kind === 'pglite'
        ? new PGlite(target.dataDir, { extensions: { pg_trgm } })
        : new PGlite({ extensions: { pg_trgm }, loadDataDir: target.loadDataDir });
    await pglite.waitReady;
    // PGlite writes its files 0666 whatever the umask (a fresh folder: ~970 of them); made owner-only
    // now and again at close, since files it adds while running get the same mode.
    if (target.kind === 'pglite') tightenTree(target.dataDir);
    // PGlite serves one connection; node-postgres's pool of one queues callers instead of
    // interleaving their statements into somebody else's open transaction.
    // A caller that asks for a second connection inside its own transaction would wait forever;
    // the timeout turns that programming error into a loud failure instead of a hung server.
    const pool = new pg.Pool(Object.assign(createPgConfig(pglite), { connectionTimeoutMillis: 60_000 }));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      pool,
      kind: 'pglite',
      pglite,
      async close() {
        await db.destroy();
        await pglite.close();
        if (target.kind === 'pglite') tightenTree(target.dataDir);
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

export function databaseTarget(config: { databaseUrl: string; dataDir: string }): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: config.dataDir };
}
