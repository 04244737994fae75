import { describe, expect, it } from 'vitest';
import { AI_LABEL_TEXT, aiImplicitMetadata, checkAiLabel } from './index.ts';

const base = { title: '成都发布新政', body_text: '成都市今日发布新政策。', ai_assisted: false };

describe('checkAiLabel', () => {
  it('is quiet on an ordinary item', () => {
    expect(checkAiLabel(base)).toEqual([]);
  });

  it('flags a self-declaration in the body of an unflagged item, with its span', () => {
    const body = '成都市今日发布新政策。本文由DeepSeek生成。';
    const [f] = checkAiLabel({ ...base, body_text: body });
    expect(f).toMatchObject({ rule: 'ai-label.undeclared', severity: 'review' });
    expect(body.slice(f.start, f.end)).toContain('DeepSeek生成');
  });

  it('flags metadata that says AI', () => {
    expect(checkAiLabel({ ...base, byline: 'AI辅助写作' })[0].rule).toBe('ai-label.undeclared');
    expect(checkAiLabel({ ...base, tags: ['AIGC'] })[0].rule).toBe('ai-label.undeclared');
    expect(checkAiLabel({ ...base, tags: ['人工智能'] })).toEqual([]);
  });

  it('only notes a story that reports on AI-generated content', () => {
    const [f] = checkAiLabel({ ...base, body_text: '专家提醒，人工智能生成的虚假视频增多。' });
    expect(f).toMatchObject({ rule: 'ai-label.mention', severity: 'info' });
  });

  it('asks for the explicit label on a flagged item that lacks it, and is satisfied by it', () => {
    expect(checkAiLabel({ ...base, ai_assisted: true })[0]).toMatchObject({ rule: 'ai-label.missing-label', suggestion: AI_LABEL_TEXT });
    expect(checkAiLabel({ ...base, ai_assisted: true, body_text: `${base.body_text}${AI_LABEL_TEXT}` })).toEqual([]);
  });
});

describe('aiImplicitMetadata', () => {
  it('gives the AIGC field for flagged items only', () => {
    expect(aiImplicitMetadata({ ai_assisted: false })).toEqual({});
    const meta = aiImplicitMetadata({ ai_assisted: true, id: 'a1' }, { producer: '四川日报报业集团' });
    expect(JSON.parse(meta.AIGC)).toMatchObject({ Label: '1', ContentProducer: '四川日报报业集团', ProduceID: 'a1' });
  });
});
