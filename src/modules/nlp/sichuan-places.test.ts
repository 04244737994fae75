import { describe, expect, it } from 'vitest';
import { shortPlaceName, sichuanPlaceNames } from './sichuan-places.ts';

describe('shortPlaceName', () => {
  it('drops the administrative suffix', () => {
    expect(shortPlaceName('成都市')).toBe('成都');
    expect(shortPlaceName('锦江区')).toBe('锦江');
    expect(shortPlaceName('理塘县')).toBe('理塘');
    expect(shortPlaceName('四川省')).toBe('四川');
  });

  it('drops the ethnic groups of an autonomous division', () => {
    expect(shortPlaceName('阿坝藏族羌族自治州')).toBe('阿坝');
    expect(shortPlaceName('凉山彝族自治州')).toBe('凉山');
    expect(shortPlaceName('北川羌族自治县')).toBe('北川');
  });

  it('gives no short form under two characters', () => {
    expect(shortPlaceName('西区')).toBeUndefined();
    expect(shortPlaceName('茂县')).toBeUndefined();
  });
});

describe('sichuanPlaceNames', () => {
  const places = sichuanPlaceNames();
  const find = (name: string) => places.filter((p) => p.name === name);

  it('lists the province, all 21 prefectures and the county-level divisions under their official names', () => {
    expect(find('四川省')).toEqual([{ name: '四川省', code: '510000', officialName: '四川省', level: 'province' }]);
    expect(places.filter((p) => p.level === 'prefecture' && p.name === p.officialName)).toHaveLength(21);
    expect(places.filter((p) => p.level === 'county' && p.name === p.officialName).length).toBeGreaterThan(180);
  });

  it('adds short forms that point to the official name and code', () => {
    expect(find('成都')).toEqual([{ name: '成都', code: '510100', officialName: '成都市', level: 'prefecture' }]);
    expect(find('锦江')[0]).toMatchObject({ officialName: '锦江区', code: '510104' });
    expect(find('凉山')[0]).toMatchObject({ officialName: '凉山彝族自治州' });
    expect(find('凉山州')[0]).toMatchObject({ officialName: '凉山彝族自治州' });
  });

  it('gives a short form shared by a prefecture and a county to the prefecture', () => {
    expect(find('阿坝')).toHaveLength(1);
    expect(find('阿坝')[0]).toMatchObject({ officialName: '阿坝藏族羌族自治州', level: 'prefecture' });
    expect(find('阿坝县')[0]).toMatchObject({ level: 'county' });
  });

  it('has no one-character names and no short forms that are everyday words', () => {
    expect(places.every((p) => [...p.name].length >= 2)).toBe(true);
    expect(find('南部')).toEqual([]);
    expect(find('南部县')).toHaveLength(1);
  });
});
