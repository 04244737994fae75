import { describe, expect, it } from 'vitest';
import { sampleStories } from '../../../test/print-sample.ts';
import { type FontFace, metricsFor } from '../typeset/fonts.ts';
import { NO_LINE_START } from '../typeset/kinsoku.ts';
import { breakParagraph } from '../typeset/linebreak.ts';
import { type Block, type PrintStory, type Rect, layoutPage, splitColumns } from './layout.ts';
import { type PrintFormat, pageSpecs } from './page-spec.ts';

const fonts = { body: metricsFor('body'), bold: metricsFor('bold'), heavy: metricsFor('heavy') } satisfies Record<FontFace, unknown>;
const header = { pageName: '要闻', dateLine: '2026年11月27日　星期五', unitName: '锦江融媒' };

/** The ink box of a block: lines from their baseline (ideographs reach 0.88 em up, 0.12 em down). */
function boxOf(b: Block): Rect | null {
  if (b.kind === 'image') return b.rect;
  if (b.kind === 'line') return { x: b.x, y: b.baseline - 0.88 * b.size, w: Math.max(b.line.width, 0.1), h: b.size };
  return null;
}

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w - 0.01 && b.x < a.x + a.w - 0.01 && a.y < b.y + b.h - 0.01 && b.y < a.y + a.h - 0.01;

const longStory = (id: string): PrintStory => ({
  ...sampleStories()[0]!,
  id,
  paragraphs: Array.from({ length: 80 }, (_, k) => ({ kind: 'p' as const, text: `第${k + 1}段：${sampleStories()[0]!.paragraphs[0]!.text}` })),
});

const bodyLineCount = (s: PrintStory, format: PrintFormat) => {
  const spec = pageSpecs[format];
  const count = (text: string, face: FontFace, indentEm: number) => breakParagraph(text, fonts[face], { size: spec.bodySize, measure: spec.colWidth, indentEm }).length;
  return (
    s.labels.reduce((n, l) => n + count(`【${l}】`, 'bold', 0), 0) +
    s.paragraphs.reduce((n, p) => n + count(p.text, p.kind === 'h' ? 'bold' : 'body', p.kind === 'h' ? 0 : 2), 0) +
    s.credits.reduce((n, c) => n + count(`（${c}）`, 'body', 0), 0)
  );
};

describe('自动组版 layout', () => {
  for (const format of ['broadsheet', 'tabloid'] as const) {
    for (const [label, stories] of [
      ['six sample stories', sampleStories()],
      ['a long lead that must jump', [longStory('long'), ...sampleStories().slice(1)]],
      ['a single story', [sampleStories()[1]!]],
    ] as const) {
      it(`${format}, ${label}: nothing overlaps, everything stays on the page, every line is set`, () => {
        const spec = pageSpecs[format];
        const layout = layoutPage({ spec, fonts, header, stories: [...stories] });
        for (const page of layout.pages) {
          const boxes = page.blocks.map(boxOf).filter((b): b is Rect => b !== null);
          for (const b of boxes) {
            expect(b.x).toBeGreaterThanOrEqual(0);
            expect(b.y).toBeGreaterThanOrEqual(0);
            expect(b.x + b.w).toBeLessThanOrEqual(spec.width - spec.left + 0.5);
            expect(b.y + b.h).toBeLessThanOrEqual(spec.height - 20);
          }
          for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!), `${JSON.stringify(boxes[i])} × ${JSON.stringify(boxes[j])}`).toBe(false);
          // 禁则 holds in every body line that follows another.
          for (const b of page.blocks) if (b.kind === 'line' && b.line.indent === 0 && b.line.text) expect(NO_LINE_START.has([...b.line.text][0]!) && b.line.text.length > 1 && !b.line.text.startsWith('（')).toBe(false);
        }
        // Story areas on page 1 do not overlap one another.
        const areas = layout.stories.map((s) => s.area);
        for (let i = 0; i < areas.length; i++) for (let j = i + 1; j < areas.length; j++) expect(overlap(areas[i]!, areas[j]!)).toBe(false);
        // All text placed or continued: each story's body lines are all set, across its pages.
        for (const s of stories) expect(layout.stories.find((r) => r.id === s.id)!.lines, s.id).toBe(bodyLineCount(s, format));
        const jumped = layout.stories.filter((s) => s.pages.length > 1);
        for (const s of jumped) {
          const markers = layout.pages[0]!.blocks.filter((b) => b.kind === 'line' && b.storyId === s.id && b.line.text === `（下转第${s.pages[1]}版）`);
          expect(markers, s.id).toHaveLength(1);
          const heads = layout.pages[s.pages[1]! - 1]!.blocks.filter((b) => b.kind === 'line' && b.storyId === s.id && b.line.text.startsWith('（上接第1版）'));
          expect(heads.length, s.id).toBeGreaterThanOrEqual(1);
        }
        if (label.startsWith('a long')) expect(jumped.map((s) => s.id)).toContain('long');
      });
    }
  }

  // The long lead and the short metro story: a short one used to leave the lower fifth of a 四开 page blank.
  for (const [format, id] of [['broadsheet', 'lead'], ['tabloid', 'lead'], ['tabloid', 'metro']] as const) {
    it(`${format}, a picture story (${id}) alone on its page: the picture spans the page, text in every column, the page filled`, () => {
      const spec = pageSpecs[format];
      const story = sampleStories().find((s) => s.id === id)!;
      const [page] = layoutPage({ spec, fonts, header, stories: [story] }).pages;
      const image = page!.blocks.find((b) => b.kind === 'image')!;
      expect(image.kind === 'image' && image.rect.w).toBeGreaterThan(spec.width - 2 * spec.left - 1);
      const body = page!.blocks.filter((b): b is Extract<Block, { kind: 'line' }> => b.kind === 'line' && b.storyId === story.id && b.size === spec.bodySize && !!b.line.text);
      const columnOf = (x: number) => Math.floor((x - spec.left + spec.gutter / 2) / (spec.colWidth + spec.gutter));
      expect(new Set(body.map((b) => columnOf(b.x))).size).toBe(spec.columns);
      const lowest = Math.max(...page!.blocks.map((b) => boxOf(b)).filter((b): b is Rect => b !== null).map((b) => b.y + b.h));
      expect(lowest / spec.height).toBeGreaterThan(0.85);
    });
  }

  it('splits a band\'s columns by weight, every module at least two columns wide where it can be', () => {
    expect(splitColumns(8, [1, 1, 1])).toEqual([3, 3, 2]);
    expect(splitColumns(8, [3000, 500, 500]).reduce((a, b) => a + b)).toBe(8);
    expect(Math.min(...splitColumns(8, [3000, 500, 500]))).toBeGreaterThanOrEqual(2);
    expect(splitColumns(5, [1, 1, 1])).toEqual([2, 2, 1]);
  });
});
