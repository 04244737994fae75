import { type Static, Type } from 'typebox';
import { badRequest } from '../../platform/http/problem.ts';

/**
 * The story body as a ProseMirror/TipTap document. Only the node and mark types below are accepted,
 * so rendering is an allow-list by construction: text is escaped, links must be http(s) or mailto,
 * images point at our own assets. Nothing a client sends reaches the page as raw HTML.
 */

const Mark = Type.Object(
  {
    type: Type.Enum(['bold', 'italic', 'underline', 'strike', 'code', 'link', 'superscript', 'subscript']),
    attrs: Type.Optional(Type.Object({ href: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

export const nodeTypes = [
  'doc',
  'paragraph',
  'text',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'hardBreak',
  'horizontalRule',
  'image',
  'codeBlock',
] as const;

export interface DocNode {
  type: (typeof nodeTypes)[number];
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Static<typeof Mark>[];
  content?: DocNode[];
}

export const DocNodeSchema = Type.Cyclic(
  {
    Node: Type.Object(
      {
        type: Type.Enum(nodeTypes),
        text: Type.Optional(Type.String({ maxLength: 200_000 })),
        attrs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        marks: Type.Optional(Type.Array(Mark, { maxItems: 10 })),
        content: Type.Optional(Type.Array(Type.Ref('Node'), { maxItems: 5000 })),
      },
      { additionalProperties: false },
    ),
  },
  'Node',
);

export type ContentDoc = DocNode & { type: 'doc' };

/**
 * How deep blocks may nest (the doc itself is level 1). Lists inside quotes inside lists rarely go past
 * ten; rendering, plain text and diffs recurse per level, so a doc nested hundreds deep is refused
 * here rather than crashing them later.
 */
export const MAX_DOC_DEPTH = 32;

/** The deepest level in a doc, counting without recursion, so a hostile doc cannot overflow it. */
export function docDepth(doc: DocNode): number {
  let deepest = 0;
  const stack: [DocNode, number][] = [[doc, 1]];
  while (stack.length) {
    const [node, level] = stack.pop()!;
    if (level > deepest) deepest = level;
    for (const child of node.content ?? []) stack.push([child, level + 1]);
  }
  return deepest;
}

export function assertDocDepth(doc: DocNode) {
  const depth = docDepth(doc);
  if (depth > MAX_DOC_DEPTH) {
    throw badRequest(
      'doc_too_deep',
      `正文嵌套层数过多（${depth} 层，最多 ${MAX_DOC_DEPTH} 层）：请减少引用、列表的相互嵌套后再保存`,
      `The body nests blocks ${depth} levels deep (at most ${MAX_DOC_DEPTH}); flatten nested quotes and lists, then save again`,
      { depth, maxDepth: MAX_DOC_DEPTH },
    );
  }
}

export const emptyDoc = (): ContentDoc => ({ type: 'doc', content: [] });

/** A document from plain text: one paragraph per line. Used by ingest and the demo seed. */
export function docFromText(text: string): ContentDoc {
  return {
    type: 'doc',
    content: text
      .split(/\n+/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text: line }] })),
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const safeHref = (href: unknown): string | null => {
  if (typeof href !== 'string') return null;
  try {
    const u = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.toString() : null;
  } catch {
    return null;
  }
};

const markTags: Record<string, string> = {
  bold: 'strong',
  italic: 'em',
  underline: 'u',
  strike: 's',
  code: 'code',
  superscript: 'sup',
  subscript: 'sub',
};

function renderText(node: DocNode): string {
  let html = escapeHtml(node.text ?? '');
  for (const mark of node.marks ?? []) {
    if (mark.type === 'link') {
      const href = safeHref(mark.attrs?.href);
      html = href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${html}</a>` : html;
    } else {
      const tag = markTags[mark.type]!;
      html = `<${tag}>${html}</${tag}>`;
    }
  }
  return html;
}

/** Where an image's bytes live: resolved by the asset library, so bodies never carry foreign URLs. */
export type AssetUrl = (assetId: string) => string | null;

export function renderHtml(doc: DocNode, assetUrl: AssetUrl = () => null): string {
  const inner = () => (doc.content ?? []).map((n) => renderHtml(n, assetUrl)).join('');
  switch (doc.type) {
    case 'doc':
      return inner();
    case 'text':
      return renderText(doc);
    case 'paragraph':
      return `<p>${inner()}</p>`;
    case 'heading': {
      const level = Math.min(6, Math.max(2, Number(doc.attrs?.level) || 2));
      return `<h${level}>${inner()}</h${level}>`;
    }
    case 'bulletList':
      return `<ul>${inner()}</ul>`;
    case 'orderedList':
      return `<ol>${inner()}</ol>`;
    case 'listItem':
      return `<li>${inner()}</li>`;
    case 'blockquote':
      return `<blockquote>${inner()}</blockquote>`;
    case 'codeBlock':
      return `<pre><code>${(doc.content ?? []).map((n) => escapeHtml(n.text ?? '')).join('')}</code></pre>`;
    case 'hardBreak':
      return '<br>';
    case 'horizontalRule':
      return '<hr>';
    case 'image': {
      const assetId = typeof doc.attrs?.assetId === 'string' ? doc.attrs.assetId : null;
      const src = assetId ? assetUrl(assetId) : null;
      if (!src) return '';
      const alt = escapeHtml(String(doc.attrs?.alt ?? ''));
      const caption = doc.attrs?.caption ? `<figcaption>${escapeHtml(String(doc.attrs.caption))}</figcaption>` : '';
      return `<figure><img src="${escapeHtml(src)}" alt="${alt}" loading="lazy">${caption}</figure>`;
    }
  }
}

const blockTypes = new Set(['paragraph', 'heading', 'listItem', 'blockquote', 'codeBlock', 'image']);

/** Plain text for search, understanding and diffs: one line per block, image captions included. */
export function plainText(doc: DocNode): string {
  if (doc.type === 'text') return doc.text ?? '';
  if (doc.type === 'hardBreak') return '\n';
  if (doc.type === 'image') return String(doc.attrs?.caption ?? doc.attrs?.alt ?? '');
  const inner = (doc.content ?? []).map(plainText);
  const joined = blockTypes.has(doc.type) ? inner.join('') : inner.join('\n');
  return joined.replace(/\n{3,}/g, '\n\n').trim();
}

export function assetIdsIn(doc: DocNode, out = new Set<string>()): Set<string> {
  if (doc.type === 'image' && typeof doc.attrs?.assetId === 'string') out.add(doc.attrs.assetId);
  for (const child of doc.content ?? []) assetIdsIn(child, out);
  return out;
}
