/** The distribution API as the console sees it (GET/POST/PATCH /api/channels, /api/items/:id/distribution). */

export const channelKinds = ['portal', 'app', 'feed', 'webhook', 'wechat', 'weibo', 'douyin', 'print'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export { channelKindLabels } from '../../../src/shared/labels.ts';

export interface Channel {
  id: string;
  unitId: string;
  kind: ChannelKind;
  name: string;
  config: Record<string, unknown>;
  secretFields: string[];
  enabled: boolean;
  autoSelect: boolean;
  rateLimitPerMinute: number | null;
  supports: { update: boolean; retract: boolean };
  createdAt: string;
  updatedAt: string;
}

/** A JSON Schema object as the adapters publish their settings (TypeBox). */
export interface SettingsSchema {
  properties?: Record<string, { type?: string; description?: string; enum?: string[]; format?: string; minimum?: number; maximum?: number }>;
  required?: string[];
}

export interface ChannelKindInfo {
  kind: ChannelKind;
  supports: { update: boolean; retract: boolean };
  config: SettingsSchema;
  secrets: SettingsSchema;
}

export type DeliveryStatus = 'queued' | 'sending' | 'unknown' | 'delivered' | 'failed' | 'skipped';

export const deliveryStatusLabels: Record<DeliveryStatus, { zh: string; en: string; color: string }> = {
  queued: { zh: '排队中', en: 'Queued', color: 'default' },
  sending: { zh: '发送中', en: 'Sending', color: 'processing' },
  unknown: { zh: '待核对', en: 'Reconciling', color: 'warning' },
  delivered: { zh: '已送达', en: 'Delivered', color: 'success' },
  failed: { zh: '失败', en: 'Failed', color: 'error' },
  skipped: { zh: '未发送', en: 'Skipped', color: 'default' },
};

export const deliveryActionLabels: Record<'publish' | 'update' | 'retract', [zh: string, en: string]> = { publish: ['发布', 'Publish'], update: ['更正', 'Update'], retract: ['撤稿', 'Retract'] };

export interface Delivery {
  id: string;
  channelId: string;
  channelName: string;
  channelKind: ChannelKind;
  action: 'publish' | 'update' | 'retract';
  revision: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  remoteId: string | null;
  remoteUrl: string | null;
  lastError: string | null;
  failure: string | null;
  note: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface ItemDistribution {
  itemId: string;
  channelIds: string[];
  channels: { channelId: string; channelName: string; channelKind: ChannelKind; latest: Delivery; history: Delivery[] }[];
}
