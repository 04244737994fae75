import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { SegmentDefinition } from './segment.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const pushKinds = ['webpush', 'jpush', 'getui'] as const;
export type PushKind = (typeof pushKinds)[number];
export type AppKind = Exclude<PushKind, 'webpush'>;

export interface PushSecretsTable {
  name: string;
  public_value: string;
  sealed: string;
  created_at: Generated<Date>;
}

export interface PushAppsTable {
  id: Generated<string>;
  unit_id: string;
  kind: AppKind;
  name: string;
  config: JSONColumnType<Record<string, string>>;
  secrets_sealed: string;
  created_at: Generated<Date>;
}

export interface PushRegistrationsTable {
  id: Generated<string>;
  reader_id: string;
  kind: PushKind;
  app_id: string | null;
  address: string;
  keys: JSONColumnType<{ p256dh: string; auth: string } | null>;
  created_at: Generated<Date>;
}

export interface PushSegmentsTable {
  id: Generated<string>;
  unit_id: string;
  name: string;
  definition: JSONColumnType<SegmentDefinition>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export type CampaignState = 'scheduled' | 'sending' | 'sent' | 'cancelled';

export interface PushCampaignsTable {
  id: Generated<string>;
  unit_id: string;
  segment_id: string | null;
  definition: JSONColumnType<SegmentDefinition>;
  title: string;
  body: string;
  item_id: string;
  link: string;
  urgent: boolean;
  scheduled_at: Timestamp;
  state: CampaignState;
  audience: number | null;
  capped: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  sent_at: Timestamp | null;
}

export interface PushSendsTable {
  campaign_id: string;
  reader_id: string;
  sent_at: Timestamp;
  opened_at: Timestamp | null;
}

export interface PushDeliveriesTable {
  id: Generated<string>;
  campaign_id: string;
  reader_id: string;
  channel: PushKind;
  registration_id: string | null;
  status: 'accepted' | 'failed';
  error: string | null;
  remote_id: string | null;
  at: Timestamp;
}

export interface PushTables {
  push_secrets: PushSecretsTable;
  push_apps: PushAppsTable;
  push_registrations: PushRegistrationsTable;
  push_segments: PushSegmentsTable;
  push_campaigns: PushCampaignsTable;
  push_sends: PushSendsTable;
  push_deliveries: PushDeliveriesTable;
}
