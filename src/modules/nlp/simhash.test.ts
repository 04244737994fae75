import { Converter } from 'opencc-js/cn2t';
import { describe, expect, it } from 'vitest';
import { fnv1a64, hammingDistance, isNearDuplicate, simhash, simhashBigInt } from './simhash.ts';
import { economyStory, universiadeStory, vegetableStory } from '../../test/nlp-texts.ts';

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64('foobar')).toBe(0x85944171f73967e8n);
  });
});

describe('simhash', () => {
  it('is 16 hex digits, stable, and the same number as the bigint form', () => {
    const hex = simhash(universiadeStory);
    expect(hex).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash(universiadeStory)).toBe(hex);
    expect(BigInt(`0x${hex}`)).toBe(simhashBigInt(universiadeStory));
  });

  it('puts the same story with a few characters changed within 3 bits', () => {
    const resent = universiadeStory
      .replace('7月28日晚', '7月29日晚') // a corrected date
      .replace('数千名志愿者', '数千位志愿者') // an edited word
      .replace('深刻印象', '深刻的印象');
    expect(resent).not.toBe(universiadeStory);
    expect(hammingDistance(simhash(universiadeStory), simhash(resent))).toBeLessThanOrEqual(3);
    expect(isNearDuplicate(simhash(universiadeStory), simhash(resent))).toBe(true);
  });

  it('treats a Traditional (Taiwan) re-post of the same story as a duplicate', () => {
    const traditional = Converter({ from: 'cn', to: 'tw' })(vegetableStory);
    expect(traditional).toContain('農戶們');
    expect(isNearDuplicate(simhash(traditional), simhash(vegetableStory))).toBe(true);
  });

  it('puts different stories far apart', () => {
    const stories = [universiadeStory, vegetableStory, economyStory];
    for (let i = 0; i < stories.length; i++) {
      for (let j = i + 1; j < stories.length; j++) {
        expect(hammingDistance(simhash(stories[i] ?? ''), simhash(stories[j] ?? ''))).toBeGreaterThan(10);
      }
    }
  });
});

describe('hammingDistance', () => {
  it('counts differing bits, from hex or bigint', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance(0b1011n, 0b0001n)).toBe(2);
    expect(hammingDistance('00000000000000ff', 0xfen)).toBe(1);
    expect(isNearDuplicate(0n, 0b111n)).toBe(true);
    expect(isNearDuplicate(0n, 0b1111n)).toBe(false);
  });

  it('rejects something that is not a fingerprint', () => {
    expect(() => hammingDistance('not-hex', '00')).toThrow(TypeError);
  });
});
