import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Db } from './db/database.ts';
import type pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';

export interface JobDefinition<T extends object = object> {
  name: string;
  /** Cron in Asia/Shanghai time, for jobs that also run on a schedule. */
  cron?: string;
  /** Jobs fetched per poll (default 1); the worker polls every 2 s, so busy queues want more. */
  batchSize?: number;
  handler(data: T): Promise<unknown>;
}

export type Jobs = PgBoss;

/**
 * pg-boss over the platform's own pool, so jobs run the same on PGlite and on a PostgreSQL server
 * and an enqueue can share the caller's transaction. Schedules fire once across all processes.
 */
export async function startJobs(pool: pg.Pool, definitions: JobDefinition[], log: FastifyBaseLogger, queue?: JobQueue): Promise<Jobs> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) },
    schema: 'pgboss',
    // Maintenance on PGlite competes with requests for its one connection; hourly is plenty.
    maintenanceIntervalSeconds: 3600,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  for (const def of definitions) {
    await boss.createQueue(def.name);
    await boss.work<object>(def.name, { pollingIntervalSeconds: 2, batchSize: def.batchSize ?? 1 }, async (jobs) => {
      for (const job of jobs) {
        const result = await def.handler(job.data);
        log.info({ job: def.name, id: job.id, result }, 'job done');
      }
    });
    if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'Asia/Shanghai' });
  }
  if (queue) queue.boss = boss;
  return boss;
}

/**
 * Enqueues inside the caller's transaction: the job exists exactly when the change that caused it
 * committed. Without a running queue (CLI one-offs) the enqueue is a no-op the caller can see.
 */
export class JobQueue {
  boss: PgBoss | null = null;

  async enqueue(executor: Db, name: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
    if (!this.boss) return null;
    const db = {
      executeSql: async (text: string, values: unknown[]) => {
        const result = await executor.executeQuery(CompiledQuery.raw(text, values));
        return { rows: result.rows as unknown[] };
      },
    };
    return this.boss.send(name, data, { ...options, db });
  }
}

export async function stopJobs(boss: Jobs, queue?: JobQueue) {
  if (queue) queue.boss = null;
  await boss.stop({ graceful: true, wait: true, timeout: 5000 });
}
