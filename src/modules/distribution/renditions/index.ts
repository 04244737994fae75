import { type AssetUrl } from '../../content/doc.ts';
import type { ChannelKind, Rendition, RenditionSource } from '../contract.ts';
import { appBlocks } from './app.ts';
import { safeHtml } from './html.ts';
import { aiLabelOf, isLabelLine } from './labels.ts';
import { leadOf, shorten } from './length.ts';
import { printStory, printText } from './print.ts';
import { channelRules } from './rules.ts';
import { channelKindLabels } from '../../../shared/labels.ts';
import { douyinText, weiboText } from './social.ts';
import { wechatHtml } from './wechat.ts';
import { portalUrls } from '../urls.ts';

export { channelRules } from './rules.ts';
export { shorten, textLength } from './length.ts';
export { AI_LABEL_TEXT } from './labels.ts';

export interface RenderOptions {
  /** A channel's own title limit, where it is stricter than the platform's (e.g. a unit's app card). */
  titleMax?: number;
  summaryMax?: number;
  /** Where images point; by default their public copies on the portal (see urls.ts). */
  assetUrl?: AssetUrl;
}

/**
 * A channel's own limits from its settings (config.titleMax / config.summaryMax), for units whose app
 * or account takes shorter titles than the platform allows. renderFor keeps the stricter of the two.
 */
export function optionsFromConfig(config: Record<string, unknown>): Pick<RenderOptions, 'titleMax' | 'summaryMax'> {
  const positive = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
  return { titleMax: positive(config.titleMax), summaryMax: positive(config.summaryMax) };
}

/** The strictest limits among several channels of one kind, so a preview never promises more room than one of them has. */
export function strictestOptions(configs: Record<string, unknown>[]): Pick<RenderOptions, 'titleMax' | 'summaryMax'> {
  const min = (values: (number | undefined)[]) => {
    const set = values.filter((v): v is number => v !== undefined);
    return set.length ? Math.min(...set) : undefined;
  };
  const all = configs.map(optionsFromConfig);
  return { titleMax: min(all.map((o) => o.titleMax)), summaryMax: min(all.map((o) => o.summaryMax)) };
}

/** The platform's base URL, read back from the portal address (`${base}/portal/…`, see urls.ts). */
function baseOf(portalUrl: string): string {
  const at = portalUrl.lastIndexOf('/portal/');
  return at >= 0 ? portalUrl.slice(0, at) : new URL(portalUrl).origin;
}

export const defaultAssetUrl =
  (base: string): AssetUrl =>
  (assetId) =>
    portalUrls(base).media(encodeURIComponent(assetId), 'large');

/**
 * 多种生成: what one signed-off revision becomes on one channel. Pure and deterministic: the same
 * source and options always give the same rendition, so a preview shows exactly what will be sent.
 */
export function renderFor(kind: ChannelKind, source: RenditionSource, options: RenderOptions = {}): Rendition {
  const rule = channelRules[kind];
  const channelName = channelKindLabels[kind][0];
  const notes: string[] = [];
  const assetUrl = options.assetUrl ?? defaultAssetUrl(baseOf(source.portalUrl));

  const titleMax = minOf(rule.titleMax, options.titleMax);
  const title = fit(source.title.trim(), titleMax, (from) => `标题超过${channelName}上限 ${titleMax} 字，已在分句处截短（原 ${from} 字）`, notes);

  const summaryMax = minOf(rule.summaryMax, options.summaryMax)!;
  let summarySource = source.summary?.trim() || '';
  if (!summarySource) {
    summarySource = leadOf(source.bodyText, summaryMax, isLabelLine);
    if (summarySource) notes.push('稿件没有摘要，已取正文首段');
  }
  const summary = fit(summarySource, summaryMax, (from) => `摘要超过${channelName}上限 ${summaryMax} 字，已截短（原 ${from} 字）`, notes);

  // A video as the cover has no picture crops: picture channels go without, Douyin uploads it as the film.
  const coverIsPicture = source.coverAssetId && !source.videoAssetIds?.includes(source.coverAssetId);
  const cover = coverIsPicture ? { assetId: source.coverAssetId!, crop: rule.crop } : null;
  if (!cover && (kind === 'wechat' || kind === 'app')) notes.push(`稿件没有封面图；${channelName}将显示无图卡片`);

  const link = source.origin ? source.canonicalUrl : source.portalUrl;
  const base: Rendition = { channel: kind, title, summary, cover, aiLabel: aiLabelOf(source), html: null, text: null, blocks: null, link, notes };

  switch (kind) {
    case 'portal':
    case 'feed':
    case 'webhook':
      return { ...base, html: safeHtml(source, assetUrl) };
    case 'wechat': {
      const { html, linksFlattened } = wechatHtml(source, assetUrl);
      if (linksFlattened) notes.push(`微信正文不支持外部链接，${linksFlattened} 个链接已改为文字加地址`);
      if (source.imageAssetIds.length) notes.push(`正文 ${source.imageAssetIds.length} 张图片将在发送时上传到微信`);
      return { ...base, html };
    }
    case 'weibo': {
      // The post carries the summary as its text, so it is cut to the post, not to a summary limit.
      const weibo = weiboText(source, title, summarySource, link);
      notes.push(...weibo.notes);
      return { ...base, text: weibo.text };
    }
    case 'douyin': {
      const douyin = douyinText(source, title);
      notes.push(...douyin.notes);
      if (source.type !== 'video') notes.push('抖音只发布视频；该稿件不是视频稿');
      const videoAssetId = source.videoAssetIds?.[0] ?? null;
      if (!videoAssetId) notes.push('稿件的封面和正文中没有视频文件，抖音无法发布');
      return { ...base, text: douyin.text, videoAssetId };
    }
    case 'app':
      return { ...base, blocks: appBlocks(source) };
    case 'print': {
      const deck = source.subtitle?.trim() || (source.summary?.trim() ? summary : null);
      const story = printStory(source, title, deck);
      return { ...base, text: printText(story), print: story };
    }
  }
}

function minOf(a: number | null, b: number | undefined): number | null {
  if (b === undefined || b <= 0) return a;
  return a === null ? b : Math.min(a, b);
}

function fit(text: string, max: number | null, note: (from: number) => string, notes: string[]): string {
  if (max === null) return text;
  const cut = shorten(text, max);
  if (cut.shortened) notes.push(note(cut.from));
  return cut.text;
}
