import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  active: Generated<boolean>;
  last_login_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  must_change_password: Generated<boolean>;
  password_changed_at: Timestamp;
  mfa_required_since: Timestamp | null;
  /** The unit last chosen in the unit switcher: the next sign-in opens there (migration 0028). */
  last_unit_id: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  active_unit_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  restriction: SessionRestriction | null;
}

/** What a limited session may still do: change its password, or enrol a second factor. */
export type SessionRestriction = 'password_change' | 'mfa_enrolment';

export interface ApiTokensTable {
  unit_id: string;
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  locked_until: Timestamp | null;
  updated_at: Timestamp;
}

export interface AuditLogTable {
  unit_id: string;
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: ColumnType<unknown, string | null, string | null>;
  after: ColumnType<unknown, string | null, string | null>;
  request_id: string | null;
  ip: string | null;
  /** The row's place in the hash chain; null until the sealer reaches it. */
  chain_seq: ColumnType<number | null, never, number | null>;
  chain_alg: ColumnType<string | null, never, string | null>;
  chain_prev: ColumnType<string | null, never, string | null>;
  chain_hash: ColumnType<string | null, never, string | null>;
}

/** Where verification starts once the retention purge has removed the chain's oldest rows. */
export interface AuditChainAnchorsTable {
  id: Generated<number>;
  at: Timestamp;
  through_seq: number;
  through_hash: string;
  purged: number;
  cutoff: Timestamp;
}

/** The sealer's single note of the chain's newest seq and hash. */
export interface AuditChainHeadTable {
  only_row: Generated<boolean>;
  seq: number;
  hash: string;
  sealed_at: Timestamp;
}

export interface StaffSecurityPolicyTable {
  root_unit_id: string;
  password_max_age_days: number;
  mfa_roles: string[];
  mfa_grace_days: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface StaffMfaTable {
  user_id: string;
  secret_sealed: string;
  confirmed_at: Timestamp | null;
  /** The last TOTP time step accepted: a code of this step or earlier never counts twice. */
  last_step: ColumnType<string | null, number | null | undefined, number | null>;
  created_at: Timestamp;
}

export interface StaffRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
  created_at: Timestamp;
}

export interface LoginChallengesTable {
  id_hash: string;
  user_id: string;
  ip: string | null;
  attempts: Generated<number>;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface IdentityTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  staff_security_policy: StaffSecurityPolicyTable;
  staff_mfa: StaffMfaTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  login_challenges: LoginChallengesTable;
  audit_chain_anchors: AuditChainAnchorsTable;
  audit_chain_head: AuditChainHeadTable;
}
