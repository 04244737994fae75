// The issue-14 rules: particles by grammar, errors inside real words, word boundaries kept, new pairs.
import { describe, expect, it } from 'vitest';
import { TypoChecker } from './index.ts';

const checker = TypoChecker.load();
const fixes = (c: TypoChecker, text: string) => c.check(text).map((f) => [f.wrong, f.suggestion]);

describe('的/地/得 by grammar', () => {
  it.each([
    ['孩子们高高兴兴的走进教室。', '地'],
    ['她认真的学习每一门功课。', '地'],
    ['他跑的很快。', '得'],
    ['这是我得书。', '的'],
  ])('corrects the particle in %s', (text, particle) => {
    const written = [...text].find((c) => '的地得'.includes(c));
    expect(fixes(checker, text)).toContainEqual([written, particle]);
  });

  it.each(['妈妈的爱是无私的。', '这是他所在的城市。', '他说得很好。', '我们慢慢地走回家。', '不好的影响正在消除。'])('leaves %s alone', (text) => {
    expect(checker.check(text)).toEqual([]);
  });
});

describe('errors inside real words', () => {
  // Word pairs learned from the alliance's own stories give the context; a handful stand in for the hub.
  const stories = ['市民张某向法院提起诉讼，要求赔偿损失。', '当事人可以向法院提起诉讼。', '原告向法院提起诉讼后，法院依法受理。', '长江发源于青藏高原。', '黄河发源于青海省。'];
  const learned = TypoChecker.load({ stories });

  it('corrects 发源 to 法院 where the stories say 向法院提起诉讼', () => {
    expect(fixes(learned, '他决定向发源提起诉讼，要求赔偿。')).toEqual([['发源', '法院']]);
  });

  it('keeps 发源 where the river rises', () => {
    expect(learned.check('金沙江发源于青藏高原。')).toEqual([]);
  });

  it('without learned context, a real word is not changed on word counts alone', () => {
    expect(checker.check('他决定向发源提起诉讼，要求赔偿。')).toEqual([]);
  });

  it('repairs a character that breaks a word even when the rest is a real word (因该 → 应该)', () => {
    expect(fixes(checker, '我们因该早点出发。')).toEqual([['因该', '应该']]);
  });
});

describe('word boundaries', () => {
  it('does not fuse 所在|的 into 所在地', () => {
    expect(checker.check('这是他所在的城市，也是他的家乡。')).toEqual([]);
  });
});

describe('added confusion pairs', () => {
  it('knows the in/ing merger of Sichuan speech (感新趣 → 感兴趣)', () => {
    expect(fixes(checker, '他对这件事很感新趣。')).toEqual([['感新趣', '感兴趣']]);
  });

  it('knows the pronouns share a sound (它门 → 它们)', () => {
    expect(fixes(checker, '小狗饿了，它门在叫。')).toContainEqual(['它门', '它们']);
  });
});
