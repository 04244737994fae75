import type { Static } from 'typebox';
import type { ChannelKindInfoSchema, ChannelKindSchema, ChannelSchema, DeliverySchema, ItemDistributionSchema } from '../../../src/modules/distribution/schema.ts';

/** The distribution API as the console sees it (GET/POST/PATCH /api/channels, /api/items/:id/distribution). */

export const channelKinds = ['portal', 'app', 'feed', 'webhook', 'wechat', 'weibo', 'douyin', 'print'] as const satisfies readonly ChannelKind[];
export type ChannelKind = Static<typeof ChannelKindSchema>;

export { channelKindLabels } from '../../../src/shared/labels.ts';

export type Channel = Static<typeof ChannelSchema>;

/** A JSON Schema object as the adapters publish their settings (TypeBox). */
export interface SettingsSchema {
  properties?: Record<string, { type?: string; description?: string; enum?: string[]; format?: string; minimum?: number; maximum?: number; minLength?: number; maxLength?: number }>;
  required?: string[];
}

/** The server types the adapters' settings as unknown JSON Schema; the console reads the parts it draws a form from. */
export type ChannelKindInfo = Omit<Static<typeof ChannelKindInfoSchema>, 'config' | 'secrets'> & { config: SettingsSchema; secrets: SettingsSchema };

export type DeliveryStatus = Delivery['status'];

export const deliveryStatusLabels: Record<DeliveryStatus, { zh: string; en: string; color: string }> = {
  queued: { zh: '排队中', en: 'Queued', color: 'default' },
  sending: { zh: '发送中', en: 'Sending', color: 'processing' },
  unknown: { zh: '待核对', en: 'Reconciling', color: 'warning' },
  delivered: { zh: '已送达', en: 'Delivered', color: 'success' },
  failed: { zh: '失败', en: 'Failed', color: 'error' },
  skipped: { zh: '未发送', en: 'Skipped', color: 'default' },
};

export const deliveryActionLabels: Record<Delivery['action'], [zh: string, en: string]> = { publish: ['发布', 'Publish'], update: ['更正', 'Update'], retract: ['撤稿', 'Retract'] };

export type Delivery = Static<typeof DeliverySchema>;

export type ItemDistribution = Static<typeof ItemDistributionSchema>;
