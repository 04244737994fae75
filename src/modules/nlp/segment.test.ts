import { describe, expect, it } from 'vitest';
import { posTag, searchTerms, tokenize } from './segment.ts';

describe('tokenize', () => {
  it('cuts Chinese into words and drops punctuation and spaces', () => {
    expect(tokenize('成都大运会开幕了！ 运动员齐聚成都。')).toEqual(['成都', '大运会', '开幕', '了', '运动员', '齐聚', '成都']);
  });

  it('lower-cases Latin and turns full-width into half-width', () => {
    expect(tokenize('ｉＰｈｏｎｅ新品')).toContain('iphone');
    expect(tokenize('iPhone新品')).toContain('iphone');
  });

  it('turns Traditional into Simplified, so both spellings give the same tokens', () => {
    expect(tokenize('臺灣資訊產業發展')).toEqual(tokenize('台湾资讯产业发展'));
    expect(tokenize('臺灣資訊發展')).toEqual(expect.arrayContaining(['台湾', '资讯', '发展']));
  });

  it('keeps an unknown personal name whole', () => {
    expect(tokenize('副市长李建华出席')).toContain('李建华');
  });

  it('returns nothing for punctuation only', () => {
    expect(tokenize('，。！？…… ')).toEqual([]);
  });
});

describe('searchTerms', () => {
  it('adds the sub-words of long words, so a part of a name finds the whole', () => {
    const terms = searchTerms('中国科学院成都分院');
    expect(terms).toEqual(expect.arrayContaining(['中国科学院', '科学院', '成都', '分院']));
  });

  it('lets a Traditional query match a Simplified story', () => {
    const story = new Set(searchTerms('成都大运会吸引了来自113个国家和地区的运动员'));
    const query = searchTerms('成都大運會');
    expect(query.length).toBeGreaterThan(0);
    for (const term of query) expect(story.has(term)).toBe(true);
  });

  it('drops function words but keeps newsroom words someone may search for', () => {
    const terms = searchTerms('我们的记者在成都');
    expect(terms).not.toContain('我们');
    expect(terms).not.toContain('的');
    expect(terms).toEqual(expect.arrayContaining(['记者', '成都']));
  });
});

describe('posTag', () => {
  it('tags places, organisations and numbers, and its words add up to the normalised text', () => {
    const text = '四川省委在成都召开会议，3000人参加。';
    const tagged = posTag(text);
    expect(tagged.map((t) => t.word).join('')).toBe(text.replace('，', ','));
    expect(tagged).toContainEqual({ word: '成都', tag: 'ns' });
    expect(tagged).toContainEqual({ word: '四川省委', tag: 'nt' });
    expect(tagged).toContainEqual({ word: '3000', tag: 'm' });
  });
});
