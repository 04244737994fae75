import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const consentPurposes = ['personalisation', 'push', 'analytics'] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

export const eventTypes = ['view', 'read', 'click', 'share', 'like', 'follow', 'push_open'] as const;
export type EventType = (typeof eventTypes)[number];

export type ContactChannel = 'phone' | 'email';

export interface ReadersTable {
  id: Generated<string>;
  display_name: string;
  phone: string | null;
  email: string | null;
  password_hash: string | null;
  home_division_code: string | null;
  interests: ColumnType<string[], string[] | undefined, string[]>;
  registered_unit_id: string;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: Timestamp | null;
}

export interface ReaderFollowsTable {
  reader_id: string;
  unit_id: string;
  created_at: Timestamp;
}

export interface ReaderConsentsTable {
  id: Generated<string>;
  reader_id: string;
  purpose: ConsentPurpose;
  version: string;
  granted: boolean;
  at: Timestamp;
}

export interface ReaderSessionsTable {
  id_hash: string;
  reader_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ReaderCodesTable {
  id: Generated<string>;
  destination_hash: string;
  channel: ContactChannel;
  code_hash: string;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

/** Counters of code sends per destination, device, client IP and platform (see code-limits.ts). */
export interface ReaderCodeLimitsTable {
  key: string;
  window_seconds: number;
  window_start: Timestamp;
  n: number;
  last_at: Timestamp;
}

/** Proof-of-work challenges handed out with a 428; single use. */
export interface ReaderCodeChallengesTable {
  id: string;
  difficulty: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface ReaderDevicesTable {
  device_id: string;
  reader_id: string;
  linked_at: Timestamp;
}

export interface ReaderEventsTable {
  occurred_at: Timestamp;
  event_id: string;
  type: EventType;
  reader_id: string | null;
  device_id: string | null;
  unit_id: string | null;
  item_id: string | null;
  depth: number | null;
  dwell_ms: number | null;
  target: string | null;
  division_code: string | null;
  received_at: Timestamp;
}

export interface ReaderTables {
  readers: ReadersTable;
  reader_follows: ReaderFollowsTable;
  reader_consents: ReaderConsentsTable;
  reader_sessions: ReaderSessionsTable;
  reader_codes: ReaderCodesTable;
  reader_code_limits: ReaderCodeLimitsTable;
  reader_code_challenges: ReaderCodeChallengesTable;
  reader_devices: ReaderDevicesTable;
  reader_events: ReaderEventsTable;
}

/** Every table that may hold something about a person; the erasure test walks all of them. */
export const readerTableNames = ['readers', 'reader_follows', 'reader_consents', 'reader_sessions', 'reader_codes', 'reader_code_limits', 'reader_devices', 'reader_events'] as const;

export type ReaderRow = Selectable<ReadersTable>;
export type ConsentRow = Selectable<ReaderConsentsTable>;
