import { describe, expect, it } from 'vitest';
import { foreignWords } from './ui-words.ts';

describe('foreign words in Chinese console text', () => {
  it('finds English labels and raw codes', () => {
    expect(foreignWords('封面：原比例 / original')).toEqual(['original']);
    expect(foreignWords('凭据 signingSecret 已设置')).toEqual(['signingSecret']);
    expect(foreignWords('新增 webhook\n状态 in_review')).toEqual(['webhook', 'in_review']);
  });

  it('lets through units, format names, links, ids, hashes and dates', () => {
    const text = [
      '文件不超过 20 MB，封面 1080 px',
      '订阅源：RSS、Atom、JSON Feed，导出 NINJS 与 PDF',
      '链接 https://example.cn/a/1?x=y 邮箱 editor@example.cn 域名 news.example.cn',
      '稿件 3f2b8c1e-9a4d-4c2b-8e1f-0a1b2c3d4e5f 哈希 a4cc6a3 与 e51ee578f0',
      '日期 2026-12-03T08:00:00Z，接口 /api/items/1',
      '中文 EN',
    ].join('\n');
    expect(foreignWords(text)).toEqual([]);
  });

  it('lets through what the caller names (test data such as usernames)', () => {
    expect(foreignWords('jinjiang_reporter · 记者', new Set(['jinjiang_reporter']))).toEqual([]);
  });
});
