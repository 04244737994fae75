import { describe, expect, it } from 'vitest';
import { renderFor } from './index.ts';
import { doc, h, img, p, testSource, text } from '../../../test/rendition-source.ts';

const allowed = new Set(['section', 'p', 'span', 'strong', 'em', 'img', 'blockquote', 'h2', 'h3', 'ul', 'ol', 'li', 'br']);

describe('WeChat rendition', () => {
  const body = doc(
    h(2, '活动亮点'),
    h(4, '细节'),
    p(text('加粗', [{ type: 'bold' }]), text('斜体', [{ type: 'italic' }]), text('下划线', [{ type: 'underline' }]), text('外链', [{ type: 'link', attrs: { href: 'https://example.com/a?b=1&c=2' } }])),
    { type: 'orderedList', content: [{ type: 'listItem', content: [p('一')] }] },
    { type: 'blockquote', content: [p('引用')] },
    { type: 'codeBlock', content: [text('<b>code</b>')] },
    { type: 'horizontalRule' },
    img('pic-1', '春熙路"夜景"'),
  );
  const r = renderFor('wechat', testSource({ body, aiAssisted: true, correctionNote: '时间更正' }));
  const html = r.html!;

  it('uses only the tags WeChat keeps', () => {
    const tags = [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]!);
    expect(tags.filter((t) => !allowed.has(t))).toEqual([]);
  });

  it('has inline styles only: no class, no script, no style element', () => {
    expect(html).not.toMatch(/\sclass=/);
    expect(html).not.toMatch(/<script|<style|on\w+=/i);
    expect(html).toMatch(/^<section style="[^"]+">/);
    expect(html).toContain('<h2 style="');
    expect(html).toContain('<h3 style="'); // deeper headings fold into h3
  });

  it('marks images with their asset id for the adapter to upload', () => {
    expect(html).toContain('<img data-asset-id="pic-1" src="https://tianfu.example/portal/media/pic-1/large"');
    expect(html).toContain('春熙路&quot;夜景&quot;');
    expect(r.notes).toContain('正文 1 张图片将在发送时上传到微信');
  });

  it('turns outside links into text with the address, and says so', () => {
    expect(html).not.toContain('<a ');
    expect(html).toContain('（https://example.com/a?b=1&amp;c=2）');
    expect(r.notes.some((n) => n.includes('1 个链接'))).toBe(true);
  });

  it('escapes code and keeps the label, correction and credit lines', () => {
    expect(html).toContain('&lt;b&gt;code&lt;/b&gt;');
    expect(html).toContain('本文由AI辅助生成');
    expect(html.indexOf('更正：时间更正')).toBeLessThan(html.indexOf('活动亮点'));
  });

  it('puts list item text straight into the item', () => {
    expect(html).toMatch(/<li style="[^"]+">一<\/li>/);
  });
});
