import type { JobDefinition } from '../../platform/jobs.ts';
import type { PlanningService } from './planning.service.ts';
import type { WorkflowService } from './workflow.service.ts';

export const PUBLISH_DUE_JOB = 'newsroom.publish-due';
export const TASK_REMINDER_JOB = 'newsroom.task-reminders';

/** Every minute: publish what was scheduled for now or earlier. Every quarter hour: deadline reminders. */
export function newsroomJobs(workflow: WorkflowService, planning: PlanningService): JobDefinition[] {
  return [
    { name: PUBLISH_DUE_JOB, cron: '* * * * *', handler: () => workflow.publishDue() },
    { name: TASK_REMINDER_JOB, cron: '*/15 * * * *', handler: () => planning.remindDue() },
  ];
}
