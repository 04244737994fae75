import type { AuditRecorder } from '../../platform/audit.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AllianceService } from '../alliance/service.ts';
import { SecretBox } from '../../platform/secret-box.ts';
import { auditChainRoutes } from './audit.routes.ts';
import { AuditService } from './audit.service.ts';
import { AuthService } from './auth.service.ts';
import { identityJobs } from './jobs.ts';
import { identityRoutes } from './routes.ts';
import { SecurityPolicyService } from './security-policy.ts';
import { StaffService } from './staff.service.ts';

export type IdentityConfig = Pick<Config, 'sessionHours' | 'auditRetentionDays'> &
  Partial<Pick<Config, 'secureCookies' | 'auditHash' | 'secretCipher' | 'secretKey' | 'dataDir'>>;

/** Staff accounts, sign-in (passwords, TOTP, sessions, API tokens) and the hash-chained audit log. */
export function createIdentityModule(db: Db, deps: { alliance: AllianceService; audit: AuditRecorder; config: IdentityConfig }) {
  const { alliance, config } = deps;
  const securityPolicy = new SecurityPolicyService(db, alliance, deps.audit);
  // TOTP secrets are sealed with the same key as channel credentials.
  const auth = new AuthService(db, alliance, deps.audit, config.sessionHours, securityPolicy, new SecretBox(config));
  const staff = new StaffService(db, alliance, deps.audit);
  const audit = new AuditService(db, alliance, { hash: config.auditHash });
  const parts: ModuleParts<{ auth: AuthService; securityPolicy: SecurityPolicyService; staff: StaffService; audit: AuditService }> = {
    services: { auth, securityPolicy, staff, audit },
    routes: async (app: HttpServer) => {
      await app.register(identityRoutes({ auth, staff, audit, securityPolicy, secureCookies: config.secureCookies ?? false }));
      await app.register(auditChainRoutes(audit));
    },
    jobs: identityJobs(audit, config.auditRetentionDays, () => auth.purgeExpiredSessions()),
  };
  return parts;
}
