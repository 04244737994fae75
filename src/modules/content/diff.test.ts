import { describe, expect, it } from 'vitest';
import { diffText, sentences } from './diff.ts';

describe('Chinese text diff', () => {
  it('splits on Chinese sentence ends and keeps closing quotes with their sentence', () => {
    expect(sentences('他说：“好。”然后走了！还有吗？')).toEqual(['他说：“好。”', '然后走了！', '还有吗？']);
  });

  it('shows an edited sentence by character and untouched sentences as equal', () => {
    const before = '成都大运会开幕。运动员入场。观众欢呼。';
    const after = '成都大运会隆重开幕。运动员入场。观众热烈欢呼。';
    const { body, stats } = diffText(before, after);
    expect(body.map((o) => o.op)).toEqual(['change', 'equal', 'change']);
    const first = body[0]!;
    expect(first.parts?.filter((p) => p.op === 'insert').map((p) => p.text)).toEqual(['隆重']);
    expect(stats).toEqual({ insertedChars: 4, deletedChars: 0 });
  });

  it('shows added and removed sentences whole', () => {
    const { body } = diffText('第一句。第二句。', '第一句。第三句完全不同的内容在这里。');
    expect(body[0]).toEqual({ op: 'equal', before: '第一句。', after: '第一句。' });
    expect(body.slice(1).map((o) => o.op)).toEqual(['delete', 'insert']);
  });
});
