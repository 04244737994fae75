import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LexiconTerm } from './index.ts';
import { LexiconEngine, loadHoubbLexicon, parseHoubbLexicon, parseLexiconCsv, parseLexiconText, toCsv, toText } from './index.ts';
import { HOUBB_LEXICON_URL } from './houbb.ts';
import { HOUBB_NEAR_WINDOW, parseHoubbTiers } from './parse.ts';
import { generateEvasions } from './evasion.ts';

const defaults = { category: 'custom', severity: 'review' } as const;

describe('parseLexiconText', () => {
  it('reads terms with optional category and severity, skipping comments and blank lines', () => {
    const { terms, errors } = parseLexiconText('# 注释\n赌博\n\n冰毒\tdrugs block\n博彩 gambling\n网络 赌博\tgambling info\n', defaults);
    expect(errors).toEqual([]);
    expect(terms).toEqual([
      { term: '赌博', category: 'custom', severity: 'review' },
      { term: '冰毒', category: 'drugs', severity: 'block' },
      { term: '博彩', category: 'gambling', severity: 'review' },
      { term: '网络 赌博', category: 'gambling', severity: 'info' },
    ]);
  });

  it('reports malformed lines with their line numbers', () => {
    const { terms, errors } = parseLexiconText('赌博\n冰毒\tnarcotics block\n博彩\tgambling fatal\n\t gambling\n一\tporn block extra\n', defaults);
    expect(terms.map((t) => t.term)).toEqual(['赌博']);
    expect(errors).toEqual([
      { line: 2, message: 'unknown category "narcotics"' },
      { line: 3, message: 'unknown severity "fatal"' },
      { line: 4, message: 'empty term' },
      { line: 5, message: 'too many fields (4); expected term, category, severity' },
    ]);
  });
});

describe('parseLexiconCsv', () => {
  it('reads quoted fields, escaped quotes and a BOM', () => {
    const { terms, errors } = parseLexiconCsv('\uFEFFterm,category,severity\n"赌,博",gambling,block\n"say ""hi""",ads,info\r\n冰毒,drugs,review\n');
    expect(errors).toEqual([]);
    expect(terms.map((t) => t.term)).toEqual(['赌,博', 'say "hi"', '冰毒']);
  });

  it('reports malformed rows with their line numbers', () => {
    const { terms, errors } = parseLexiconCsv('term,category,severity\n赌博,gambling,block\n冰毒,narcotics,block\n博彩,gambling,fatal\n,gambling,block\n"赌博,gambling,block\n赌博,gambling\n');
    expect(terms).toHaveLength(1);
    expect(errors).toEqual([
      { line: 3, message: 'unknown category "narcotics"' },
      { line: 4, message: 'unknown severity "fatal"' },
      { line: 5, message: 'empty term' },
      { line: 6, message: 'unbalanced quotes' },
      { line: 7, message: 'expected 3 fields, found 2' },
    ]);
  });

  it('requires the header', () => {
    expect(parseLexiconCsv('赌博,gambling,block\n').errors[0]).toEqual({ line: 1, message: 'header lacks column "term"' });
    expect(parseLexiconCsv('').errors).toEqual([{ line: 1, message: 'missing header "term,category,severity"' }]);
  });
});

describe('toCsv / toText', () => {
  const terms: LexiconTerm[] = [
    { term: '赌,博', category: 'gambling', severity: 'block' },
    { term: 'a "b"', category: 'ads', severity: 'info', lexicon: 'own', id: '7' },
  ];
  it('round-trip through their parsers', () => {
    expect(parseLexiconCsv(toCsv(terms))).toEqual({ terms, errors: [] });
    expect(parseLexiconText(toText(terms), defaults)).toEqual({ terms: terms.map(({ term, category, severity }) => ({ term, category, severity })), errors: [] });
  });
});

describe('parseHoubbLexicon', () => {
  it('maps tags to categories (drugs > gambling > fraud > porn) and tiers (drugs, porn, gambling block; crime review)', () => {
    const { terms, errors } = parseHoubbLexicon('冰毒 1\n黄片 2\n赌球 3\n假证 4\nk粉qq 1,4\n裸聊 2,4\n坏行 9\n没有标签\n');
    expect(terms.map((t) => [t.term, t.category, t.severity, t.id])).toEqual([
      ['冰毒', 'drugs', 'block', 'houbb:1'],
      ['黄片', 'porn', 'block', 'houbb:2'],
      ['赌球', 'gambling', 'block', 'houbb:3'],
      ['假证', 'fraud', 'review', 'houbb:4'],
      ['k粉qq', 'drugs', 'block', 'houbb:5'],
      ['裸聊', 'fraud', 'block', 'houbb:6'],
    ]);
    expect(errors).toEqual([
      { line: 7, message: 'unknown tag "9"' },
      { line: 8, message: 'expected "word tags"' },
    ]);
  });

  it('applies the frequency decisions: ordinary words to info, companions, whole words', () => {
    const rules = parseHoubbTiers('# header\n电影\t2\tinfo\t\t4918\t电影\t常用词\n手枪\t4\tnear\t出售|代购\t517\t手枪\t…\n日他\t2\twhole\t\t525\t日/他\t…\n');
    const { terms } = parseHoubbLexicon('电影 2\n手枪 4\n日他 2\n黄片 2\n', rules);
    expect(terms.map((t) => [t.term, t.severity, t.context])).toEqual([
      ['电影', 'info', undefined],
      ['手枪', 'review', { near: ['出售', '代购'], window: HOUBB_NEAR_WINDOW }],
      ['日他', 'review', { wholeWord: true }],
      ['黄片', 'block', undefined],
    ]);
  });

  it('ships tiers that keep the issue\'s everyday words out of review', () => {
    const byTerm = new Map(loadHoubbLexicon().terms.map((t) => [t.term, t]));
    for (const w of ['电影', '美女', '日本', '干部', '签证', '证券', '证监会', '人民币', '导弹']) {
      const t = byTerm.get(w)!;
      expect(t.severity === 'info' || t.context?.near !== undefined, w).toBe(true);
    }
  });

  // The shipped file is committed and seeds every alliance's default lexicon, so it is always tested.
  it('loads the shipped houbb lexicon with zero errors and scans with it', () => {
    const { terms, errors } = loadHoubbLexicon();
    expect(errors).toEqual([]);
    expect(terms).toHaveLength(readFileSync(HOUBB_LEXICON_URL, 'utf8').trim().split('\n').length);
    expect(terms.length).toBe(41_739);
    const engine = LexiconEngine.build(terms);
    expect(engine.size).toBeGreaterThan(41_000);
    expect(engine.scan('出售冰 毒').some((m) => m.category === 'drugs')).toBe(true);
  });

  // The reference copy in ../shared/data is not part of a fresh clone; when present, the shipped file must be it unchanged.
  const reference = new URL('../../../../../shared/data/lexicon/houbb-nonpolitical-tags.txt', import.meta.url);
  it.skipIf(!existsSync(reference))('ships the reference houbb file unchanged (skipped: ../shared/data is absent on a fresh clone)', () => {
    expect(readFileSync(HOUBB_LEXICON_URL, 'utf8')).toBe(readFileSync(reference, 'utf8'));
  });
});

describe('evasion generator recall on the shipped lexicon', () => {
  it('finds at least 98% of generated evasions of block and review terms, homophones of block terms included', () => {
    const pool = loadHoubbLexicon().terms.filter((t) => t.severity !== 'info');
    const sample = pool.filter((_, i) => i % 97 === 0);
    const engine = LexiconEngine.build(pool);
    const cases = generateEvasions(sample).filter((e) => e.kind !== 'homophone' || e.term.severity === 'block');
    const found = cases.filter((e) => engine.scan(e.text).some((m) => m.term === e.term.term)).length;
    expect(cases.length).toBeGreaterThan(2000);
    expect(found / cases.length).toBeGreaterThanOrEqual(0.98);
  });
});
