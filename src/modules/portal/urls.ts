/** Paths on the reader side (relative; feeds and sitemaps make them absolute with the public base). */
export const mediaPath = (assetId: string, variant: string) => `/portal/media/${assetId}/${variant}`;
export const articlePath = (slug: string, itemId: string) => `/portal/${slug}/a/${itemId}`;
export const unitPath = (slug: string) => `/portal/${slug}`;
export const sectionPath = (slug: string | null, category: string) => `${slug ? `/portal/${slug}` : '/portal'}/c/${encodeURIComponent(category)}`;
export const searchPath = (slug: string | null) => `${slug ? `/portal/${slug}` : '/portal'}/search`;
export const prefecturePath = (code: string) => `/portal/showcase/${code}`;
export const cssPath = '/portal/static/portal.css';
/** The article page's one script: one-tap 复制链接 (sharing works without it). */
export const sharePath = '/portal/static/share.js';

/** A unit's slug: a division code (6 digits) or a unit id. */
export const SLUG = /^(\d{6}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
