import { describe, expect, it } from 'vitest';
import { charLength } from './normalize.ts';
import { summarize } from './summary.ts';
import { universiadeStory, vegetableStory } from '../../test/nlp-texts.ts';

describe('summarize', () => {
  it('returns a short text as it is', () => {
    expect(summarize('  成都大运会今晚开幕。  ')).toBe('成都大运会今晚开幕。');
  });

  it('keeps within the character budget and leads with the opening of the story', () => {
    const summary = summarize(universiadeStory);
    expect(charLength(summary)).toBeLessThanOrEqual(120);
    expect(summary.startsWith('7月28日晚，第31届世界大学生夏季运动会在成都东安湖体育公园开幕。')).toBe(true);
    expect(summary).toContain('大运会');
  });

  it('picks whole sentences of the story in their original order', () => {
    const summary = summarize(vegetableStory, { maxChars: 100 });
    const sentences = vegetableStory.split(/(?<=。)/);
    const picked = sentences.filter((s) => summary.includes(s));
    expect(picked.join('')).toBe(summary);
    expect(picked.length).toBeGreaterThan(0);
  });

  it('respects maxSentences', () => {
    expect(summarize(universiadeStory, { maxChars: 150, maxSentences: 1 }).split('。').filter(Boolean)).toHaveLength(1);
  });

  it('cuts the best sentence short when no sentence fits the budget', () => {
    const summary = summarize(universiadeStory, { maxChars: 20 });
    expect(charLength(summary)).toBe(20);
    expect(summary.endsWith('…')).toBe(true);
  });
});
