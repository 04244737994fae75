import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import type { AllianceService } from '../alliance/service.ts';
import { UnitDirectory } from '../readers/units.ts';
import { RecommendService } from './service.ts';

/** 推荐: the service, and the job that folds new reading events into profiles every minute. */
export function createRecommend(db: Db, alliance: AllianceService, audit: AuditRecorder) {
  const recommend = new RecommendService(db, new UnitDirectory(alliance), audit);
  const jobs: JobDefinition[] = [{ name: 'recommend.catch-up', cron: '* * * * *', handler: () => recommend.catchUp() }];
  return { recommend, recommendJobs: jobs };
}

export { recommendRoutes } from './routes.ts';
