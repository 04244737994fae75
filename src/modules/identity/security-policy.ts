import type { AuditMeta, AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { forbidden } from '../../platform/http/problem.ts';
import type { Actor } from '../alliance/policy.ts';
import type { Role } from '../alliance/roles.ts';
import type { AllianceService } from '../alliance/service.ts';
import { canSetSecurityPolicy } from './policy.ts';
import * as repo from './repo.ts';

export interface SecurityPolicy {
  /** 0 means passwords never expire. */
  passwordMaxAgeDays: number;
  mfaRoles: Role[];
  /** Days a person may still sign in without a second factor once it is required of them. */
  mfaGraceDays: number;
}

/**
 * Until the root's alliance admin sets them: passwords expire after 90 days, and admins and chief
 * editors (who sign off) need a second factor after a week's grace.
 */
export const DEFAULT_SECURITY_POLICY: SecurityPolicy = {
  passwordMaxAgeDays: 90,
  mfaRoles: ['alliance_admin', 'unit_admin', 'chief_editor'],
  mfaGraceDays: 7,
};

/** The alliance's staff sign-in rules, kept in the database so every process applies the same ones. */
export class SecurityPolicyService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
  ) {}

  async current(): Promise<SecurityPolicy & { updatedAt: Date | null }> {
    const root = await this.alliance.findRoot();
    const row = root ? await repo.findSecurityPolicy(this.db, root.id) : undefined;
    if (!row) return { ...DEFAULT_SECURITY_POLICY, updatedAt: null };
    return {
      passwordMaxAgeDays: row.password_max_age_days,
      mfaRoles: row.mfa_roles as Role[],
      mfaGraceDays: row.mfa_grace_days,
      updatedAt: new Date(row.updated_at),
    };
  }

  async canSet(actor: Actor): Promise<boolean> {
    const root = await this.alliance.findRoot();
    return !!root && canSetSecurityPolicy(actor, root.id);
  }

  async set(actor: Actor, meta: AuditMeta, next: SecurityPolicy) {
    const root = await this.alliance.findRoot();
    if (!root || !canSetSecurityPolicy(actor, root.id)) {
      throw forbidden('只有联合体根单位的管理员可以设置登录安全策略', 'Only the alliance admin at the root may set the sign-in policy');
    }
    const before = await this.current();
    await this.db.transaction().execute(async (trx) => {
      await repo.upsertSecurityPolicy(trx, {
        root_unit_id: root.id,
        password_max_age_days: next.passwordMaxAgeDays,
        mfa_roles: [...new Set(next.mfaRoles)],
        mfa_grace_days: next.mfaGraceDays,
        updated_by: actor.userId,
      });
      await this.audit(trx, meta, { unitId: root.id, action: 'security.policy', targetType: 'security_policy', targetId: root.id, before, after: next });
    });
    return this.current();
  }
}
