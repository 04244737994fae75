import { describe, expect, it } from 'vitest';
import { TypoChecker, typoFindings } from './index.ts';

const checker = TypoChecker.load();

describe('TypoChecker', () => {
  it.each([
    ['全体队员表示将再接再励，争取更好成绩。', '再接再励', '再接再厉'],
    ['工人们正在按装新设备。', '按装', '安装'],
    ['既使下雨，活动也将照常举行。', '既使', '即使'],
    ['面对难题，他一愁莫展。', '一愁莫展', '一筹莫展'],
  ])('finds the classic slip in %s', (text, wrong, suggestion) => {
    const found = checker.check(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ wrong, suggestion });
    expect(text.slice(found[0].start, found[0].end)).toBe(wrong);
    expect(found[0].confidence).toBeGreaterThan(0);
    expect(found[0].confidence).toBeLessThanOrEqual(1);
  });

  it('does not flag correct news prose', () => {
    const correct = [
      '省委常委会召开会议，研究部署下一阶段重点工作。',
      '成都市今年将新建和改扩建中小学校五十所。',
      '记者从四川省气象局获悉，未来三天全省大部地区有降雨。',
      '李明表示，要认真部署，确保各项措施落到实处。',
      '阿坝州九寨沟景区今日恢复开放，游客数量稳步回升。',
      '该项目总投资约十二亿元，预计明年底建成投运。',
      '专家提醒，市民出行前应关注交通管制信息。',
      '乐山大佛景区持续加强文物保护和游客安全管理。',
      '今年以来，全省外贸进出口保持平稳增长态势。',
      '县融媒体中心组织记者深入基层，采写了一批鲜活报道。',
    ];
    for (const text of correct) expect(checker.check(text), text).toEqual([]);
  });

  it('learns the unit archive words', () => {
    const text = '工人们正在按装新设备。';
    expect(TypoChecker.load({ extraCounts: new Map([['按装', 100000]]) }).check(text)).toEqual([]);
  });

  it('converts to common findings', () => {
    const [f] = typoFindings(checker.check('工人们正在按装新设备。'));
    expect(f).toMatchObject({ rule: 'typo', severity: 'review', suggestion: '安装' });
  });
});
