import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';

export interface JobDefinition<T extends object = object> {
  name: string;
  /** Cron in Asia/Shanghai time, for jobs that also run on a schedule. */
  cron?: string;
  handler(data: T): Promise<unknown>;
}

export type Jobs = PgBoss;

/**
 * pg-boss over the platform's own pool, so jobs run the same on PGlite and on a PostgreSQL server
 * and an enqueue can share the caller's transaction. Schedules fire once across all processes.
 */
export async function startJobs(pool: pg.Pool, definitions: JobDefinition[], log: FastifyBaseLogger): Promise<Jobs> {
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
    await boss.work<object>(def.name, { pollingIntervalSeconds: 2 }, async (jobs) => {
      for (const job of jobs) {
        const result = await def.handler(job.data);
        log.info({ job: def.name, id: job.id, result }, 'job done');
      }
    });
    if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'Asia/Shanghai' });
  }
  return boss;
}

export async function stopJobs(boss: Jobs) {
  await boss.stop({ graceful: true, wait: true, timeout: 5000 });
}
