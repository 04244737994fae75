import fs from 'node:fs';
import { createRequire } from 'node:module';
import type PDFDocument from 'pdfkit';
import type { Metrics } from './linebreak.ts';

export type Doc = InstanceType<typeof PDFDocument>;

/**
 * 字体: Noto Serif SC (思源宋体, SIL Open Font License 1.1) from the npm package
 * @expo-google-fonts/noto-serif-sc — installed with the platform, never fetched at run time. Body
 * text in Regular, decks and subheads in Bold, headlines in Black. pdfkit embeds each as a subset
 * holding only the glyphs the page uses (a few hundred KB instead of 15 MB per weight).
 */
export const fontFaces = {
  body: '400Regular/NotoSerifSC_400Regular.ttf',
  bold: '700Bold/NotoSerifSC_700Bold.ttf',
  heavy: '900Black/NotoSerifSC_900Black.ttf',
} as const;
export type FontFace = keyof typeof fontFaces;

const require = createRequire(import.meta.url);
const packageDir = () => require.resolve('@expo-google-fonts/noto-serif-sc/package.json').replace(/package\.json$/, '');

const buffers = new Map<FontFace, Buffer>();

/** The font file's bytes, read once per process (each weight is about 15 MB). */
export function fontBytes(face: FontFace): Buffer {
  let buf = buffers.get(face);
  if (!buf) {
    buf = fs.readFileSync(packageDir() + fontFaces[face]);
    buffers.set(face, buf);
  }
  return buf;
}

/** Registers the three faces on a document under their names. */
export function registerFonts(doc: Doc): void {
  for (const face of Object.keys(fontFaces) as FontFace[]) doc.registerFont(face, fontBytes(face));
}

/** Advance widths in ems are the same in every document: measured once per face and string. */
const widthCache = new Map<FontFace, Map<string, number>>();

/**
 * Metrics of one face, measured through a document that has the fonts registered. A run's width
 * is the sum of its characters' advances (CJK fonts have no kerning between ideographs), so only
 * single characters are measured and cached.
 */
export function metricsFor(doc: Doc, face: FontFace): Metrics {
  let cache = widthCache.get(face);
  if (!cache) widthCache.set(face, (cache = new Map()));
  const table = cache;
  const one = (ch: string) => {
    let w = table.get(ch);
    if (w === undefined) {
      // Leaves the document's font and size changed: the renderer sets both before every run.
      w = doc.font(face).fontSize(1000).widthOfString(ch) / 1000;
      table.set(ch, w);
    }
    return w;
  };
  return {
    advance(text: string) {
      let w = 0;
      for (const ch of text) w += one(ch);
      return w;
    },
  };
}
