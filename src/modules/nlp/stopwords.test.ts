import { describe, expect, it } from 'vitest';
import { functionStopWords, isStopWord, stopWords } from './stopwords.ts';

describe('stop words', () => {
  it('has the shipped ISO function-word list', () => {
    expect(functionStopWords().size).toBeGreaterThan(700);
    expect(isStopWord('的')).toBe(true);
    expect(isStopWord('我们')).toBe(true);
  });

  it('adds newsroom filler to the full list only', () => {
    for (const word of ['记者', '报道', '表示', '日电', '本报讯', '近日', '目前', '进行', '工作']) {
      expect(isStopWord(word)).toBe(true);
      expect(functionStopWords().has(word)).toBe(false);
    }
  });

  it('does not treat topic words or comment lines as stop words', () => {
    expect(isStopWord('成都')).toBe(false);
    expect(isStopWord('大运会')).toBe(false);
    expect([...stopWords()].some((word) => word.startsWith('#'))).toBe(false);
  });
});
