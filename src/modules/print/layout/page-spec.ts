/**
 * 版式规格: the two page sizes a county paper prints, in PDF points (1/72 in). Columns are a
 * whole number of body characters wide, so a line of pure Chinese fills its column with no extra
 * spacing; every line, headline, picture and rule sits on one baseline grid (the body leading).
 */
export const printFormats = ['broadsheet', 'tabloid'] as const;
export type PrintFormat = (typeof printFormats)[number];

export interface PageSpec {
  format: PrintFormat;
  width: number;
  height: number;
  /** Body text size and leading (the grid unit), points. */
  bodySize: number;
  grid: number;
  columns: number;
  /** Column width, points (a whole number of body ems). */
  colWidth: number;
  gutter: number;
  left: number;
  top: number;
  /** Rows of the grid between the top and bottom margins. */
  rows: number;
  /** Rows taken by the page header (版头). */
  headerRows: number;
  headline: { lead: number; second: number; other: number; deck: number; caption: number };
  /** Columns the lead picture spans. */
  leadImageCols: number;
  /** Stories side by side in one band below the lead. */
  perBand: number;
}

const MM = 72 / 25.4;

function spec(format: PrintFormat, widthMm: number, heightMm: number, columns: number, colEms: number, extra: Pick<PageSpec, 'headline' | 'leadImageCols' | 'perBand'>): PageSpec {
  const bodySize = 9;
  const grid = 13.5;
  const gutter = 1.5 * bodySize;
  const width = widthMm * MM;
  const height = heightMm * MM;
  const colWidth = colEms * bodySize;
  const content = columns * colWidth + (columns - 1) * gutter;
  const top = 40;
  const rows = Math.floor((height - top - 40) / grid);
  return { format, width, height, bodySize, grid, columns, colWidth, gutter, left: (width - content) / 2, top, rows, headerRows: 4, ...extra };
}

/** 对开 broadsheet (390 × 545 mm, 8 columns) and 四开 tabloid (272 × 390 mm, 5 columns). */
export const pageSpecs: Record<PrintFormat, PageSpec> = {
  broadsheet: spec('broadsheet', 390, 545, 8, 13, { headline: { lead: 46, second: 26, other: 20, deck: 16, caption: 8 }, leadImageCols: 5, perBand: 3 }),
  tabloid: spec('tabloid', 272, 390, 5, 14, { headline: { lead: 36, second: 22, other: 18, deck: 14, caption: 8 }, leadImageCols: 3, perBand: 2 }),
};

export const colX = (s: PageSpec, col: number) => s.left + col * (s.colWidth + s.gutter);
export const spanWidth = (s: PageSpec, cols: number) => cols * s.colWidth + (cols - 1) * s.gutter;
export const rowY = (s: PageSpec, row: number) => s.top + row * s.grid;
/** Rows a line of type at `size` takes on the grid (at least 1.2× its size of leading). */
export const rowsFor = (s: PageSpec, size: number) => Math.max(1, Math.ceil((size * 1.2) / s.grid));
