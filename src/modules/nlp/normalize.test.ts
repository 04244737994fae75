import { describe, expect, it } from 'vitest';
import { charLength, normalizeText, toHalfWidth, toSimplified } from './normalize.ts';

describe('toSimplified', () => {
  it('turns Taiwan and Hong Kong Traditional into Simplified', () => {
    expect(toSimplified('臺灣')).toBe('台湾');
    expect(toSimplified('資訊')).toBe('资讯');
    expect(toSimplified('發展')).toBe('发展');
    expect(toSimplified('裡面')).toBe('里面');
    expect(toSimplified('保衞')).toBe('保卫');
  });

  it('leaves Simplified text as it is, 著名 and 什么 included', () => {
    const text = '著名作家说，这不是什么秘密。成都大运会开幕。';
    expect(toSimplified(text)).toBe(text);
  });

  it('keeps vocabulary: a word is converted character by character, not replaced', () => {
    expect(toSimplified('軟體')).toBe('软体');
  });
});

describe('toHalfWidth', () => {
  it('turns full-width letters, digits and the ideographic space into ASCII, and keeps Chinese punctuation', () => {
    expect(toHalfWidth('ＡＢＣ１２３　ｉＰｈｏｎｅ')).toBe('ABC123 iPhone');
    expect(toHalfWidth('成都。“好”')).toBe('成都。“好”');
  });
});

describe('normalizeText', () => {
  it('applies both', () => {
    expect(normalizeText('臺灣ＡＰＰ')).toBe('台湾APP');
  });
});

describe('charLength', () => {
  it('counts characters as a reader does, including ones outside the BMP', () => {
    expect(charLength('成都𠀀a')).toBe(4);
  });
});
