import type { JobDefinition } from '../../platform/jobs.ts';
import type { AuditService } from './audit.service.ts';

export const AUDIT_RETENTION_JOB = 'identity.audit-retention';

/** Nightly at 03:30 Beijing time: drop audit rows past the retention window, and expired sessions. */
export function identityJobs(audit: AuditService, retentionDays: number, purgeSessions: () => Promise<number>): JobDefinition[] {
  return [
    {
      name: AUDIT_RETENTION_JOB,
      cron: '30 3 * * *',
      handler: async () => ({
        auditRowsPurged: await audit.purgeOlderThan(retentionDays),
        sessionsPurged: await purgeSessions(),
      }),
    },
  ];
}
