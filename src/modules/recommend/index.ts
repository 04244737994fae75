import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { ReaderAuth } from '../readers/reader-auth.ts';
import { UnitDirectory } from '../readers/units.ts';
import { recommendRoutes } from './routes.ts';
import { RecommendService } from './service.ts';

/** 推荐: the hybrid feed over the site store, and the job that folds new reading events into profiles every minute. */
export function createRecommendModule(db: Db, deps: { alliance: AllianceService; audit: AuditRecorder; readerAuth: ReaderAuth }): ModuleParts<{ recommend: RecommendService }> {
  const recommend = new RecommendService(db, new UnitDirectory(deps.alliance), deps.audit);
  return {
    services: { recommend },
    routes: recommendRoutes({ recommend, readerAuth: deps.readerAuth }),
    jobs: [{ name: 'recommend.catch-up', cron: '* * * * *', handler: () => recommend.catchUp() }],
  };
}
