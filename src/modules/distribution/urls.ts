/**
 * Where published work lives for readers. One place, so renditions, feeds, sitemaps and the portal agree.
 * A unit's slug is its division code (510104) where it has one, else its id.
 */
export function unitSlug(unit: { id: string; division_code: string | null }): string {
  return unit.division_code ?? unit.id;
}

export function publicBase(config: { publicUrl?: string; port?: number }): string {
  return (config.publicUrl || `http://localhost:${config.port ?? 3000}`).replace(/\/+$/, '');
}

export function portalUrls(base: string) {
  return {
    allianceHome: `${base}/portal`,
    unitHome: (slug: string) => `${base}/portal/${slug}`,
    article: (slug: string, itemId: string) => `${base}/portal/${slug}/a/${itemId}`,
    /** A picture's public copy (served once a site channel has published a story that shows it). */
    media: (assetId: string, variant: string) => `${base}/portal/media/${assetId}/${variant}`,
    feed: (slug: string, format: 'rss' | 'atom' | 'json') => `${base}/feeds/${slug}/${format === 'json' ? 'feed.json' : `${format}.xml`}`,
  };
}
