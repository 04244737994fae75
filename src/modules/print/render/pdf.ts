import PDFDocument from 'pdfkit';
import { type Layout, type Block, type LayoutInput, type PrintStory, layoutPage } from '../layout/layout.ts';
import type { PageSpec } from '../layout/page-spec.ts';
import { type Doc, type FontFace, fontFaces, metricsFor, registerFonts } from '../typeset/fonts.ts';
import type { Metrics } from '../typeset/linebreak.ts';

/**
 * Draws a laid-out page with pdfkit. Each line is drawn as runs: ideographs spaced evenly by the
 * justification go out as one text run with character spacing (Tc); Latin words, squeezed marks and
 * anything shifted go out on their own at their exact x. Fonts are embedded as subsets.
 */

export interface ComposeInput {
  spec: PageSpec;
  header: LayoutInput['header'];
  stories: PrintStory[];
  /** JPEG or PNG bytes of each picture, by asset id (a picture missing here is left out). */
  images: Map<string, Buffer>;
  title: string;
  /** Draw every box on its own (the naive way, for the benchmark's baseline). */
  perBox?: boolean;
}

export interface Composed {
  pdf: Buffer;
  layout: Layout;
}

export async function composePdf(input: ComposeInput): Promise<Composed> {
  const doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { Title: input.title, Creator: 'Tianfu 天府融媒', Producer: 'pdfkit' }, pdfVersion: '1.7' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  registerFonts(doc);
  const fonts = Object.fromEntries((Object.keys(fontFaces) as FontFace[]).map((f) => [f, metricsFor(f)])) as Record<FontFace, Metrics>;
  const stories = input.stories.map((s) => (s.image && !input.images.has(s.image.assetId) ? { ...s, image: null } : s));
  const layout = layoutPage({ spec: input.spec, fonts, header: input.header, stories });
  for (const page of layout.pages) {
    doc.addPage({ size: [input.spec.width, input.spec.height], margin: 0 });
    for (const block of page.blocks) drawBlock(doc, block, fonts, input);
  }
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), layout };
}

function drawBlock(doc: Doc, block: Block, fonts: Record<FontFace, Metrics>, input: ComposeInput) {
  switch (block.kind) {
    case 'rule':
      doc.save().lineWidth(block.width).strokeColor('#000000').moveTo(block.x1, block.y1).lineTo(block.x2, block.y2).stroke().restore();
      return;
    case 'image': {
      const { x, y, w, h } = block.rect;
      doc.save().rect(x, y, w, h).clip();
      doc.image(input.images.get(block.assetId)!, x, y, { cover: [w, h], align: 'center', valign: 'center' });
      doc.restore();
      return;
    }
    case 'line':
      drawLine(doc, block, fonts[block.face], input.perBox === true);
  }
}

function drawLine(doc: Doc, block: Extract<Block, { kind: 'line' }>, metrics: Metrics, perBox: boolean) {
  const { line, size } = block;
  doc.font(block.face).fontSize(size).fillColor(block.color ?? '#000000');
  const text = (t: string, x: number, spacing: number) => doc.text(t, x, block.baseline, { lineBreak: false, baseline: 'alphabetic', characterSpacing: spacing });
  const boxes = line.boxes;
  let k = 0;
  while (k < boxes.length) {
    const b = boxes[k]!;
    const x = block.x + b.x + b.dx;
    const single = b.cjk && [...b.text].length === 1 && b.dx === 0;
    if (perBox || !single) {
      text(b.text, x, 0);
      k++;
      continue;
    }
    // Extend the run while the next ideograph sits at the same spacing after this one's natural advance.
    const gapAfter = (i: number) => boxes[i + 1]!.x - (boxes[i]!.x + metrics.advance(boxes[i]!.text) * size);
    let end = k;
    const spacing = k + 1 < boxes.length ? gapAfter(k) : 0;
    while (end + 1 < boxes.length) {
      const next = boxes[end + 1]!;
      if (!(next.cjk && [...next.text].length === 1 && next.dx === 0) || Math.abs(gapAfter(end) - spacing) > 0.01) break;
      end++;
    }
    text(boxes.slice(k, end + 1).map((x) => x.text).join(''), x, end > k ? spacing : 0);
    k = end + 1;
  }
}
