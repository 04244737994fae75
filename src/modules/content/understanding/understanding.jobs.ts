import type { JobDefinition } from '../../../platform/jobs.ts';
import { UNDERSTAND_JOB } from '../service.ts';
import type { UnderstandingService } from './understanding.service.ts';

/** content.understand: enqueued with { itemId } in every save's transaction (ContentService.afterSave). */
export function understandingJobs(understanding: UnderstandingService): JobDefinition[] {
  return [
    {
      name: UNDERSTAND_JOB,
      // Each reading takes milliseconds; fetch a batch per poll so a burst of saves (an ingest) clears quickly.
      batchSize: 20,
      async handler(data: object) {
        const itemId = (data as { itemId?: unknown }).itemId;
        if (typeof itemId !== 'string') return { outcome: 'skipped', reason: 'no itemId' };
        return understanding.understand(itemId);
      },
    },
  ];
}
