import { type DocNode, plainText } from '../../content/doc.ts';
import type { PrintStory, RenditionSource } from '../contract.ts';
import { creditLines, leadLines, lineText } from './labels.ts';

/**
 * 报纸版面: the text a print layout sets, as paragraphs with the headline hierarchy beside them.
 * Headings become their own paragraphs (the layout sets them as crossheads); images become captioned
 * figures the layout places; lists become one paragraph per item.
 */
function collect(node: DocNode, story: { paragraphs: PrintStory['paragraphs']; images: PrintStory['images'] }) {
  switch (node.type) {
    case 'doc':
    case 'bulletList':
    case 'orderedList':
      for (const c of node.content ?? []) collect(c, story);
      return;
    case 'heading': {
      const text = plainText(node);
      if (text) story.paragraphs.push({ kind: 'crosshead', text });
      return;
    }
    case 'image': {
      const assetId = typeof node.attrs?.assetId === 'string' ? node.attrs.assetId : null;
      if (assetId) story.images.push({ assetId, caption: node.attrs?.caption ? String(node.attrs.caption) : null, afterParagraph: story.paragraphs.length });
      return;
    }
    case 'horizontalRule':
      return;
    default: {
      const text = plainText(node).replace(/\s*\n\s*/g, '\n').trim();
      if (text) story.paragraphs.push({ kind: node.type === 'blockquote' ? 'quote' : 'body', text });
    }
  }
}

export function printStory(source: RenditionSource, headline: string, deck: string | null): PrintStory {
  const story: PrintStory = {
    headline,
    deck,
    byline: source.byline,
    paragraphs: [],
    images: [],
    labels: leadLines(source, { bodyShown: true }).map(lineText),
    credits: creditLines(source).map(lineText),
  };
  collect(source.body, story);
  return story;
}

/** The plain text of a print story: what a proof reader reads, paragraphs separated by blank lines. */
export function printText(story: PrintStory): string {
  return [
    story.headline,
    story.deck,
    story.byline,
    ...story.labels,
    ...story.paragraphs.map((p) => p.text),
    ...story.images.map((i) => (i.caption ? `［图］${i.caption}` : '［图］')),
    ...story.credits,
  ]
    .filter((s): s is string => !!s)
    .join('\n\n');
}
