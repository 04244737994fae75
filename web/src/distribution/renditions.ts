import type { Static } from 'typebox';
import type { PreviewSchema, RenditionSchema } from '../../../src/modules/distribution/renditions/schema.ts';

/** The shapes of GET /api/items/:id/renditions (see src/modules/distribution/renditions/schema.ts). */
export type RenditionPreview = Static<typeof PreviewSchema>;
export type Rendition = Static<typeof RenditionSchema>;
export type ChannelKind = Rendition['channel'];
export type CoverCrop = NonNullable<Rendition['cover']>['crop'];
export type AppBlock = NonNullable<Rendition['blocks']>[number];
export type PrintStory = NonNullable<Rendition['print']>;

/** The order of the tabs: the social channels editors check most first. */
export const previewOrder: ChannelKind[] = ['wechat', 'weibo', 'douyin', 'app', 'portal', 'feed', 'webhook', 'print'];

/** Platforms count characters, not UTF-16 units (an emoji or a rare CJK character is one). */
export const charCount = (s: string) => Array.from(s).length;

export const coverUrl = (cover: { assetId: string; crop: CoverCrop }) => `/api/assets/${encodeURIComponent(cover.assetId)}/content?variant=${cover.crop}`;
export const assetUrl = (assetId: string) => `/api/assets/${encodeURIComponent(assetId)}/content?variant=medium`;
