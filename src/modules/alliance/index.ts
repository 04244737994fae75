import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ModuleParts } from '../../platform/module.ts';
import { allianceRoutes } from './routes.ts';
import { AllianceService } from './service.ts';

/** 联合体: the unit tree every other module scopes by. */
export function createAllianceModule(db: Db, deps: { audit: AuditRecorder }): ModuleParts<{ alliance: AllianceService }> {
  const alliance = new AllianceService(db, deps.audit);
  return { services: { alliance }, routes: allianceRoutes(alliance), jobs: [] };
}
