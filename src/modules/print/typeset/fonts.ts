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

/**
 * Registers the three faces on a document under their names. The document gets the font already
 * parsed (pdfkit takes a fontkit font as it is), so the tables of a 15 MB face are read once per
 * process rather than once per page; each document still embeds its own subset.
 */
export function registerFonts(doc: Doc): void {
  for (const face of Object.keys(fontFaces) as FontFace[]) doc.registerFont(face, parsedFont(face) as unknown as Buffer);
}

/** The little of fontkit's font object the line breaker needs (fontkit ships no types). */
interface FontkitFont {
  unitsPerEm: number;
  layout(text: string): unknown;
  glyphForCodePoint(cp: number): { advanceWidth: number };
}
const fontkit = require('fontkit') as { create(buf: Buffer): FontkitFont };

const parsed = new Map<FontFace, FontkitFont>();
const widthCache = new Map<FontFace, Map<number, number>>();

/**
 * Advance widths in ems of one face, straight from the font's horizontal metrics (parsed once per
 * process, cached per character). A run's width is the sum of its characters' advances: CJK fonts do
 * not kern ideographs, and Latin kerning is a hair's width the justification absorbs.
 */
function parsedFont(face: FontFace): FontkitFont {
  let font = parsed.get(face);
  if (!font) parsed.set(face, (font = fontkit.create(fontBytes(face))));
  return font;
}

export function metricsFor(face: FontFace): Metrics {
  const font = parsedFont(face);
  let table = widthCache.get(face);
  if (!table) widthCache.set(face, (table = new Map()));
  const f = font;
  const cache = table;
  const one = (cp: number) => {
    let w = cache.get(cp);
    if (w === undefined) {
      w = f.glyphForCodePoint(cp).advanceWidth / f.unitsPerEm;
      cache.set(cp, w);
    }
    return w;
  };
  return {
    advance(text: string) {
      let w = 0;
      for (const ch of text) w += one(ch.codePointAt(0)!);
      return w;
    },
  };
}
