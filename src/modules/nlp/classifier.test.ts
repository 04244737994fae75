import { describe, expect, it } from 'vitest';
import { NaiveBayesClassifier } from './classifier.ts';
import type { LabelledText } from './classifier.ts';

const examples: LabelledText[] = [
  { label: '体育', text: '四川男篮主场战胜对手，外援砍下三十分，球队取得三连胜。' },
  { label: '体育', text: '成都蓉城足球队客场比赛，前锋梅开二度，球迷在看台上欢呼。' },
  { label: '体育', text: '全运会游泳比赛中，四川选手夺得金牌，教练称队员状态出色。' },
  { label: '体育', text: '马拉松比赛在成都举行，三万名跑者参赛，冠军打破赛会纪录。' },
  { label: '财经', text: '四川上市公司发布年报，营业收入增长，净利润创下新高，股价上涨。' },
  { label: '财经', text: '银行下调贷款利率，小微企业融资成本下降，信贷规模继续扩大。' },
  { label: '财经', text: '成都高新区企业出口订单增加，投资者看好电子信息产业前景。' },
  { label: '财经', text: '央行公布数据，货币供应量平稳增长，债券市场收益率小幅回落。' },
];

describe('NaiveBayesClassifier', () => {
  const classifier = new NaiveBayesClassifier().train(examples);

  it('tells a sports story from a finance story it has not seen', () => {
    expect(classifier.predict('篮球联赛决赛，四川队球员投中关键球，球队夺得冠军。')[0]?.label).toBe('体育');
    expect(classifier.predict('企业贷款利率下降，银行扩大信贷投放，股市上涨。')[0]?.label).toBe('财经');
  });

  it('gives every label a probability, most likely first, adding up to 1', () => {
    const prediction = classifier.predict('足球 比赛 球队');
    expect(prediction.map((p) => p.label).sort()).toEqual(['体育', '财经']);
    expect(prediction[0]?.probability).toBeGreaterThan(prediction[1]?.probability ?? 1);
    expect(prediction.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 10);
  });

  it('falls back to the label priors for text with no known word', () => {
    const prediction = classifier.predict('之乎者也');
    expect(prediction[0]?.probability).toBeCloseTo(0.5, 10);
  });

  it('stays finite on a long text (log space)', () => {
    const prediction = classifier.predict('比赛冠军球队'.repeat(2000));
    expect(prediction[0]?.label).toBe('体育');
    expect(Number.isFinite(prediction[0]?.probability)).toBe(true);
  });

  it('survives a JSON round trip with the same predictions', () => {
    const restored = NaiveBayesClassifier.fromJSON(JSON.stringify(classifier));
    const text = '球员在比赛中受伤，球队主教练调整阵容。';
    expect(restored.predict(text)).toEqual(classifier.predict(text));
    expect(restored.labelNames.sort()).toEqual(['体育', '财经']);
  });

  it('keeps learning after being restored', () => {
    const restored = NaiveBayesClassifier.fromJSON(classifier.toJSON());
    restored.train([{ label: '文旅', text: '大熊猫基地迎来游客高峰，景区门票预约火爆。' }]);
    expect(restored.predict('熊猫基地游客')[0]?.label).toBe('文旅');
  });

  it('treats words such as __proto__ as ordinary tokens', () => {
    const c = new NaiveBayesClassifier().learnTokens('a', ['__proto__', 'constructor']).learnTokens('b', ['成都']);
    const restored = NaiveBayesClassifier.fromJSON(JSON.stringify(c));
    expect(restored.predictTokens(['__proto__'])[0]?.label).toBe('a');
  });

  it('returns no prediction before training and rejects a malformed model', () => {
    expect(new NaiveBayesClassifier().predict('比赛')).toEqual([]);
    expect(() => NaiveBayesClassifier.fromJSON('{"format":"other","labels":[]}')).toThrow(TypeError);
    expect(() => NaiveBayesClassifier.fromJSON({ format: 'tianfu-naive-bayes/1', labels: [{ label: 'a', documents: -1, tokens: 0, counts: {} }] })).toThrow(TypeError);
  });
});
