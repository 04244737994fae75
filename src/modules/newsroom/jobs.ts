import type { JobDefinition } from '../../platform/jobs.ts';
import type { WorkflowService } from './workflow.service.ts';

export const PUBLISH_DUE_JOB = 'newsroom.publish-due';

/** Every minute: publish what was scheduled for now or earlier. */
export function newsroomJobs(workflow: WorkflowService): JobDefinition[] {
  return [{ name: PUBLISH_DUE_JOB, cron: '* * * * *', handler: () => workflow.publishDue() }];
}
