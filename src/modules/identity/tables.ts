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
}

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

export interface IdentityTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  audit_chain_anchors: AuditChainAnchorsTable;
  audit_chain_head: AuditChainHeadTable;
}
