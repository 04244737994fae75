import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ChannelKind, DeliveryAction, DeliveryFailure, Rendition, RenditionSource } from './contract.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const deliveryStatuses = ['queued', 'sending', 'unknown', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface ChannelsTable {
  unit_id: string;
  id: Generated<string>;
  kind: ChannelKind;
  name: string;
  config: Json<Record<string, unknown>>;
  /** AES-256-GCM ciphertext of the credentials (secret-box.ts); null when none are set. */
  secrets_ciphertext: string | null;
  /** Which credential fields are set, so the console can show them without the values. */
  secret_fields: Generated<string[]>;
  enabled: Generated<boolean>;
  auto_select: Generated<boolean>;
  rate_limit_per_minute: number | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ChannelRateBucketsTable {
  channel_id: string;
  tokens: number;
  refilled_at: Timestamp;
}

export interface PublicationChannelsTable {
  unit_id: string;
  item_id: string;
  channel_id: string;
  chosen_by: string | null;
  chosen_at: Timestamp;
}

export interface DistributionDeliveriesTable {
  unit_id: string;
  id: Generated<string>;
  seq: Generated<number>;
  channel_id: string;
  item_id: string;
  action: DeliveryAction;
  revision: number;
  epoch: Generated<number>;
  idempotency_key: string;
  status: Generated<DeliveryStatus>;
  needs_reconcile: Generated<boolean>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_until: Timestamp | null;
  remote_id: string | null;
  remote_url: string | null;
  last_error: string | null;
  failure: DeliveryFailure | 'skipped' | null;
  rendition: Json<Rendition> | null;
  source: Json<RenditionSource> | null;
  /** The retraction note, or why a row was skipped. */
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  delivered_at: Timestamp | null;
}

export type ChannelRow = Selectable<ChannelsTable>;
export type DeliveryRow = Selectable<DistributionDeliveriesTable>;

export interface DistributionTables {
  channels: ChannelsTable;
  channel_rate_buckets: ChannelRateBucketsTable;
  publication_channels: PublicationChannelsTable;
  distribution_deliveries: DistributionDeliveriesTable;
}
