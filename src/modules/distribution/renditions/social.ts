import type { RenditionSource } from '../contract.ts';
import { DOUYIN_TEXT_MAX, WEIBO_MAX } from './rules.ts';
import { leadLines, lineText } from './labels.ts';
import { shorten, textLength } from './length.ts';

export interface SocialText {
  text: string;
  notes: string[];
}

/**
 * 微博: 【标题】摘要, then the labels, the credit and the link, all within one post's limit (link
 * included). The link and the labels are never cut: the summary gives way.
 */
export function weiboText(source: RenditionSource, title: string, summary: string, link: string): SocialText {
  const lead = leadLines(source, { bodyShown: false }).map(lineText);
  const credit = adoptionCredit(source);
  const tail = [...lead, ...credit, `全文：${link}`].join(' ');
  const head = `【${title}】`;
  const room = WEIBO_MAX - textLength(head) - textLength(tail) - 1;
  const notes: string[] = [];
  const cut = shorten(summary, Math.max(0, room));
  if (cut.shortened) notes.push(`微博正文连同链接不超过 ${WEIBO_MAX} 字，摘要已截短（原 ${cut.from} 字）`);
  const text = [head + cut.text, tail].filter(Boolean).join(' ');
  return { text, notes };
}

/** Short 转载 credit for posts that cannot hold a credit paragraph. */
const adoptionCredit = (source: RenditionSource): string[] => (source.origin ? [`（转自${source.origin.unitName}）`] : []);

const hashtag = (tag: string) => `#${tag.replace(/[#\s]+/g, '')}`;

/** 抖音视频描述: the title, the labels, the 转载 credit and the tags as hashtags; hashtags give way first. */
export function douyinText(source: RenditionSource, title: string): SocialText {
  const lead = leadLines(source, { bodyShown: false }).map(lineText);
  const fixed = [title, ...lead, ...adoptionCredit(source)].join(' ');
  const notes: string[] = [];
  const tags: string[] = [];
  let length = textLength(fixed);
  for (const tag of source.tags.map(hashtag).filter((t) => t.length > 1)) {
    if (length + 1 + textLength(tag) > DOUYIN_TEXT_MAX) {
      notes.push(`抖音描述不超过 ${DOUYIN_TEXT_MAX} 字，部分话题标签未带上`);
      break;
    }
    tags.push(tag);
    length += 1 + textLength(tag);
  }
  return { text: [fixed, ...tags].join(' '), notes };
}
