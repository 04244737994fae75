import { describe, expect, it } from 'vitest';
import { entities } from './entities.ts';
import { sichuanPlaceNames } from './sichuan-places.ts';
import { looksLikeChineseName } from './surnames.ts';

const story =
  '成都市锦江区融媒体中心和西南石油大学联合举办的讲座28日开讲。副市长李建华出席并致辞，李建华说，' +
  '阿坝州和凉山彝族自治州的学员也在线参加。来自北京的专家介绍了成都的经验。';

describe('entities', () => {
  it('finds places, people and organisations with how often each is mentioned', () => {
    const found = entities(story);
    expect(found.people).toContainEqual({ name: '李建华', count: 2 });
    expect(found.organisations.map((o) => o.name)).toEqual(expect.arrayContaining(['成都市锦江区融媒体中心', '西南石油大学']));
    expect(found.places.map((p) => p.name)).toContain('北京');
  });

  it('reports gazetteer places under their official name and division code', () => {
    const { places } = entities(story, sichuanPlaceNames());
    expect(places).toContainEqual({ name: '成都市', count: 2, code: '510100' });
    expect(places).toContainEqual({ name: '锦江区', count: 1, code: '510104' });
    expect(places).toContainEqual({ name: '阿坝藏族羌族自治州', count: 1, code: '513200' });
    expect(places).toContainEqual({ name: '凉山彝族自治州', count: 1, code: '513400' });
    expect(places.find((p) => p.name === '北京')?.code).toBeUndefined();
  });

  it('matches a short form only as a whole word', () => {
    const { places } = entities('西南充满活力，市中心人气旺。', sichuanPlaceNames());
    expect(places.map((p) => p.name)).not.toContain('南充市');
    expect(places.map((p) => p.name)).not.toContain('市中区');
  });

  it('accepts a plain list of extra place names', () => {
    const { places } = entities('东安湖体育公园今天向市民开放，东安湖周边交通管制。', ['东安湖']);
    expect(places).toContainEqual({ name: '东安湖', count: 2 });
  });

  it('reads Traditional text', () => {
    const { places } = entities('成都市錦江區舉辦活動', sichuanPlaceNames());
    expect(places.map((p) => p.code)).toEqual(expect.arrayContaining(['510100', '510104']));
  });

  it('returns empty lists for empty text', () => {
    expect(entities('')).toEqual({ places: [], people: [], organisations: [], others: [] });
  });
});

describe('looksLikeChineseName', () => {
  it('takes a surname and one or two given-name characters', () => {
    expect(looksLikeChineseName('李建华')).toBe(true);
    expect(looksLikeChineseName('王杨')).toBe(true);
    expect(looksLikeChineseName('欧阳娜娜')).toBe(true);
  });

  it('rejects words that only start with a surname character', () => {
    expect(looksLikeChineseName('智能化')).toBe(false);
    expect(looksLikeChineseName('顾问')).toBe(false);
    expect(looksLikeChineseName('我们')).toBe(false);
    expect(looksLikeChineseName('Li')).toBe(false);
  });
});
