import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { type Actor, auditReadScope } from '../alliance/policy.ts';
import type { AllianceService } from '../alliance/service.ts';
import * as repo from './repo.ts';

export const recordAudit: AuditRecorder = (executor, meta, entry) => repo.insertAudit(executor, meta, entry);

/** 审计日志: read by admins and supervisors over their subtree; purged only past the retention window. */
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
  ) {}

  async list(actor: Actor, opts: { limit: number; beforeId?: number; unitId?: string; action?: string }) {
    const scope = auditReadScope(actor);
    if (!scope) throw forbidden('只有管理员和监管人员可以查看审计日志', 'Only admins and supervisors may read the audit log');
    if (opts.unitId) await this.alliance.requireUnitAccess({ actor, actorUserId: actor.userId }, 'audit.read', opts.unitId);
    return repo.listAudit(this.db, this.alliance.unitIdsInScope(scope), opts);
  }

  /** The nightly retention job: rows older than the window go; 等保 needs at least 180 days kept. */
  async purgeOlderThan(days: number): Promise<number> {
    const cutoff = new Date(Date.now() - days * 24 * 3600 * 1000);
    return repo.purgeAuditBefore(this.db, cutoff);
  }
}
