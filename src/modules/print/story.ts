import type { PrintStory as ContractStory } from '../distribution/contract.ts';
import type { PrintImage, PrintStory } from './layout/layout.ts';

/**
 * From the print rendition (多种生成's print story) to what the layout sets: crossheads become bold
 * subheads, quotations and body paragraphs indented paragraphs, the first picture (else the cover)
 * the story's picture. Pictures the page cannot show (a missing or non-image asset) are left out by
 * the caller, which knows the asset library.
 */
export function layoutStory(id: string, story: ContractStory, picture: PrintImage | null): PrintStory {
  return {
    id,
    title: story.headline,
    deck: story.deck,
    byline: story.byline,
    paragraphs: story.paragraphs.map((p) => ({ kind: p.kind === 'crosshead' ? 'h' : 'p', text: p.text })),
    image: picture,
    labels: story.labels,
    credits: story.credits,
  };
}

/** The picture a story leads with: its first body image, else its cover. */
export function leadPicture(story: ContractStory, coverAssetId: string | null): { assetId: string; caption: string | null } | null {
  const first = story.images[0];
  if (first) return { assetId: first.assetId, caption: first.caption };
  return coverAssetId ? { assetId: coverAssetId, caption: null } : null;
}
