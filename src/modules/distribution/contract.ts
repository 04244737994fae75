import type { TObject } from 'typebox';
import type { ContentDoc } from '../content/doc.ts';
import type { ItemType } from '../content/tables.ts';

/**
 * The contract between the distribution core (outbox, workers, publishing), the renditions and the
 * channel adapters (portal, app, feed, webhook, WeChat, Weibo, Douyin, print). Each side depends on
 * this file only, so an adapter can be written and tested without the rest.
 */
export const channelKinds = ['portal', 'app', 'feed', 'webhook', 'wechat', 'weibo', 'douyin', 'print'] as const;
export type ChannelKind = (typeof channelKinds)[number];

/** The one signed-off revision, as every rendition starts from it (一次采集). */
export interface RenditionSource {
  itemId: string;
  unitId: string;
  unitName: string;
  /** The unit's short code used in portal URLs (its division code, or its id where it has none). */
  unitSlug: string;
  revision: number;
  type: ItemType;
  title: string;
  subtitle: string | null;
  summary: string | null;
  body: ContentDoc;
  bodyText: string;
  byline: string | null;
  source: string | null;
  creditLine: string | null;
  tags: string[];
  category: string | null;
  regionCode: string | null;
  language: string;
  liveUrl: string | null;
  aiAssisted: boolean;
  coverAssetId: string | null;
  /** Images in the body, in order (asset ids), for channels that must upload them first. */
  imageAssetIds: string[];
  publishedAt: string;
  /** The article's page on the publishing unit's portal (absolute URL). */
  portalUrl: string;
  /** For a picked-up story: the originating unit's article, used as the canonical link. */
  canonicalUrl: string;
  origin: { unitId: string; unitName: string; itemId: string } | null;
  /** Set when this revision corrects an earlier publication. */
  correctionNote: string | null;
  /** A special topic (专题): its member items in order. Added for the portal's topic page. */
  specialItemIds?: string[];
  /** Video files among the cover and body assets, cover first. Added for the Douyin rendition (videoAssetId). */
  videoAssetIds?: string[];
}

export type CoverCrop = 'crop_16x9' | 'crop_4x3' | 'crop_1x1' | 'large';

/** An app card/detail body block (structured JSON for member apps). */
export type AppBlock =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string; marks?: { start: number; end: number; mark: 'bold' | 'italic' | 'link'; href?: string }[] }
  | { type: 'image'; assetId: string; caption: string | null }
  | { type: 'quote'; text: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'label'; text: string };

/** What the revision becomes for one channel (多种生成). */
export interface Rendition {
  channel: ChannelKind;
  title: string;
  summary: string;
  cover: { assetId: string; crop: CoverCrop } | null;
  /** The AI-content label shown in every rendition of an AI-assisted item, else null. */
  aiLabel: string | null;
  /** portal, feed, webhook: safe HTML; wechat: WeChat's HTML subset with inline styles. */
  html: string | null;
  /** weibo: the post text with its link; print: plain paragraphs joined by blank lines. */
  text: string | null;
  /** app: structured body. */
  blocks: AppBlock[] | null;
  /** Where a reader lands (the portal article, or the canonical origin for picked-up stories). */
  link: string;
  /** What the length rules changed (e.g. a title shortened to fit), shown in the preview. */
  notes: string[];
  /** print: the story's structure for the page layout (headline hierarchy, paragraphs, images with captions). */
  print?: PrintStory;
  /**
   * douyin: the video to upload (an asset of kind video, loaded as 'original'). Added for the Douyin adapter;
   * when unset it tries the item's cover asset, and refuses the item when that is not a video either.
   */
  videoAssetId?: string | null;
}

/** A story as the print layout sets it (报纸版面). */
export interface PrintStory {
  /** 主题 */
  headline: string;
  /** 副题 (the subtitle), else the summary as 导语 */
  deck: string | null;
  byline: string | null;
  /** crosshead: a heading inside the body (小标题); quote: a block quotation. */
  paragraphs: { kind: 'body' | 'crosshead' | 'quote'; text: string }[];
  /** afterParagraph: how many paragraphs come before the image in the story. */
  images: { assetId: string; caption: string | null; afterParagraph: number }[];
  /** Lines set before the body: the correction note and the AI-content label. */
  labels: string[];
  /** Lines set after the body: source and 转载 credit. */
  credits: string[];
}

export type DeliveryAction = 'publish' | 'update' | 'retract';

export interface ChannelRef {
  id: string;
  unitId: string;
  kind: ChannelKind;
  name: string;
  /** Non-secret settings (app id, bound domain, account name, print format …). */
  config: Record<string, unknown>;
  /** Decrypted credentials, only ever handed to the adapter. */
  secrets: Record<string, string>;
}

export interface MediaLoader {
  /** The bytes of an asset variant, for channels that need uploads (WeChat images, Douyin video). */
  load(assetId: string, variant: CoverCrop | 'original'): Promise<{ bytes: Buffer; mime: string; filename: string }>;
}

export interface DeliveryRequest {
  deliveryId: string;
  /** Stable per (channel, item, action, revision): the platform or our reconciliation uses it to spot a repeat. */
  idempotencyKey: string;
  action: DeliveryAction;
  channel: ChannelRef;
  rendition: Rendition;
  /** What an earlier publish on this channel created (for update and retract). */
  remote: { id: string; url: string | null } | null;
  media: MediaLoader;
  /** Aborted when the worker gives up waiting; an adapter that already sent must then report `unknown`. */
  signal: AbortSignal;
  /**
   * The revision the rendition was made from. The site channels (portal, app, feed) need it: they
   * file the story by item, unit, category, region and time, which the rendition alone does not carry.
   * Added for the portal module; the core passes it on every publish and update.
   */
  source?: RenditionSource;
  /** For a retraction: the note readers see where the story was (本文已撤回). Added for the portal module. */
  retractionNote?: string | null;
}

export interface DeliveryResult {
  remoteId: string;
  remoteUrl: string | null;
}

/** Which setting is wrong and why, in Chinese and English. */
export interface SettingProblem {
  key: string;
  zh: string;
  en: string;
}

export interface ChannelAdapter {
  kind: ChannelKind;
  /** Whether the channel can change or take down what it published; if not, a correction/retraction leaves a trail instead. */
  supports: { update: boolean; retract: boolean };
  /** What a unit admin enters for this kind of channel: plain settings, and credentials (stored encrypted, never returned). */
  settings: { config: TObject; secrets: TObject };
  /**
   * What the schema cannot say about settings: an address the adapter will call must be one outbound
   * HTTP may reach (no file:, no loopback or metadata address). Asked when settings are entered, so a
   * bad address is refused then rather than at the first delivery. Every adapter with a URL setting has it.
   */
  checkConfig?(config: Record<string, unknown>): SettingProblem | null;
  /**
   * How long one deliver may take before the worker aborts `signal`, where the worker's default is too
   * short: WeChat waits for 发表 to finish (freepublish/get), Douyin uploads video in parts. Added for
   * the platform adapters; a worker that ignores it still works, at the cost of reconciling more often.
   */
  deliverTimeoutMs?: number;
  deliver(req: DeliveryRequest): Promise<DeliveryResult>;
  /**
   * After a send whose outcome is unknown (timeout after sending), look on the channel for what that
   * send made, by the idempotency key or the content; null when it did not land (then it is safe to send again).
   */
  reconcile(req: DeliveryRequest): Promise<DeliveryResult | null>;
}

/**
 * How a delivery failed, which decides what the worker does next:
 *  - retry: nothing was sent (connection refused, 5xx before acceptance) — retry with backoff;
 *  - rate_limited: the platform said slow down — retry after retryAfterMs;
 *  - unknown: sent but no answer (timeout after send) — reconcile before any retry;
 *  - rejected: the platform refused the content (sensitive, too long …) — stop, show the reason;
 *  - auth: credentials wrong or revoked (an expired token is refreshed inside the adapter) — stop.
 */
export type DeliveryFailure = 'retry' | 'rate_limited' | 'unknown' | 'rejected' | 'auth';

export class DeliveryError extends Error {
  constructor(
    readonly failure: DeliveryFailure,
    message: string,
    readonly detail: { retryAfterMs?: number; platformCode?: string | number } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
