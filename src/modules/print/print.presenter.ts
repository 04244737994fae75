import type { PageSummary, PoolRow } from './print.tables.ts';

const iso = (d: Date | string) => new Date(d).toISOString();
/** A date column may come back as a Date (node-postgres) or a string (PGlite): always YYYY-MM-DD. */
export const day = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`);

export function presentPage(p: PageSummary) {
  return {
    id: p.id,
    name: p.name,
    format: p.format,
    date: day(p.edition_date as Date | string),
    stories: p.stories,
    report: p.report.map((r) => ({ id: r.id, lines: r.lines, pages: r.pages })),
    flags: p.flags,
    pageCount: p.page_count,
    pdfBytes: p.pdf_bytes,
    renderMs: p.render_ms,
    createdAt: iso(p.created_at),
    updatedAt: iso(p.updated_at),
  };
}

export function presentPoolEntry(p: PoolRow) {
  return { id: p.id, itemId: p.item_id, title: p.title, revision: p.revision, hasPicture: !!p.cover_asset_id || p.story.images.length > 0, deliveredAt: iso(p.delivered_at) };
}
