/** The shapes of GET /api/items/:id/renditions (see src/modules/distribution/renditions/schema.ts). */
export type ChannelKind = 'portal' | 'app' | 'feed' | 'webhook' | 'wechat' | 'weibo' | 'douyin' | 'print';
export type CoverCrop = 'crop_16x9' | 'crop_4x3' | 'crop_1x1' | 'large';

export type AppBlock =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string; marks?: { start: number; end: number; mark: 'bold' | 'italic' | 'link'; href?: string }[] }
  | { type: 'image'; assetId: string; caption: string | null }
  | { type: 'quote'; text: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'label'; text: string };

export interface PrintStory {
  headline: string;
  deck: string | null;
  byline: string | null;
  paragraphs: { kind: 'body' | 'crosshead' | 'quote'; text: string }[];
  images: { assetId: string; caption: string | null; afterParagraph: number }[];
  labels: string[];
  credits: string[];
}

export interface Rendition {
  channel: ChannelKind;
  title: string;
  summary: string;
  cover: { assetId: string; crop: CoverCrop } | null;
  aiLabel: string | null;
  html: string | null;
  text: string | null;
  blocks: AppBlock[] | null;
  link: string;
  notes: string[];
  print?: PrintStory;
}

export interface RenditionPreview {
  itemId: string;
  revision: number;
  latestRevision: number;
  signedOffRevision: number | null;
  signedOff: boolean;
  /** The unit's enabled channels of the kinds shown. */
  channels: { id: string; kind: ChannelKind; name: string }[];
  renditions: Rendition[];
}

/** The order of the tabs: the social channels editors check most first. */
export const previewOrder: ChannelKind[] = ['wechat', 'weibo', 'douyin', 'app', 'portal', 'feed', 'webhook', 'print'];

/** Platforms count characters, not UTF-16 units (an emoji or a rare CJK character is one). */
export const charCount = (s: string) => Array.from(s).length;

export const coverUrl = (cover: { assetId: string; crop: CoverCrop }) => `/api/assets/${encodeURIComponent(cover.assetId)}/content?variant=${cover.crop}`;
export const assetUrl = (assetId: string) => `/api/assets/${encodeURIComponent(assetId)}/content?variant=medium`;
