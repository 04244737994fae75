import type { Db } from '../../platform/db/database.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { ChannelAdapter } from '../distribution/contract.ts';
import { PortalService } from './portal.service.ts';
import { portalRoutes } from './routes.ts';
import { siteAdapters } from './site.adapters.ts';

/**
 * The reader side (portal, feeds, app API) reads only the site store; it contributes the site channels
 * (portal, app, feed) that write it.
 */
export function createPortalModule(db: Db, deps: { alliance: AllianceService; base: string }): ModuleParts<{ portal: PortalService }> & { channelAdapters: ChannelAdapter[] } {
  const portal = new PortalService(db, deps.alliance, deps.base);
  return { services: { portal }, routes: portalRoutes(portal), jobs: [], channelAdapters: siteAdapters(db) };
}
