import type { OwnStory } from './curation.repo.ts';
import type { CurationView } from './curation.service.ts';
import { unitPath } from './urls.ts';

export const presentStory = (s: OwnStory) => ({
  itemId: s.item_id,
  title: s.title,
  type: s.item_type,
  category: s.category,
  hasPicture: !!s.cover_asset_id,
  publishedAt: new Date(s.published_at).toISOString(),
});

export function presentCuration(v: CurationView, base: string) {
  return {
    unit: v.unit,
    headline: v.headline && presentStory(v.headline),
    topics: v.topics.map(presentStory),
    sectionOrder: v.sectionOrder,
    sections: v.sections.map((s) => ({ category: s.category, stories: s.n })),
    homeUrl: base + unitPath(v.unit.slug),
    updatedAt: v.updatedAt ? new Date(v.updatedAt).toISOString() : null,
  };
}
