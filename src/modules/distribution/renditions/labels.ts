import { AI_LABEL_TEXT, hasAiLabel } from '../../screening/checks/ai-label.ts';
import type { RenditionSource } from '../contract.ts';

/**
 * The lines every channel adds around the body: a correction note, the AI-content label (显式标识 under
 * the 《人工智能生成合成内容标识办法》, worded as the review checks expect), and the credit lines for
 * sources and picked-up stories (转载 names the originating unit and links its article).
 */
export { AI_LABEL_TEXT };

export interface FrameLine {
  kind: 'correction' | 'ai-label' | 'credit';
  text: string;
  /** A link the line ends with (the original article of a picked-up story). */
  href?: string;
}

export const aiLabelOf = (source: RenditionSource): string | null => (source.aiAssisted ? AI_LABEL_TEXT : null);

/** Lines shown before the body: the correction first (readers must see it), then the AI label. */
export function leadLines(source: RenditionSource, opts: { bodyShown: boolean }): FrameLine[] {
  const lines: FrameLine[] = [];
  if (source.correctionNote) lines.push({ kind: 'correction', text: `更正：${source.correctionNote}` });
  // A body that already carries the label shows it; a rendition without the body always needs it.
  if (source.aiAssisted && !(opts.bodyShown && hasAiLabel(source.bodyText))) lines.push({ kind: 'ai-label', text: AI_LABEL_TEXT });
  return lines;
}

/** Lines after the body: where the story comes from. */
export function creditLines(source: RenditionSource): FrameLine[] {
  const lines: FrameLine[] = [];
  if (source.origin) lines.push({ kind: 'credit', text: `本文转载自${source.origin.unitName}，原文链接：`, href: source.canonicalUrl });
  // A pick-up already says 来源：<origin unit>; the 转载 line above says it with the link.
  const repeatsOrigin = source.origin && source.creditLine?.includes(source.origin.unitName);
  if (source.creditLine && !repeatsOrigin) lines.push({ kind: 'credit', text: source.creditLine });
  else if (source.source && !source.origin) lines.push({ kind: 'credit', text: `来源：${source.source}` });
  return lines;
}

export const lineText = (line: FrameLine): string => line.text + (line.href ?? '');

/** A body line that is nothing but an AI label: not a summary. */
export const isLabelLine = (line: string): boolean => line.length <= 30 && hasAiLabel(line);
