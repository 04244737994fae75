import { type DocNode, plainText } from '../../content/doc.ts';
import type { AppBlock, RenditionSource } from '../contract.ts';
import { safeHttpUrl } from './escape.ts';
import { type FrameLine, creditLines, leadLines } from './labels.ts';

type Paragraph = Extract<AppBlock, { type: 'paragraph' }>;
type Mark = NonNullable<Paragraph['marks']>[number];

/**
 * 客户端结构化正文: blocks a member app lays out natively instead of a web view. Mark offsets count
 * UTF-16 code units (as JavaScript, Java/Kotlin and Swift's NSString index strings), end exclusive.
 */
function inline(nodes: DocNode[]): { text: string; marks: Mark[] } {
  let text = '';
  const marks: Mark[] = [];
  for (const n of nodes) {
    if (n.type === 'hardBreak') {
      text += '\n';
      continue;
    }
    if (n.type !== 'text') continue;
    const start = text.length;
    text += n.text ?? '';
    const end = text.length;
    for (const m of n.marks ?? []) {
      if (m.type === 'bold' || m.type === 'italic') marks.push({ start, end, mark: m.type });
      else if (m.type === 'link') {
        const href = safeHttpUrl(m.attrs?.href);
        if (href) marks.push({ start, end, mark: 'link', href });
      }
    }
  }
  return { text, marks };
}

function paragraph(nodes: DocNode[]): Paragraph {
  const { text, marks } = inline(nodes);
  return marks.length ? { type: 'paragraph', text, marks } : { type: 'paragraph', text };
}

function blocksOf(node: DocNode, out: AppBlock[]) {
  switch (node.type) {
    case 'doc':
      for (const c of node.content ?? []) blocksOf(c, out);
      return;
    case 'paragraph': {
      const p = paragraph(node.content ?? []);
      if (p.text.trim()) out.push(p);
      return;
    }
    case 'heading':
      out.push({ type: 'heading', level: Math.min(6, Math.max(2, Number(node.attrs?.level) || 2)), text: plainText(node) });
      return;
    case 'bulletList':
    case 'orderedList':
      out.push({ type: 'list', ordered: node.type === 'orderedList', items: (node.content ?? []).map((li) => plainText(li)) });
      return;
    case 'blockquote':
      out.push({ type: 'quote', text: plainText(node) });
      return;
    case 'codeBlock':
      out.push({ type: 'paragraph', text: (node.content ?? []).map((c) => c.text ?? '').join('') });
      return;
    case 'image': {
      const assetId = typeof node.attrs?.assetId === 'string' ? node.attrs.assetId : null;
      if (assetId) out.push({ type: 'image', assetId, caption: node.attrs?.caption ? String(node.attrs.caption) : null });
      return;
    }
    default:
      // A lone text node or a rule has no block of its own in the app.
      return;
  }
}

const labelBlock = (line: FrameLine): AppBlock => ({ type: 'label', text: line.text + (line.href ?? '') });

export function appBlocks(source: RenditionSource): AppBlock[] {
  const body: AppBlock[] = [];
  blocksOf(source.body, body);
  return [...leadLines(source, { bodyShown: true }).map(labelBlock), ...body, ...creditLines(source).map(labelBlock)];
}
