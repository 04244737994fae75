import type { JobDefinition } from '../../../platform/jobs.ts';
import { INGEST_PULL_JOB, INGEST_SCHEDULE_JOB, type IngestService } from './ingest.service.ts';

/**
 * ingest.schedule runs every minute (pg-boss cron, once across all processes) and enqueues an
 * ingest.pull for each source whose interval has passed and that is not paused.
 */
export function ingestJobs(ingest: IngestService): JobDefinition[] {
  return [
    {
      name: INGEST_SCHEDULE_JOB,
      cron: '* * * * *',
      async handler() {
        const due = await ingest.enqueueDue();
        return { enqueued: due.length };
      },
    },
    {
      name: INGEST_PULL_JOB,
      batchSize: 5,
      async handler(data: object) {
        const { unitId, sourceId } = data as { unitId?: unknown; sourceId?: unknown };
        if (typeof unitId !== 'string' || typeof sourceId !== 'string') return { status: 'skipped', reason: 'bad job data' };
        return ingest.pullScheduled(unitId, sourceId);
      },
    },
  ];
}
