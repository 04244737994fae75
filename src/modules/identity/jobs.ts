import type { JobDefinition } from '../../platform/jobs.ts';
import type { AuditService } from './audit.service.ts';

export const AUDIT_RETENTION_JOB = 'identity.audit-retention';
export const AUDIT_SEAL_JOB = 'identity.audit-seal';

/**
 * Nightly at 03:30 Beijing time: drop audit rows past the retention window, and expired sessions.
 * Every minute: seal the audit rows committed since (pg-boss's finest schedule; `tianfu audit seal` and
 * the retention job also seal on demand).
 */
export function identityJobs(audit: AuditService, retentionDays: number, purgeSessions: () => Promise<number>): JobDefinition[] {
  return [
    {
      name: AUDIT_RETENTION_JOB,
      cron: '30 3 * * *',
      // Sessions first: a chain that does not verify stops the audit purge (it throws), not this one.
      handler: async () => ({
        sessionsPurged: await purgeSessions(),
        auditRowsPurged: await audit.purgeOlderThan(retentionDays),
      }),
    },
    {
      name: AUDIT_SEAL_JOB,
      cron: '* * * * *',
      // The head goes to the log each time: a copy outside the database to check the chain against later.
      handler: async () => {
        const { sealed, head } = await audit.seal();
        return head ? { sealed, headSeq: head.seq, headHash: head.hash } : { sealed };
      },
    },
  ];
}
