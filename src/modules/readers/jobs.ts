import type { Db } from '../../platform/db/database.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import * as eventsRepo from './events.repo.ts';
import * as repo from './repo.ts';

export const READER_UPKEEP_JOB = 'readers.upkeep';
/** Partitions kept ready ahead of today, so the ingest path rarely has to create one. */
const DAYS_AHEAD = 14;

/**
 * Nightly at 02:10 Beijing time: expired reader sessions, day-old codes and closed code-limit windows go, and the next two weeks'
 * event partitions exist before any event needs them.
 */
export function readerJobs(db: Db): JobDefinition[] {
  return [
    {
      name: READER_UPKEEP_JOB,
      cron: '10 2 * * *',
      handler: async () => {
        const sessions = await repo.deleteExpiredSessions(db);
        const codes = await repo.purgeOldCodes(db, new Date(Date.now() - 86_400_000));
        // Code-sending counters of closed windows and spent or expired challenges.
        await repo.purgeOldLimits(db, new Date(Date.now() - 2 * 86_400_000));
        await repo.purgeChallenges(db, new Date(Date.now() - 3_600_000));
        const existing = new Set(await eventsRepo.existingPartitions(db));
        let created = 0;
        for (let d = 0; d <= DAYS_AHEAD; d++) {
          const name = await eventsRepo.createPartition(db, new Date(Date.now() + d * 86_400_000));
          if (!existing.has(name)) created++;
        }
        return { sessionsPurged: Number(sessions.numDeletedRows), codesPurged: Number(codes[0]?.numDeletedRows ?? 0), partitionsCreated: created };
      },
    },
  ];
}
