// AI-generated content labels (人工智能生成合成内容标识). Under the 《人工智能生成合成内容标识办法》
// (CAC and three other ministries, 2025, in force 2025-09-01) AI-generated or AI-assisted content carries
// an explicit label (显式标识: a text prompt at the start, end or a suitable place in the text) and an
// implicit one (隐式标识: metadata naming the content as AI-generated, its producer and an id). The
// metadata layout below follows the companion standard GB 45438-2025 (an `AIGC` key holding JSON with
// Label, ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID, ReservedCode2).
import type { Finding } from './finding.ts';

/** The explicit label the platform adds to the text of AI-assisted items. */
export const AI_LABEL_TEXT = '本文由AI辅助生成';

export interface AiLabelItem {
  title: string;
  body_text: string;
  summary?: string | null;
  /** The author's declaration that AI took part in producing the item. */
  ai_assisted: boolean;
  source?: string | null;
  byline?: string | null;
  tags?: readonly string[] | null;
}

export const AI_RULES = {
  /** Text or metadata says AI produced it, but the item is not flagged ai_assisted. */
  undeclared: 'ai-label.undeclared',
  /** The text talks about AI-generated content; worth a glance when the item is not flagged. */
  mention: 'ai-label.mention',
  /** Flagged ai_assisted, but the body lacks the explicit label. */
  missingLabel: 'ai-label.missing-label',
} as const;

// Latin names must not be glued to other Latin letters ("MAIL生成" is not AI); Chinese needs no boundary.
const AI_NAME =
  '(?:(?<![A-Za-z])(?:AI|ＡＩ|AIGC|ChatGPT|GPT-?[0-9.]*|DeepSeek|Kimi|Sora|Midjourney)(?![A-Za-z])|人工智能|大模型|深度求索|文心一言|通义千问|讯飞星火|智谱清言|腾讯元宝)';
const GENERATED = '(?:生成|合成|创作|撰写|写作|制作|绘制)';

/** "AI生成", "人工智能辅助生成", "由DeepSeek生成", "AIGC": the text says AI produced something. */
const GENERATION_MENTION = new RegExp(`${AI_NAME}\\s*(?:辅助|协助|自动)?${GENERATED}|(?<![A-Za-z])AIGC(?![A-Za-z])|由\\s*${AI_NAME}`, 'u');

/** "本文由AI辅助生成", "本稿使用DeepSeek撰写": the item says it about itself, not about other content. */
const SELF_DECLARATION = new RegExp(
  `(?:本文|本稿|本篇|本内容|此文|该文|以上内容|以下内容|本视频|本图|本条)[^。！？\\n]{0,12}${AI_NAME}[^。！？\\n]{0,8}${GENERATED}`,
  'u',
);

/** An explicit label already in the text: the platform's own, a self-declaration, or a bracketed tag. */
const EXPLICIT_LABEL = new RegExp(
  `${SELF_DECLARATION.source}|[【\\[（(]\\s*${AI_NAME}\\s*(?:辅助)?${GENERATED}[^】\\]）)]{0,8}[】\\]）)]`,
  'u',
);

/** Tags that declare AI production (a tag 人工智能 is a topic, not a declaration). */
const DECLARING_TAGS: ReadonlySet<string> = new Set(['aigc', 'ai生成', 'ai辅助', 'ai辅助生成', 'ai创作', 'ai合成', '人工智能生成', 'ai写作', '智能写作']);

export function hasAiLabel(text: string): boolean {
  return text.includes(AI_LABEL_TEXT) || EXPLICIT_LABEL.test(text);
}

function declaringMetadata(item: AiLabelItem): string | undefined {
  const aiName = new RegExp(AI_NAME, 'u');
  if (item.byline && aiName.test(item.byline)) return `署名“${item.byline}”`;
  if (item.source && aiName.test(item.source)) return `来源“${item.source}”`;
  const tag = item.tags?.find((t) => DECLARING_TAGS.has(t.trim().toLowerCase()));
  return tag === undefined ? undefined : `标签“${tag}”`;
}

function spanOf(text: string, re: RegExp): { start: number; end: number } | undefined {
  const m = re.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : undefined;
}

/**
 * Findings about AI labels. Offsets (`start`/`end`) refer to `body_text` and are present only when
 * the evidence is in the body. A body that merely reports on AI (a story about DeepSeek) gives an
 * `info` mention, not a `review`: only self-declarations and metadata count as evidence.
 */
export function checkAiLabel(item: AiLabelItem): Finding[] {
  const findings: Finding[] = [];
  if (item.ai_assisted) {
    if (!hasAiLabel(item.body_text)) {
      findings.push({
        rule: AI_RULES.missingLabel,
        severity: 'review',
        message: `稿件标记为AI辅助生成，但正文缺少显式标识；按《人工智能生成合成内容标识办法》，应在文首或文末加上“${AI_LABEL_TEXT}”。`,
        suggestion: AI_LABEL_TEXT,
      });
    }
    return findings;
  }

  const bodySelf = spanOf(item.body_text, SELF_DECLARATION);
  const otherSelf = [item.title, item.summary ?? ''].some((t) => SELF_DECLARATION.test(t));
  const metadata = declaringMetadata(item);
  if (bodySelf || otherSelf || metadata) {
    const where = bodySelf ? '正文' : otherSelf ? '标题或摘要' : (metadata ?? '');
    findings.push({
      rule: AI_RULES.undeclared,
      severity: 'review',
      message: `${where}表明稿件由AI生成或辅助生成，但稿件未标记“AI辅助”；如属实请勾选，系统将加注显式标识和隐式元数据。`,
      ...bodySelf,
    });
    return findings;
  }

  const bodyMention = spanOf(item.body_text, GENERATION_MENTION);
  const otherMention = [item.title, item.summary ?? ''].some((t) => GENERATION_MENTION.test(t));
  if (bodyMention || otherMention) {
    findings.push({
      rule: AI_RULES.mention,
      severity: 'info',
      message: '稿件提到AI生成内容；如本稿件本身使用了AI生成或辅助生成，请标记“AI辅助”。',
      ...bodyMention,
    });
  }
  return findings;
}

export interface AiMetadataOptions {
  /** Who produced the content (ContentProducer): the unit's name or its code. */
  producer?: string;
  /** Who spreads it (ContentPropagator), when it differs: e.g. the channel's platform. */
  propagator?: string;
  /** Id on the propagating platform (PropagateID). */
  propagateId?: string;
}

/**
 * The implicit label (隐式标识) every rendition of an AI-assisted item embeds: HTML as
 * `<meta name="AIGC" content="…">`, feeds and API as a field, images and video in their metadata (XMP).
 * Empty for items not flagged ai_assisted, so callers can spread it unconditionally.
 * Label "1" means "is AI-generated/synthesised content" (2 would be "possibly", 3 "suspected": for
 * detection by platforms, not for a producer's own declaration).
 */
export function aiImplicitMetadata(
  item: { ai_assisted: boolean; id?: string | number; unit_id?: string },
  opts: AiMetadataOptions = {},
): Record<string, string> {
  if (!item.ai_assisted) return {};
  const aigc = {
    Label: '1',
    ContentProducer: opts.producer ?? item.unit_id ?? '天府融媒',
    ProduceID: item.id === undefined ? '' : String(item.id),
    ReservedCode1: '',
    ContentPropagator: opts.propagator ?? '',
    PropagateID: opts.propagateId ?? '',
    ReservedCode2: '',
  };
  return { AIGC: JSON.stringify(aigc) };
}
