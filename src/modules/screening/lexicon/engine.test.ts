import { describe, expect, it } from 'vitest';
import type { LexiconTerm } from './index.ts';
import { LexiconEngine, MAX_GAP } from './index.ts';

const t = (term: string, category: LexiconTerm['category'] = 'gambling', severity: LexiconTerm['severity'] = 'block'): LexiconTerm => ({ term, category, severity });
const engine = LexiconEngine.build([t('赌博'), t('网络赌博'), t('博彩'), t('abc', 'ads', 'review'), t('冰毒', 'drugs')]);
const spans = (e: LexiconEngine, text: string, normalize = true) => e.scan(text, { normalize }).map((m) => [m.start, m.end, m.term, m.variant]);

describe('LexiconEngine evasions', () => {
  it('folds full-width forms and letter case', () => {
    expect(spans(engine, 'ａｂｃ')).toEqual([[0, 3, 'abc', 'ａｂｃ']]);
    expect(spans(engine, 'ＡＢＣ')).toEqual([[0, 3, 'abc', 'ＡＢＣ']]);
    expect(spans(engine, 'xABCx')).toEqual([[1, 4, 'abc', 'ABC']]);
    expect(spans(engine, 'aBc')).toEqual([[0, 3, 'abc', 'aBc']]);
  });

  it('maps Traditional characters to Simplified', () => {
    expect(spans(engine, '他在賭博')).toEqual([[2, 4, '赌博', '賭博']]);
    expect(spans(engine, '網絡賭博')).toEqual([[0, 4, '网络赌博', '網絡賭博'], [2, 4, '赌博', '賭博']]);
  });

  it.each([
    ['space', '赌 博'],
    ['ideographic space', '赌\u3000博'],
    ['ASCII punctuation', '赌.博'],
    ['symbol', '赌*博'],
    ['several symbols', '赌*-*博'],
    ['zero-width space', '赌\u200b博'],
    ['emoji', '赌😀博'],
    ['emoji with variation selector', '赌❤️博'],
  ])('skips separators: %s', (_name, text) => {
    expect(spans(engine, text)).toEqual([[0, text.length, '赌博', text]]);
  });

  it(`stops at more than ${MAX_GAP} visible separators, but zero-width ones do not count`, () => {
    expect(engine.scan('赌~~~~博')).toEqual([]);
    expect(engine.scan('赌 * * 博')).toEqual([]);
    expect(spans(engine, '赌\u200b\u200b\u200b\u200b\u200b博')).toEqual([[0, 7, '赌博', '赌\u200b\u200b\u200b\u200b\u200b博']]);
  });

  it('never starts or ends a match on a separator', () => {
    expect(spans(engine, '**赌博**')).toEqual([[2, 4, '赌博', '赌博']]);
    expect(spans(engine, '😀 赌 博 😀')).toEqual([[3, 6, '赌博', '赌 博']]);
  });

  it('reads letters and digits inside a Han term as evasion, not inside a Latin one', () => {
    expect(spans(engine, '他在赌1博')).toEqual([[2, 5, '赌博', '赌1博']]);
    expect(spans(engine, '网络赌xY博')).toEqual([[0, 6, '网络赌博', '网络赌xY博'], [2, 6, '赌博', '赌xY博']]);
    expect(engine.scan('赌xyzw博')).toEqual([]);
    expect(engine.scan('a1bc')).toEqual([]);
  });

  it.each([
    ['a date and a pronoun', '11月19日，她', '日她'],
    ['two listed words', '学位、证书', '学位证'],
    ['a closing quote', '“虎妈”的', '妈的'],
    ['a full stop', '赌。博', '赌博'],
    ['brackets', '赌（博）', '赌博'],
    ['a line break', '赌\n博', '赌博'],
  ])('never reads across sentence or clause punctuation: %s', (_name, text, term) => {
    expect(LexiconEngine.build([t(term, 'porn', 'block')]).scan(text)).toEqual([]);
  });

  it('lets a unit set the gap', () => {
    expect(LexiconEngine.build([t('赌博')], { maxGap: 5 }).scan('赌~~~~~博')).toHaveLength(1);
    expect(LexiconEngine.build([t('赌博')], { maxGap: 0 }).scan('赌 博')).toEqual([]);
  });

  it('combines evasions', () => {
    expect(spans(engine, '網 絡 ＊ 賭😀博')).toEqual([[0, 10, '网络赌博', '網 絡 ＊ 賭😀博'], [6, 10, '赌博', '賭😀博']]);
  });
});

describe('LexiconEngine homophones', () => {
  it('folds block-tier terms by sound by default, review-tier ones when the unit asks', () => {
    const terms = [t('网络赌博'), t('冰毒贩子', 'drugs', 'review')];
    const byDefault = LexiconEngine.build(terms);
    expect(byDefault.scan('网络堵博').map((m) => [m.term, m.variant, m.homophone])).toEqual([['网络赌博', '网络堵博', true]]);
    expect(byDefault.scan('兵毒贩子')).toEqual([]);
    expect(LexiconEngine.build(terms, { homophones: 'review' }).scan('兵毒贩子').map((m) => m.term)).toEqual(['冰毒贩子']);
    expect(LexiconEngine.build(terms, { homophones: 'none' }).scan('网络堵博')).toEqual([]);
  });

  it('needs half the characters as written, and makes a two-character sound-alike a hint', () => {
    const e = LexiconEngine.build([t('网络赌博'), t('幼欲', 'porn')]);
    // 往路堵博 swaps three of four: ordinary words that sound alike, not an evasion.
    expect(e.scan('往路堵博')).toEqual([]);
    expect(e.scan('由于')).toEqual([]);
    expect(e.scan('幼于').map((m) => [m.term, m.severity])).toEqual([['幼欲', 'info']]);
  });

  it('drops a sound-alike that the segmenter reads as one ordinary word or as parts of two', () => {
    const words = (s: string) => s.match(/就是|学费|引星雨|./gu) ?? [];
    const e = LexiconEngine.build([t('湿学费'), t('淫星雨', 'porn')], { segment: words });
    expect(e.scan('就是学费')).toEqual([]);
    expect(e.scan('诗学费').map((m) => m.term)).toEqual(['湿学费']);
    expect(e.scan('引星雨')).toEqual([]);
    expect(e.scan('饮星雨').map((m) => m.term)).toEqual(['淫星雨']);
  });
});

describe('LexiconEngine context rules', () => {
  const rules: LexiconTerm[] = [
    { term: '手枪', category: 'fraud', severity: 'review', context: { near: ['出售', '代购'], window: 4 } },
    { term: '日本', category: 'porn', severity: 'review', context: { wholeWord: true } },
    { term: '赌博', category: 'gambling', severity: 'block', context: { except: ['赌博罪', '禁止赌博'] } },
  ];
  // A stand-in segmenter: jieba would also keep 日本人 and 本地 as words.
  const words = (s: string) => s.match(/日本人|日本|本地|出售|./gu) ?? [];
  const e = LexiconEngine.build(rules, { segment: words });
  const terms = (text: string) => e.scan(text).map((m) => m.term);

  it('flags an ordinary word only with a companion within the window, before or after', () => {
    expect(terms('警方缴获一把手枪')).toEqual([]);
    expect(terms('网上出售仿真手枪')).toEqual(['手枪']);
    expect(terms('手枪，可代购')).toEqual(['手枪']);
    expect(terms('出售各种各样的手枪')).toEqual([]);
  });

  it('flags a whole-word term only where the segmenter keeps it a word', () => {
    expect(terms('三名日本人到访')).toEqual([]);
    expect(terms('去日本旅游')).toEqual(['日本']);
    expect(terms('去日 本旅游')).toEqual(['日本']);
  });

  it('turns a hit off inside its exception phrases', () => {
    expect(terms('他犯了赌博罪')).toEqual([]);
    expect(terms('本店禁止赌博')).toEqual([]);
    expect(terms('聚众赌博')).toEqual(['赌博']);
  });

  it('reports a plain hit inside a longer word one tier lower, naming the word', () => {
    const inWords = LexiconEngine.build([t('干机', 'porn'), t('冰毒', 'drugs', 'review')], { segment: (s) => s.match(/烘干机|冰毒|./gu) ?? [] });
    const [dryer] = inWords.scan('查看烘干机的读数');
    expect([dryer.term, dryer.severity, dryer.insideWord]).toEqual(['干机', 'review', '烘干机']);
    const [plain] = inWords.scan('他干机了');
    expect([plain.severity, plain.insideWord]).toEqual(['block', undefined]);
    expect(inWords.scan('贩卖冰毒').map((m) => m.severity)).toEqual(['review']);
  });

  it('carries the rule on the match so the finding can say why', () => {
    expect(e.scan('网上出售手枪')[0].context).toEqual({ near: ['出售', '代购'], window: 4 });
  });
});

describe('LexiconEngine matches', () => {
  it('reports overlapping and nested matches with term, category and severity', () => {
    const ms = engine.scan('网络赌博彩票');
    expect(ms.map((m) => [m.start, m.end, m.term])).toEqual([[0, 4, '网络赌博'], [2, 4, '赌博'], [3, 5, '博彩']]);
    expect(ms[1]).toEqual({ start: 2, end: 4, term: '赌博', variant: '赌博', category: 'gambling', severity: 'block' });
  });

  it('reports every occurrence and keeps lexicon and id', () => {
    const e = LexiconEngine.build([{ term: '冰毒', category: 'drugs', severity: 'review', lexicon: 'houbb', id: 'houbb:7' }]);
    expect(e.scan('冰毒和冰毒')).toEqual([
      { start: 0, end: 2, term: '冰毒', variant: '冰毒', category: 'drugs', severity: 'review', lexicon: 'houbb', id: 'houbb:7' },
      { start: 3, end: 5, term: '冰毒', variant: '冰毒', category: 'drugs', severity: 'review', lexicon: 'houbb', id: 'houbb:7' },
    ]);
  });

  it('gives UTF-16 offsets around emoji and surrogate pairs', () => {
    expect(spans(engine, '😀赌博')).toEqual([[2, 4, '赌博', '赌博']]);
    expect(spans(engine, '👨‍👩‍👧赌😀博😀')).toEqual([[8, 12, '赌博', '赌😀博']]);
    const text = '𠀀😀赌👍🏽博';
    const [m] = engine.scan(text);
    expect(text.slice(m.start, m.end)).toBe('赌👍🏽博');
  });

  it('matches terms with astral (Extension B) characters', () => {
    const e = LexiconEngine.build([t('𠀀赌')]);
    expect(spans(e, 'x𠀀 赌')).toEqual([[1, 5, '𠀀赌', '𠀀 赌']]);
    expect(spans(e, '😀赌')).toEqual([]);
  });

  it('scans literally with normalize: false', () => {
    expect(spans(engine, '賭博 赌 博 赌博', false)).toEqual([[7, 9, '赌博', '赌博']]);
    expect(spans(engine, 'ABC abc', false)).toEqual([[4, 7, 'abc', 'abc']]);
  });

  it('returns nothing for empty input or an empty lexicon', () => {
    expect(engine.scan('')).toEqual([]);
    expect(LexiconEngine.build([]).scan('赌博')).toEqual([]);
    expect(LexiconEngine.build([]).size).toBe(0);
  });

  it('counts distinct terms in size', () => {
    expect(engine.size).toBe(5);
    expect(LexiconEngine.build([t('赌博'), t('赌博'), t('赌博', 'fraud')]).size).toBe(2);
  });

  it('rejects input over the limit with a clear error', () => {
    expect(() => engine.scan('赌'.repeat(1_000_001))).toThrow(/1000001 UTF-16 units, over the limit of 1000000 \(maxInputChars\)/);
    const small = LexiconEngine.build([t('赌博')], { maxInputChars: 10 });
    expect(small.scan('赌博'.repeat(5))).toHaveLength(5);
    expect(() => small.scan('赌博'.repeat(6))).toThrow(RangeError);
  });
});

describe('LexiconEngine allow-list', () => {
  it('suppresses matches covered by an allowed phrase, in any written form', () => {
    const e = LexiconEngine.build([t('赌博'), t('博彩')], { allow: ['赌博罪'] });
    expect(e.scan('他犯了赌博罪')).toEqual([]);
    expect(e.scan('他犯了賭 博罪')).toEqual([]);
    // 博彩 is not inside the allowed phrase: still reported; a bare 赌博 elsewhere too.
    expect(spans(e, '赌博罪博彩，赌博')).toEqual([[3, 5, '博彩', '博彩'], [6, 8, '赌博', '赌博']]);
  });

  it('handles a place name containing a term', () => {
    const e = LexiconEngine.build([t('黄山', 'porn', 'review')], { allow: ['黄山市'] });
    expect(e.scan('黄山市旅游')).toEqual([]);
    expect(spans(e, '去黄山')).toEqual([[1, 3, '黄山', '黄山']]);
  });
});
