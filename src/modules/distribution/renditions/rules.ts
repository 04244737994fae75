import type { ChannelKind, CoverCrop } from '../contract.ts';

/**
 * Each channel's limits (in characters) and the cover it shows. Titles and summaries are cut to fit
 * (see length.ts), never silently dropped, and every cut is noted in the rendition.
 */
export interface ChannelRule {
  /** Title limit; null where the channel takes any title a story carries. */
  titleMax: number | null;
  summaryMax: number;
  /** The cover variant this channel shows (see content/assets/variants.ts). */
  crop: CoverCrop;
  /** Why this crop: shown in the preview, so an editor knows what the channel will show. */
  cropReason: string;
}

export const channelRules: Record<ChannelKind, ChannelRule> = {
  portal: { titleMax: null, summaryMax: 200, crop: 'large', cropReason: '门户正文页大图' },
  feed: { titleMax: null, summaryMax: 300, crop: 'crop_16x9', cropReason: '订阅器卡片 16:9' },
  webhook: { titleMax: null, summaryMax: 500, crop: 'large', cropReason: '原图比例大图' },
  // 微信图文标题上限 64 字、摘要 120 字；封面按 2.35:1 显示，取最接近的 16:9 裁切。
  wechat: { titleMax: 64, summaryMax: 120, crop: 'crop_16x9', cropReason: '微信封面 2.35:1，取最接近的 16:9 裁切' },
  // 微博正文（含链接）上限 2000 字；标题作【】导语。
  weibo: { titleMax: 60, summaryMax: 2000, crop: 'crop_1x1', cropReason: '微博单图/九宫格 1:1' },
  douyin: { titleMax: 55, summaryMax: 300, crop: 'crop_16x9', cropReason: '横版视频封面 16:9' },
  app: { titleMax: 36, summaryMax: 80, crop: 'crop_16x9', cropReason: '客户端列表卡片 16:9' },
  print: { titleMax: 40, summaryMax: 120, crop: 'crop_4x3', cropReason: '版面图片 4:3' },
};

/** 微博一条的上限，链接计算在内。 */
export const WEIBO_MAX = 2000;
/** 抖音视频描述的上限。 */
export const DOUYIN_TEXT_MAX = 300;
