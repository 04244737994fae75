import type { FontFace } from '../typeset/fonts.ts';
import { type Line, type Metrics, breakBalanced, breakParagraph } from '../typeset/linebreak.ts';
import { type PageSpec, colX, rowY, rowsFor, spanWidth } from './page-spec.ts';

/**
 * 自动组版: the lead story across the top (big headline, deck, byline, picture with caption, body in
 * columns), the other stories in bands of modules below it, each module's columns balanced. Text a
 * module cannot hold ends with “（下转第N版）” and continues on a jump page (转版) under
 * “（上接第1版）”, so every line is set somewhere. The result is plain geometry; render/pdf.ts draws it.
 */

export interface PrintImage {
  assetId: string;
  /** Pixel size, for the aspect ratio. */
  width: number;
  height: number;
  caption: string | null;
}

export interface PrintParagraph {
  kind: 'p' | 'h';
  text: string;
}

export interface PrintStory {
  id: string;
  title: string;
  deck: string | null;
  byline: string | null;
  paragraphs: PrintParagraph[];
  image: PrintImage | null;
  /** Lines set in bold before the body: a correction note, the AI-content label. */
  labels: string[];
  /** Lines set after the body: source and 转载 credit. */
  credits: string[];
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Block =
  | { kind: 'line'; storyId: string | null; face: FontFace; size: number; x: number; baseline: number; line: Line; color?: string }
  | { kind: 'image'; storyId: string; assetId: string; rect: Rect }
  | { kind: 'rule'; x1: number; y1: number; x2: number; y2: number; width: number };

export interface LaidOutPage {
  number: number;
  blocks: Block[];
}

export interface StoryReport {
  id: string;
  /** Body lines set, and on which pages. */
  lines: number;
  pages: number[];
  /** The story's area on page 1. */
  area: Rect;
}

export interface Layout {
  pages: LaidOutPage[];
  stories: StoryReport[];
}

export interface LayoutInput {
  spec: PageSpec;
  fonts: Record<FontFace, Metrics>;
  /** The page's name (要闻, 综合 …), its date line and the unit name for the header. */
  header: { pageName: string; dateLine: string; unitName: string };
  /** The lead first. */
  stories: PrintStory[];
}

interface BodyLine {
  face: FontFace;
  line: Line;
}

interface Frame {
  x: number;
  row: number;
  rows: number;
}

/** Where a line of type sits in its grid row: centred optically on the row (ideographs span about -0.12 em … 0.88 em). */
const baselineIn = (spec: PageSpec, row: number, size: number, rows = 1) => rowY(spec, row) + (rows * spec.grid - size) / 2 + 0.88 * size;

export function layoutPage(input: LayoutInput): Layout {
  const { spec } = input;
  const page1: Block[] = [...headerBlocks(input, 1, input.header.pageName)];
  const reports: StoryReport[] = [];
  const overflow: { story: PrintStory; lines: BodyLine[]; markerAt: { x: number; row: number } | null }[] = [];
  const firstRow = spec.headerRows;
  const [lead, ...rest] = input.stories;
  let row = firstRow;
  if (lead) {
    const maxRows = rest.length ? Math.floor((spec.rows - firstRow) * 0.5) : spec.rows - firstRow;
    const placed = layoutModule(input, lead, { col: 0, cols: spec.columns, row, maxRows, tier: 'lead', alone: rest.length === 0 });
    page1.push(...placed.blocks);
    reports.push({ id: lead.id, lines: placed.placed, pages: [1], area: placed.area });
    if (placed.rest.length) overflow.push({ story: lead, lines: placed.rest, markerAt: placed.markerAt });
    row += placed.rows + 1;
    if (rest.length) page1.push(hRule(spec, row - 1, 0, spec.columns, 1.2));
  }
  const bands = chunk(rest, spec.perBand);
  const widthsOf = bands.map((band) => splitColumns(spec.columns, band.map((s) => storyWeight(s))));
  const tierOf = (b: number, k: number) => (b === 0 && k === 0 ? 'second' : 'other');
  let remaining = spec.rows - row;
  // What each band needs: its tallest module set with room to spare (a dry run; the layout is pure).
  const need = bands.map((band, b) => {
    let col = 0;
    return Math.max(
      ...band.map((story, k) => {
        const cols = widthsOf[b]![k]!;
        const rows = layoutModule(input, story, { col, cols, row: 0, maxRows: remaining, tier: tierOf(b, k) }).rows;
        col += cols;
        return rows;
      }),
    );
  });
  bands.forEach((band, b) => {
    const left = need.slice(b).reduce((x, y) => x + y, 0);
    const gapRows = bands.length - b - 1;
    // Space is shared in proportion to need: short bands stay short when the page is full, and when
    // there is room every band grows alike (pictures take it) instead of the last one alone.
    const rows = b === bands.length - 1 ? remaining : Math.max(8, Math.floor(((remaining - gapRows) * need[b]!) / left));
    const widths = widthsOf[b]!;
    let col = 0;
    band.forEach((story, k) => {
      const placed = layoutModule(input, story, { col, cols: widths[k]!, row, maxRows: rows, tier: tierOf(b, k) });
      page1.push(...placed.blocks);
      reports.push({ id: story.id, lines: placed.placed, pages: [1], area: placed.area });
      if (placed.rest.length) overflow.push({ story, lines: placed.rest, markerAt: placed.markerAt });
      if (k > 0) page1.push(vRule(spec, col, row, rows));
      col += widths[k]!;
    });
    row += rows + 1;
    remaining -= rows + 1;
    if (b < bands.length - 1) page1.push(hRule(spec, row - 1, 0, spec.columns, 0.5));
  });
  const pages: LaidOutPage[] = [{ number: 1, blocks: page1 }];
  if (overflow.length) {
    continueOnJumpPages(input, overflow, pages, reports);
    // Page 1 says where each story goes on, now that the jump pages are laid out.
    for (const o of overflow) {
      const to = reports.find((r) => r.id === o.story.id)!.pages[1];
      if (o.markerAt && to) page1.push(marker(input, o.story.id, to, o.markerAt.x, o.markerAt.row));
    }
  }
  return { pages, stories: reports };
}

// ------------------------------------------------------------------ one story in one module

interface ModulePlace {
  col: number;
  cols: number;
  row: number;
  maxRows: number;
  tier: 'lead' | 'second' | 'other';
  /** The only story on the page: its picture spans every column and grows to fill the page, as a designer sets a 专版. */
  alone?: boolean;
}

interface Placed {
  blocks: Block[];
  /** Rows used. */
  rows: number;
  placed: number;
  rest: BodyLine[];
  /** Where “（下转第N版）” goes once the jump page is known. */
  markerAt: { x: number; row: number } | null;
  area: Rect;
}

function layoutModule(input: LayoutInput, story: PrintStory, at: ModulePlace): Placed {
  const { spec, fonts } = input;
  const blocks: Block[] = [];
  const width = spanWidth(spec, at.cols);
  const x0 = colX(spec, at.col);
  let row = at.row;
  const centred = at.tier === 'lead' || at.cols >= 3;

  // Headline, deck and byline: balanced lines, centred over the module (lead) or flush left.
  const hSize = at.tier === 'lead' ? spec.headline.lead : at.tier === 'second' ? spec.headline.second : shrinkToFit(spec.headline.other, at.cols);
  row = setDisplay(blocks, input, story.id, story.title, 'heavy', hSize, x0, width, row, centred);
  if (story.deck) row = setDisplay(blocks, input, story.id, story.deck, 'bold', at.tier === 'lead' ? spec.headline.deck : Math.max(11, spec.headline.deck - 4), x0, width, row, centred);
  if (story.byline) row = setDisplay(blocks, input, story.id, story.byline, 'body', spec.bodySize, x0, width, row, centred);
  row += 1;

  // The picture: across the lead's first columns, or the module's full width; its height on the grid.
  const bodyTop = row;
  const limit = at.row + at.maxRows;
  const budget = limit - bodyTop;
  const lines = bodyLines(input, story);
  const pic = story.image && budget >= 10 ? story.image : null;
  // A picture spans the module unless that makes it taller than the module allows: then it narrows a
  // column at a time (text runs beside it) rather than being cropped to a strip.
  const picRows = (cols: number) => (pic ? Math.round((spanWidth(spec, cols) * pic.height) / pic.width / spec.grid) : 0);
  const roomForPicture = Math.max(4, Math.floor(budget * (at.tier === 'lead' ? 0.75 : 0.5)) - 3);
  let imgCols = at.tier === 'lead' && !at.alone ? Math.min(spec.leadImageCols, at.cols) : at.cols;
  while (at.tier !== 'lead' && imgCols > 1 && picRows(imgCols) > roomForPicture * 1.25) imgCols--;
  const imgWidth = spanWidth(spec, imgCols);
  const captionLines = pic?.caption ? breakParagraph(pic.caption, fonts.body, { size: spec.headline.caption, measure: imgWidth, flush: true }) : [];
  // The lead's picture stands over its last columns, so the text starts at the top left and reads on under the picture.
  const firstImgCol = at.tier === 'lead' ? at.cols - imgCols : 0;
  const underPicture = (c: number) => pic !== null && c >= firstImgCol && c < firstImgCol + imgCols;
  const imgX = colX(spec, at.col + firstImgCol);
  const tops = (imgRows: number) => Array.from({ length: at.cols }, (_, c) => (underPicture(c) ? bodyTop + imgRows + captionLines.length + 1 : bodyTop));
  // Body: lines flow down each column in turn; the module is as short as the text allows (balanced).
  const bottomFor = (colTops: number[]) => {
    const capacity = (bottom: number) => colTops.reduce((n, top) => n + Math.max(0, bottom - top), 0);
    let bottom = Math.max(...colTops);
    while (bottom < limit && capacity(bottom) < lines.length) bottom++;
    return bottom;
  };
  let imgRows = 0;
  if (pic) {
    // A story alone on its page may give its picture all but the rows its text needs: a short story under a
    // three-quarter picture left the lower fifth of a 四开 page blank.
    const share = at.alone ? 1 : at.tier === 'lead' ? 0.75 : 0.5;
    const maxImgRows = Math.max(4, Math.floor(budget * share) - captionLines.length - 1 - (at.alone ? 2 : 0));
    const natural = Math.round((imgWidth * pic.height) / pic.width / spec.grid);
    imgRows = Math.max(4, Math.min(maxImgRows, natural));
    // A module with room to spare shows more of its picture (cropped taller, up to 1.4× its shape) rather than
    // white space; alone on its page, up to 1.6× (a 3:2 photograph cropped to about square, no further).
    const tallest = Math.min(maxImgRows, Math.round(natural * (at.alone ? 1.6 : 1.4)));
    while (imgRows < tallest && bottomFor(tops(imgRows + 1)) < limit) imgRows++;
    const rect = { x: imgX, y: rowY(spec, bodyTop), w: imgWidth, h: imgRows * spec.grid - spec.grid / 3 };
    blocks.push({ kind: 'image', storyId: story.id, assetId: pic.assetId, rect });
    captionLines.forEach((line, k) => {
      blocks.push({ kind: 'line', storyId: story.id, face: 'body', size: spec.headline.caption, x: imgX, baseline: baselineIn(spec, bodyTop + imgRows + k, spec.headline.caption), line, color: '#333333' });
    });
  }
  const colTops = tops(imgRows);
  const bottom = bottomFor(colTops);
  const frames: Frame[] = colTops.map((top, c) => ({ x: colX(spec, at.col + c), row: top, rows: Math.max(0, bottom - top) }));
  const { placed, rest, markerAt } = flow(input, story.id, lines, frames, blocks);
  const usedRows = bottom - at.row;
  return { blocks, rows: usedRows, placed, rest, markerAt, area: { x: x0, y: rowY(spec, at.row), w: width, h: usedRows * spec.grid } };
}

/** Smaller headlines in narrow modules: a 20 pt headline in one column would hold five characters a line. */
const shrinkToFit = (size: number, cols: number) => (cols <= 1 ? Math.min(size, 14) : cols === 2 ? Math.min(size, 18) : size);

function setDisplay(blocks: Block[], input: LayoutInput, storyId: string, text: string, face: FontFace, size: number, x: number, width: number, row: number, centre: boolean): number {
  const { spec } = input;
  // A headline written in two halves (“甲 乙”) breaks at the space when the halves fit; otherwise it is balanced.
  const metrics = input.fonts[face];
  const halves = text.split(/\s+/).filter(Boolean);
  const single = breakBalanced(text, metrics, size, width);
  const lines =
    single.length > 1 && halves.length > 1 && halves.every((h) => breakParagraph(h, metrics, { size, measure: width, flush: true }).length === 1)
      ? halves.map((h) => breakParagraph(h, metrics, { size, measure: width, flush: true })[0]!)
      : single;
  const rows = rowsFor(spec, size);
  for (const line of lines) {
    const dx = centre ? (width - line.width) / 2 : 0;
    blocks.push({ kind: 'line', storyId, face, size, x: x + dx, baseline: baselineIn(spec, row, size, rows), line });
    row += rows;
  }
  return row;
}

/** The story's body broken for one column: paragraphs indented two ems, subheads bold, the AI label last. */
function bodyLines(input: LayoutInput, story: PrintStory): BodyLine[] {
  const { spec, fonts } = input;
  const out: BodyLine[] = [];
  const measure = spec.colWidth;
  for (const label of story.labels) for (const line of breakParagraph(`【${label}】`, fonts.bold, { size: spec.bodySize, measure })) out.push({ face: 'bold', line });
  for (const p of story.paragraphs) {
    const face: FontFace = p.kind === 'h' ? 'bold' : 'body';
    for (const line of breakParagraph(p.text, fonts[face], { size: spec.bodySize, measure, indentEm: p.kind === 'h' ? 0 : 2 })) out.push({ face, line });
  }
  for (const credit of story.credits) for (const line of breakParagraph(`（${credit}）`, fonts.body, { size: spec.bodySize, measure })) out.push({ face: 'body', line });
  return out;
}

/**
 * Sets lines into frames, one grid row each. When they do not all fit, the last row says where the
 * story goes on (the marker is added by the caller once the page number is known) and the lines
 * that did not fit come back.
 */
function flow(input: LayoutInput, storyId: string, lines: BodyLine[], frames: Frame[], blocks: Block[]): { placed: number; rest: BodyLine[]; markerAt: { x: number; row: number } | null } {
  const { spec } = input;
  const slots = frames.flatMap((f) => Array.from({ length: f.rows }, (_, k) => ({ x: f.x, row: f.row + k })));
  const fits = lines.length <= slots.length;
  const take = fits ? lines.length : Math.max(0, slots.length - 1);
  for (let k = 0; k < take; k++) {
    const { face, line } = lines[k]!;
    const slot = slots[k]!;
    blocks.push({ kind: 'line', storyId, face, size: spec.bodySize, x: slot.x + line.indent, baseline: baselineIn(spec, slot.row, spec.bodySize), line });
  }
  return { placed: take, rest: lines.slice(take), markerAt: fits ? null : (slots.at(-1) ?? null) };
}

/** “（下转第N版）”, set flush right in its column's last row. */
function marker(input: LayoutInput, storyId: string, nextPage: number, x: number, row: number): Block {
  const { spec, fonts } = input;
  const line = breakParagraph(`（下转第${nextPage}版）`, fonts.bold, { size: spec.bodySize, measure: spec.colWidth, flush: true })[0]!;
  return { kind: 'line', storyId, face: 'bold', size: spec.bodySize, x: x + spec.colWidth - line.width, baseline: baselineIn(spec, row, spec.bodySize), line };
}

// ------------------------------------------------------------------ jump pages 转版

function continueOnJumpPages(input: LayoutInput, overflow: { story: PrintStory; lines: BodyLine[] }[], pages: LaidOutPage[], reports: StoryReport[]) {
  const { spec, fonts } = input;
  let pageNo = 1;
  let blocks: Block[] = [];
  let slots: { x: number; row: number }[] = [];
  const newPage = () => {
    pageNo++;
    blocks = [...headerBlocks(input, pageNo, `${input.header.pageName} · 转版`)];
    pages.push({ number: pageNo, blocks });
    slots = [];
    for (let c = 0; c < spec.columns; c++) for (let r = spec.headerRows; r < spec.rows; r++) slots.push({ x: colX(spec, c), row: r });
  };
  const heading = (story: PrintStory, from: number) =>
    breakParagraph(`（上接第${from}版）${story.title}`, fonts.bold, { size: spec.bodySize, measure: spec.colWidth, flush: true }).map((line) => ({ face: 'bold' as const, line, body: false }));
  newPage();
  for (const { story, lines } of overflow) {
    const report = reports.find((r) => r.id === story.id)!;
    let queue = [...heading(story, 1), ...lines.map((l) => ({ ...l, body: true }))];
    while (queue.length) {
      // A heading never sits alone at the foot of the page: it needs two body lines under it.
      if (slots.length < 4) newPage();
      const fits = queue.length <= slots.length;
      const take = fits ? queue.length : slots.length - 1;
      for (const [k, { face, line }] of queue.slice(0, take).entries()) {
        const slot = slots[k]!;
        blocks.push({ kind: 'line', storyId: story.id, face, size: spec.bodySize, x: slot.x + line.indent, baseline: baselineIn(spec, slot.row, spec.bodySize), line });
      }
      report.lines += queue.slice(0, take).filter((l) => l.body).length;
      if (!report.pages.includes(pageNo)) report.pages.push(pageNo);
      slots = slots.slice(take);
      queue = queue.slice(take);
      if (!fits) {
        const slot = slots.shift()!;
        blocks.push(marker(input, story.id, pageNo + 1, slot.x, slot.row));
        const from = pageNo;
        newPage();
        queue = [...heading(story, from), ...queue];
      }
    }
    // One blank row between continued stories.
    slots = slots.slice(1);
  }
}

// ------------------------------------------------------------------ page furniture

function headerBlocks(input: LayoutInput, pageNo: number, pageName: string): Block[] {
  const { spec, fonts } = input;
  const blocks: Block[] = [];
  const full = spanWidth(spec, spec.columns);
  const nameSize = 22;
  const nameLine = breakParagraph(pageName, fonts.heavy, { size: nameSize, measure: full, flush: true })[0]!;
  blocks.push({ kind: 'line', storyId: null, face: 'heavy', size: nameSize, x: spec.left, baseline: baselineIn(spec, 0, nameSize, 3), line: nameLine });
  const info = `${input.header.unitName}　${input.header.dateLine}　第${pageNo}版`;
  const infoLine = breakParagraph(info, fonts.body, { size: spec.bodySize, measure: full, flush: true })[0]!;
  blocks.push({ kind: 'line', storyId: null, face: 'body', size: spec.bodySize, x: spec.left + full - infoLine.width, baseline: baselineIn(spec, 2, spec.bodySize), line: infoLine });
  const y = rowY(spec, 3) + spec.grid / 3;
  blocks.push({ kind: 'rule', x1: spec.left, y1: y, x2: spec.left + full, y2: y, width: 2 });
  blocks.push({ kind: 'rule', x1: spec.left, y1: y + 3, x2: spec.left + full, y2: y + 3, width: 0.5 });
  return blocks;
}

function hRule(spec: PageSpec, row: number, col: number, cols: number, width: number): Block {
  const y = rowY(spec, row) + spec.grid / 2;
  return { kind: 'rule', x1: colX(spec, col), y1: y, x2: colX(spec, col) + spanWidth(spec, cols), y2: y, width };
}

function vRule(spec: PageSpec, col: number, row: number, rows: number): Block {
  const x = colX(spec, col) - spec.gutter / 2;
  return { kind: 'rule', x1: x, y1: rowY(spec, row), x2: x, y2: rowY(spec, row + rows), width: 0.5 };
}

// ------------------------------------------------------------------ sizing helpers

const storyWeight = (s: PrintStory) => s.paragraphs.reduce((n, p) => n + p.text.length, 0) + (s.image ? 600 : 0) + 200;

/** Columns for the modules of one band, in proportion to their weight, at least one (two where possible) each. */
export function splitColumns(columns: number, weights: number[]): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const min = columns >= 2 * n ? 2 : 1;
  const out = weights.map(() => min);
  let left = columns - min * n;
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  while (left > 0) {
    // Give the next column to the module furthest below its share.
    let best = 0;
    let gap = -Infinity;
    weights.forEach((w, k) => {
      const g = (w / total) * columns - out[k]!;
      if (g > gap) {
        gap = g;
        best = k;
      }
    });
    out[best]!++;
    left--;
  }
  return out;
}

const chunk = <T>(xs: T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let k = 0; k < xs.length; k += n) out.push(xs.slice(k, k + n));
  return out;
};
