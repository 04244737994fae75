import { describe, expect, it } from 'vitest';
import { keywords } from './keywords.ts';
import { universiadeStory, vegetableStory } from '../../test/nlp-texts.ts';

describe('keywords', () => {
  it('finds what a story about the Chengdu Universiade is about', () => {
    const words = keywords(universiadeStory).map((k) => k.word);
    expect(words).toContain('大运会');
    expect(words).toContain('成都');
    expect(words).toContain('运动员');
  });

  it('returns topK keywords, highest weight first', () => {
    const result = keywords(vegetableStory, 5);
    expect(result).toHaveLength(5);
    const weights = result.map((k) => k.weight);
    expect([...weights].sort((a, b) => b - a)).toEqual(weights);
    expect(result.map((k) => k.word)).toContain('蔬菜');
  });

  it('leaves out stop words, newsroom filler, single characters and numbers', () => {
    const words = keywords('本报讯 记者 近日表示，2023年 3000 名 记者 在 成都 进行 工作。成都 大熊猫 基地 游客 多。', 20).map((k) => k.word);
    for (const noise of ['本报讯', '记者', '近日', '表示', '2023', '3000', '名', '进行', '工作', '在']) expect(words).not.toContain(noise);
    expect(words).toContain('大熊猫');
  });

  it('reads Traditional text as Simplified', () => {
    expect(keywords('成都大運會開幕，運動員齊聚成都。').map((k) => k.word)).toContain('大运会');
  });

  it('returns nothing for empty text or topK 0', () => {
    expect(keywords('')).toEqual([]);
    expect(keywords(universiadeStory, 0)).toEqual([]);
  });
});
