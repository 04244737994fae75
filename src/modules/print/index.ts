import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AssetService } from '../content/assets/assets.service.ts';
import type { ChannelAdapter } from '../distribution/contract.ts';
import { printAdapter } from './print.adapter.ts';
import { printRoutes } from './print.routes.ts';
import { PrintService } from './print.service.ts';

/** 报纸版面: the print pool and the unit's laid-out pages; contributes the print channel to distribution. */
export function createPrintModule(
  db: Db,
  deps: { assets: AssetService; audit: AuditRecorder; base: string },
): ModuleParts<{ print: PrintService }> & { channelAdapters: ChannelAdapter[] } {
  const print = new PrintService(db, deps.assets, deps.audit, deps.base);
  return { services: { print }, routes: printRoutes(print), jobs: [], channelAdapters: [printAdapter(db)] };
}
