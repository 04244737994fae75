import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.ts';

describe('splitSentences', () => {
  it('splits on Chinese and Latin sentence ends and on line breaks', () => {
    expect(splitSentences('成都开幕。运动员到了！你去吗？好;再见\n第二段')).toEqual(['成都开幕。', '运动员到了！', '你去吗？', '好;', '再见', '第二段']);
  });

  it('keeps a quotation together and its closing mark with it', () => {
    expect(splitSentences('他说：“今天开幕。明天比赛”，然后离开了。下一句。')).toEqual(['他说：“今天开幕。明天比赛”，然后离开了。', '下一句。']);
    expect(splitSentences('他说：“今天开幕。明天比赛。”记者看到了。')).toEqual(['他说：“今天开幕。明天比赛。”', '记者看到了。']);
    expect(splitSentences('“好。”他走了。')).toEqual(['“好。”', '他走了。']);
  });

  it('keeps runs of terminators together', () => {
    expect(splitSentences('真的吗？！是的……好。')).toEqual(['真的吗？！', '是的……', '好。']);
  });

  it('does not let an unclosed quote swallow the rest', () => {
    const long = `他说：“${'很长的话。'.repeat(60)}`;
    expect(splitSentences(long).length).toBeGreaterThan(1);
  });

  it('drops empty pieces', () => {
    expect(splitSentences('\n\n  。\n')).toEqual(['。']);
    expect(splitSentences('')).toEqual([]);
  });
});
