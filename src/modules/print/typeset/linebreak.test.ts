import { describe, expect, it } from 'vitest';
import { metricsFor } from './fonts.ts';
import { NO_LINE_END, NO_LINE_START } from './kinsoku.ts';
import { type Line, type Metrics, breakBalanced, breakParagraph } from './linebreak.ts';

/** A monospace model: every Chinese character and full-width mark is 1 em, Latin 0.5 em. */
const mono: Metrics = {
  advance: (t) => [...t].reduce((w, ch) => w + (/[\x20-\x7e]/.test(ch) ? 0.5 : 1), 0),
};

const starts = (lines: Line[]) => lines.map((l) => [...l.text][0]!);
const ends = (lines: Line[]) => lines.map((l) => [...l.text].at(-1)!);

function expectLegal(lines: Line[]) {
  lines.slice(1).forEach((l) => expect(NO_LINE_START.has([...l.text][0]!), `line starts with ${l.text[0]}: ${l.text}`).toBe(false));
  lines.slice(0, -1).forEach((l) => expect(NO_LINE_END.has([...l.text].at(-1)!), `line ends with ${l.text.at(-1)}: ${l.text}`).toBe(false));
}

function expectJustified(lines: Line[], tolerance = 0.01) {
  for (const l of lines.filter((x) => !x.last)) expect(Math.abs(l.width - l.measure)).toBeLessThan(tolerance);
  for (const l of lines) expect(l.width).toBeLessThanOrEqual(l.measure + tolerance);
}

const sample =
  '成都市锦江区今年以来持续推进城市更新，“老旧小区”改造覆盖三万余户居民。区住建局负责人介绍：改造内容包括加装电梯、雨污分流、停车位增补（含充电桩）等，居民满意度达到97.6%。《锦江区城市更新三年行动计划》明确提出——到2027年，全区将建成15分钟便民生活圈……“我们家楼下终于有了电梯！”家住水井坊街道的李阿姨说。';

describe('中文断行 line breaker', () => {
  it('never starts a line with a closing mark nor ends one with an opening mark, at any measure', () => {
    for (let chars = 5; chars <= 30; chars++) {
      const lines = breakParagraph(sample, mono, { size: 10, measure: chars * 10, indentEm: 2 });
      expectLegal(lines);
      expectJustified(lines);
      expect(lines.map((l) => l.text).join('')).toBe(sample.replace(/\s/g, ''));
    }
  });

  it('squeezes punctuation rather than pushing a mark to the next line (标点挤压)', () => {
    // 9 ideographs and a comma in a 9.5 em measure: the comma's blank half goes, the line holds all ten.
    const lines = breakParagraph('一二三四五六七八九，十一二', mono, { size: 10, measure: 95 });
    expect(lines[0]!.text).toBe('一二三四五六七八九，');
    expect(lines[0]!.width).toBeCloseTo(95, 5);
    expect(starts(lines)[1]).toBe('十');
  });

  it('pushes the previous character down with the mark when squeezing cannot make room', () => {
    // 10 ideographs fill the measure exactly; the comma cannot start line two, so 十 moves down with it.
    const lines = breakParagraph('一二三四五六七八九十，甲乙', mono, { size: 10, measure: 100 });
    expect(lines[1]!.text.startsWith('十，')).toBe(true);
    expectJustified(lines);
  });

  it('keeps an opening mark with what follows, and ——/…… unbroken', () => {
    const lines = breakParagraph('一二三四五六七八九《十一》甲乙丙丁——戊己庚辛壬癸子丑……寅卯', mono, { size: 10, measure: 100 });
    expectLegal(lines);
    for (const l of lines) {
      expect(l.text.endsWith('《')).toBe(false);
      expect(/^—|^…/.test(l.text) && !/^——|^……/.test(l.text)).toBe(false);
    }
    expect(lines.some((l) => l.text.includes('——'))).toBe(true);
  });

  it('keeps Latin words whole, puts a quarter em between Chinese and Latin, and cuts an over-long URL', () => {
    const text = '据Reuters报道，iPhone 17在成都首发，详见https://example.com/a/very/long/path/that/does/not/fit 的说明。';
    const lines = breakParagraph(text, mono, { size: 10, measure: 120 });
    expectLegal(lines);
    expectJustified(lines);
    const words = lines.flatMap((l) => l.boxes.filter((b) => !b.cjk).map((b) => b.text));
    expect(words).toContain('Reuters');
    expect(words).toContain('iPhone');
    const first = lines[0]!.boxes;
    const r = first.findIndex((b) => b.text === 'Reuters');
    // 据 then a quarter em (plus any justification) before Reuters.
    expect(first[r]!.x - (first[r - 1]!.x + first[r - 1]!.width)).toBeGreaterThanOrEqual(2.5 - 1e-9);
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(120 + 1e-6);
  });

  it('indents the first line by two ems and leaves the last line flush left', () => {
    const lines = breakParagraph(sample, mono, { size: 10, measure: 150, indentEm: 2 });
    expect(lines[0]!.indent).toBe(20);
    expect(lines[0]!.measure).toBe(130);
    expect(lines.at(-1)!.last).toBe(true);
    expect(ends(lines).at(-1)).toBe('。');
  });

  it('balances a headline over its lines', () => {
    const lines = breakBalanced('四川秋粮喜获丰收 天府粮仓建设迈出坚实步伐', mono, 40, 600);
    expect(lines.length).toBe(2);
    expect(Math.abs(lines[0]!.width - lines[1]!.width)).toBeLessThanOrEqual(80);
  });

  it('sets real text in Noto Serif SC legally at every column width', () => {
    const metrics = metricsFor('body');
    expect(metrics.advance('中')).toBeCloseTo(1, 5);
    expect(metrics.advance('a')).toBeLessThan(0.7);
    for (let w = 80; w <= 240; w += 7) {
      const lines = breakParagraph(sample, metrics, { size: 9.5, measure: w, indentEm: 2 });
      expectLegal(lines);
      expectJustified(lines);
    }
  });
});
