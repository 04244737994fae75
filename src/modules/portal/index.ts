import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { ChannelAdapter } from '../distribution/contract.ts';
import { curationRoutes } from './curation.routes.ts';
import { CurationService } from './curation.service.ts';
import { PortalService } from './portal.service.ts';
import { portalRoutes } from './routes.ts';
import { siteAdapters } from './site.adapters.ts';

/**
 * The reader side (portal, feeds, app API) reads only the site store; it contributes the site channels
 * (portal, app, feed) that write it. Staff arrange each unit's home (门户编排) through the curation service.
 */
export function createPortalModule(
  db: Db,
  deps: { alliance: AllianceService; audit: AuditRecorder; base: string },
): ModuleParts<{ portal: PortalService; curation: CurationService }> & { channelAdapters: ChannelAdapter[] } {
  const portal = new PortalService(db, deps.alliance, deps.base);
  const curation = new CurationService(db, deps.alliance, deps.audit);
  const pages = portalRoutes(portal);
  const staff = curationRoutes(curation, deps.base);
  const routes = async (app: HttpServer) => {
    await staff(app);
    await pages(app);
  };
  return { services: { portal, curation }, routes, jobs: [], channelAdapters: siteAdapters(db) };
}
