import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AllianceService } from '../alliance/service.ts';
import { assetRoutes } from './assets/assets.routes.ts';
import { AssetService } from './assets/assets.service.ts';
import { FileStorage, assetDirFor } from './assets/storage.ts';
import { ingestJobs } from './ingest/ingest.jobs.ts';
import { ingestRoutes } from './ingest/ingest.routes.ts';
import { IngestService } from './ingest/ingest.service.ts';
import { contentRoutes } from './routes.ts';
import { SearchService } from './search/search.service.ts';
import { searchRoutes } from './search/search.routes.ts';
import { ContentService } from './service.ts';
import { SharingService } from './sharing.service.ts';
import { CategoryModels } from './understanding/category-model.ts';
import { understandingJobs } from './understanding/understanding.jobs.ts';
import { understandingRoutes } from './understanding/understanding.routes.ts';
import { UnderstandingService } from './understanding/understanding.service.ts';

export interface ContentServices {
  content: ContentService;
  sharing: SharingService;
  understanding: UnderstandingService;
  ingest: IngestService;
  search: SearchService;
  assets: AssetService;
}

/** 中央厨房 hub: items and revisions, sharing, ingest, understanding, search and assets. */
export function createContentModule(
  db: Db,
  deps: { alliance: AllianceService; audit: AuditRecorder; queue: JobQueue; outbound: OutboundHttpClient; config: { assetDir?: string; dataDir?: string } },
): ModuleParts<ContentServices> {
  const { alliance, audit, queue } = deps;
  const content = new ContentService(db, audit, queue);
  const sharing = new SharingService(db, content, alliance, audit);
  const understanding = new UnderstandingService(db, audit, content, new CategoryModels(db));
  const ingest = new IngestService(db, audit, content, alliance, queue, deps.outbound);
  const search = new SearchService(db);
  // The index is written inside each save's transaction, so search never lags the hub.
  content.onSave(search.write);
  const assets = new AssetService(db, audit, content, new FileStorage(assetDirFor(deps.config)));
  return {
    services: { content, sharing, understanding, ingest, search, assets },
    routes: async (app: HttpServer) => {
      await app.register(contentRoutes(content, sharing));
      await app.register(understandingRoutes(understanding));
      await app.register(ingestRoutes(ingest));
      await app.register(searchRoutes(search));
      await app.register(assetRoutes(assets));
    },
    jobs: [...understandingJobs(understanding), ...ingestJobs(ingest)],
  };
}
