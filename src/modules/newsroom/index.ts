import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { ContentService } from '../content/service.ts';
import { unfinishedStoryCheck } from './checks.ts';
import { CollaborationService } from './collaboration.service.ts';
import { newsroomJobs } from './jobs.ts';
import { Notifier } from './notifications.ts';
import { notificationRoutes } from './notifications.routes.ts';
import { planningRoutes } from './planning.routes.ts';
import { PlanningService } from './planning.service.ts';
import { WebhookService } from './webhooks.ts';
import { workbenchRoutes } from './workbench.routes.ts';
import { WorkbenchService } from './workbench.service.ts';
import { workflowRoutes } from './workflow.routes.ts';
import { WorkflowService } from './workflow.service.ts';

export interface NewsroomServices {
  notifier: Notifier;
  workflow: WorkflowService;
  webhooks: WebhookService;
  planning: PlanningService;
  collaboration: CollaborationService;
  /** 工作台; distribution's failed deliveries are handed to it by the composition root. */
  workbench: WorkbenchService;
}

/**
 * 采编: planning, collaboration and the 三审 workflow. Modules further down contribute workflow checks
 * (screening); the composition root hands them to `workflow.addCheck`.
 */
export function createNewsroomModule(
  db: Db,
  deps: { alliance: AllianceService; content: ContentService; audit: AuditRecorder; queue: JobQueue; outbound: OutboundHttpClient },
): ModuleParts<NewsroomServices> {
  const { alliance, content, audit } = deps;
  const notifier = new Notifier(db, deps.queue);
  const workflow = new WorkflowService(db, content, alliance, audit, notifier);
  workflow.addCheck(unfinishedStoryCheck);
  const webhooks = new WebhookService(db, audit, deps.outbound);
  const planning = new PlanningService(db, alliance, content, audit, notifier);
  const collaboration = new CollaborationService(db, content, alliance, audit, notifier);
  const workbench = new WorkbenchService(db, workflow, alliance);
  return {
    services: { notifier, workflow, webhooks, planning, collaboration, workbench },
    routes: async (app: HttpServer) => {
      await app.register(workflowRoutes(workflow));
      await app.register(notificationRoutes(notifier));
      await app.register(planningRoutes(planning, collaboration, webhooks));
      await app.register(workbenchRoutes(workbench));
    },
    jobs: [...newsroomJobs(workflow, planning), ...webhooks.jobs()],
  };
}
