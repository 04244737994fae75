import type { AuditMeta, AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Actor } from '../../policies/index.ts';
import type { Role } from '../alliance/roles.ts';
import type { AllianceService } from '../alliance/service.ts';
import { can, requireAccess, securityPolicy } from '../../policies/index.ts';
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

  /** The rules as the console shows them, and whether this actor may change them. */
  async read(actor: Actor) {
    requireAccess(actor, securityPolicy.read);
    return { policy: await this.current(), canEdit: can(actor, securityPolicy.set) };
  }

  async set(actor: Actor, meta: AuditMeta, next: SecurityPolicy) {
    requireAccess(actor, securityPolicy.set);
    const root = (await this.alliance.findRoot())!;
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
