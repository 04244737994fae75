import type { Static } from 'typebox';
import type { ChannelAdapter } from './contract.ts';
import type { ChannelSchema, DeliverySchema } from './schema.ts';
import type { ChannelRow, DeliveryRow } from './tables.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

/** A channel as the API shows it: never the credentials, only which of them are set. */
export function presentChannel(row: ChannelRow, adapter: ChannelAdapter | undefined): Static<typeof ChannelSchema> {
  return {
    id: row.id,
    unitId: row.unit_id,
    kind: row.kind,
    name: row.name,
    config: row.config,
    secretFields: row.secret_fields,
    enabled: row.enabled,
    autoSelect: row.auto_select,
    rateLimitPerMinute: row.rate_limit_per_minute,
    supports: adapter?.supports ?? { update: false, retract: false },
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function presentDelivery(row: DeliveryRow, channel: { name: string; kind: ChannelRow['kind'] }): Static<typeof DeliverySchema> {
  const pending = row.status === 'queued' || row.status === 'unknown';
  return {
    id: row.id,
    channelId: row.channel_id,
    channelName: channel.name,
    channelKind: channel.kind,
    action: row.action,
    revision: row.revision,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: pending ? iso(row.next_attempt_at) : null,
    remoteId: row.remote_id,
    remoteUrl: row.remote_url,
    lastError: row.last_error,
    failure: row.failure,
    note: row.note,
    createdAt: iso(row.created_at),
    deliveredAt: row.delivered_at ? iso(row.delivered_at) : null,
  };
}
