import { describe, expect, it } from 'vitest';
import { ELLIPSIS, leadOf, shorten, textLength } from './length.ts';

describe('length rules', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(textLength('锦江')).toBe(2);
    expect(textLength('👍🏻a')).toBe(3);
    expect(textLength('𠀀')).toBe(1);
  });

  it('keeps a text within the limit unchanged', () => {
    expect(shorten('锦江区启动冬季文旅消费季', 12)).toEqual({ text: '锦江区启动冬季文旅消费季', shortened: false, from: 12 });
  });

  it('cuts at the last sentence end and adds an ellipsis', () => {
    const cut = shorten('第一句话说完了。第二句话也说完了。第三句话很长很长很长很长', 20);
    expect(cut).toEqual({ text: `第一句话说完了。第二句话也说完了${ELLIPSIS}`, shortened: true, from: 29 });
    expect(textLength(cut.text)).toBeLessThanOrEqual(20);
  });

  it('falls back to a clause break when no sentence ends in the room', () => {
    const cut = shorten('锦江区举办文旅消费季，推出百项活动，惠及市民游客和外地来客们', 20);
    expect(cut.text).toBe(`锦江区举办文旅消费季，推出百项活动${ELLIPSIS}`);
  });

  it('does not cut so early that most of the room is lost', () => {
    // The only break is at character 3 of 20: a hard cut keeps more.
    const cut = shorten('锦江区，举办二零二六年冬季文旅消费季启动仪式暨百项活动发布会', 20);
    expect(textLength(cut.text)).toBe(20);
    expect(cut.text.endsWith(ELLIPSIS)).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const cut = shorten('𠀀'.repeat(30), 10);
    expect(cut.text).toBe('𠀀'.repeat(9) + ELLIPSIS);
  });

  it('takes the first paragraph as a lead, skipping lines the caller rejects', () => {
    expect(leadOf('本文由AI辅助生成\n锦江区启动消费季。活动持续三个月。\n第二段', 100, (l) => l.startsWith('本文由'))).toBe('锦江区启动消费季。活动持续三个月。');
    expect(leadOf('', 10)).toBe('');
  });
});
