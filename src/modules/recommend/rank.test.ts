import { describe, expect, it } from 'vitest';
import { type ItemFeatures, normalise } from './features.ts';
import { applyEvent, decayed, emptyProfile, HALF_LIFE_DAYS } from './profile.ts';
import { diversify, MAX_RUN, rank, type RankInput } from './rank.ts';

const NOW = Date.parse('2026-11-27T04:00:00Z');
const item = (id: string, category: string, words: string[], hoursOld = 1, places: string[] = []): ItemFeatures => ({
  itemId: id,
  title: `稿件${id}`,
  kw: normalise(words.map((w) => [w, 1] as const)),
  category,
  places,
  unitSlug: '510104',
  publishedAt: NOW - hoursOld * 3_600_000,
});
const input = (candidates: ItemFeatures[], extra: Partial<RankInput> = {}): RankInput => ({
  candidates,
  profile: null,
  read: new Set(),
  recent: [],
  coread: new Map(),
  popularity: new Map(),
  county: null,
  pins: [],
  now: NOW,
  limit: 10,
  ...extra,
});

describe('interest profiles decay', () => {
  it('halves every half-life and keeps what was read since', () => {
    const p = emptyProfile(new Date(NOW));
    applyEvent(p, new Date(NOW), 1, { kw: new Map([['马拉松', 1]]), category: '体育', places: ['510104'] });
    const later = decayed(p, new Date(NOW + HALF_LIFE_DAYS * 86_400_000));
    expect(later.cat['体育']).toBeCloseTo(0.5, 5);
    expect(later.kw['马拉松']).toBeCloseTo(0.5, 5);
    // The county, and its city at half weight.
    expect(later.place['510104']).toBeCloseTo(0.5, 5);
    expect(later.place['510100']).toBeCloseTo(0.25, 5);
    // A late event (older than the profile) counts decayed, it does not rewind the clock.
    applyEvent(later, new Date(NOW), 1, { category: '财经' });
    expect(later.cat['财经']).toBeCloseTo(0.5, 5);
  });
});

describe('ranking rules', () => {
  it('co-reading recommends with its reason', () => {
    const a = item('a', '体育', ['足球']);
    const b = item('b', '财经', ['股市']);
    const out = rank(input([b], { recent: [a], read: new Set(['a']), coread: new Map([['b', { via: 'a', n: 5 }]]) }));
    expect(out[0]).toMatchObject({ reason: '读过《稿件a》的人也在读', reasonKind: 'coread' });
  });

  it('diversity: at most MAX_RUN of one category in a row while another is left', () => {
    const ranked = [...Array.from({ length: 6 }, (_, i) => item(`s${i}`, '体育', [`词${i}`])), item('f', '财经', ['股市']), item('e', '教育', ['学校'])].map((it, i) => ({ item: it, score: 10 - i }));
    const cats = diversify(ranked, 8).map((s) => s.item.category);
    expect(cats.slice(0, MAX_RUN + 1)).toEqual(['体育', '体育', '财经']);
    expect(cats[MAX_RUN + 3]).toBe('教育');
  });

  it('must-show slots and pins are placed; a read pin is not shown', () => {
    const c = Array.from({ length: 6 }, (_, i) => item(`i${i}`, `c${i}`, [`w${i}`], i));
    const out = rank(input(c, { pins: [{ itemId: 'i5', slot: 2 }, { itemId: 'i4', slot: null }, { itemId: 'i3', slot: null }], read: new Set(['i3']) }));
    expect(out.map((s) => s.item.itemId).slice(0, 2)).toEqual(['i4', 'i5']);
    expect(out.map((s) => s.item.itemId)).not.toContain('i3');
    expect(out[1]!.reason).toBe('编辑推荐');
  });

  it('locality tells when it separates stories: 本地 before elsewhere', () => {
    const here = item('here', '民生', ['停车'], 3, ['510104', '510100']);
    const away = item('away', '民生', ['停车场'], 3, ['511102']);
    const out = rank(input([away, here], { county: '510104' }));
    expect(out[0]).toMatchObject({ item: { itemId: 'here' }, reason: '本地' });
  });
});
