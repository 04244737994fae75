import { describe, expect, it } from 'vitest';
import { checkWording, parseWordingPack, starterWordingRules } from './index.ts';
import type { WordingRule } from './index.ts';

const rule: WordingRule = { wrong: '四川省委', right: '中共四川省委', explanation: '首次出现用全称', source: '测试' };

describe('checkWording', () => {
  it('flags the wrong form with exact UTF-16 offsets and the suggestion', () => {
    const text = '昨日，四川省委召开会议。';
    const [f] = checkWording(text, [rule]);
    expect(text.slice(f.start, f.end)).toBe('四川省委');
    expect(f).toMatchObject({ rule: 'wording', severity: 'review', start: 3, end: 7, suggestion: '中共四川省委' });
  });

  it('does not fire where the right form is already written', () => {
    expect(checkWording('中共四川省委召开会议，四川省委书记出席。', [rule]).map((f) => f.start)).toEqual([11]);
  });

  it('counts offsets in UTF-16 units after astral characters', () => {
    const text = '𠀀攀枝化市';
    const [f] = checkWording(text, starterWordingRules());
    expect(f.start).toBe(2);
    expect(text.slice(f.start, f.end)).toBe('攀枝化');
  });

  it('ships a valid starter pack whose right forms never fire on themselves', () => {
    const rules = starterWordingRules();
    expect(rules.length).toBeGreaterThanOrEqual(40);
    for (const r of rules) expect(checkWording(`据悉，${r.right}。`, rules)).toEqual([]);
    expect(checkWording('阿坝藏羌自治州和峨嵋山、甘孜藏族自治州', rules).map((f) => f.suggestion)).toEqual(['阿坝藏族羌族自治州', '峨眉山']);
  });
});

describe('parseWordingPack', () => {
  it('keeps good rules and reports bad ones by index', () => {
    const { rules, errors } = parseWordingPack(
      JSON.stringify({ rules: [rule, { wrong: 'x' }, { ...rule, severity: 'fatal' }, rule] }),
    );
    expect(rules).toHaveLength(1);
    expect(errors.map((e) => e.index)).toEqual([1, 1, 1, 2, 3]);
  });

  it('reports the line of a JSON syntax error', () => {
    const { rules, errors } = parseWordingPack('[\n{"wrong": "a",\n}\n]');
    expect(rules).toEqual([]);
    expect(errors[0].line).toBe(3);
  });
});
