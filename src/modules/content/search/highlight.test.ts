import { describe, expect, it } from 'vitest';
import { escapeHtml, highlight, snippetFor } from './highlight.ts';
import { indexVectors, parseQuery, wordRuns } from './index-text.ts';

describe('highlight', () => {
  it('marks every occurrence of every term and escapes everything else', () => {
    const { html, hit } = highlight('<b>融媒体</b> & "融媒" 中心', ['融媒'], { maxChars: 200 });
    expect(hit).toBe(true);
    expect(html).toBe('&lt;b&gt;<mark>融媒</mark>体&lt;/b&gt; &amp; &quot;<mark>融媒</mark>&quot; 中心');
  });

  it('never lets markup from the text through, even inside a mark', () => {
    const { html } = highlight('前文<script>alert(1)</script>后文', ['script'], { maxChars: 200 });
    expect(html).not.toContain('<script>');
    expect(html).toBe('前文&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;后文');
  });

  it('finds a simplified term in traditional text and shows the text as written', () => {
    const { html } = highlight('四川體育發展迅速', ['体育', '发展'], { maxChars: 200 });
    expect(html).toBe('四川<mark>體育發展</mark>迅速'); // adjacent hits share one mark
  });

  it('matches case-insensitively and full-width forms', () => {
    expect(highlight('新款ＩＰｈｏｎｅ发布', ['iphone']).html).toBe('新款<mark>ＩＰｈｏｎｅ</mark>发布');
  });

  it('cuts a window around the first hit with ellipses', () => {
    const text = `${'甲'.repeat(100)}融媒体中心${'乙'.repeat(100)}`;
    const { html } = highlight(text, ['融媒'], { maxChars: 40, lead: 10 });
    expect(html.startsWith('…')).toBe(true);
    expect(html.endsWith('…')).toBe(true);
    expect(html).toContain('甲'.repeat(10) + '<mark>融媒</mark>体中心');
    expect(html.replace(/<\/?mark>|…/g, '')).toHaveLength(40);
  });

  it('shows the beginning when nothing matches, and merges overlapping terms', () => {
    expect(highlight('没有命中的文字', ['融媒']).hit).toBe(false);
    expect(highlight('没有命中的文字', ['融媒']).html).toBe('没有命中的文字');
    expect(highlight('融媒体中心', ['融媒体', '媒体中心']).html).toBe('<mark>融媒体中心</mark>');
  });

  it('prefers the body, then the summary', () => {
    expect(snippetFor({ summary: '摘要里有融媒', body_text: '正文没有' }, ['融媒'])).toBe('摘要里有<mark>融媒</mark>');
    expect(snippetFor({ summary: '摘要', body_text: '正文\n里有融媒' }, ['融媒'])).toBe('正文 里有<mark>融媒</mark>');
  });

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});

describe('index text', () => {
  it('indexes bigrams, trigrams and run ends for matching; title and lead as text and the body’s words for ranking', () => {
    const v = indexVectors({ title: '融媒體中心', subtitle: null, summary: '中国科学院', tags: ['ＡＩ'], body_text: '记者报道，记者采访。' });
    const match = v.match.split(' ');
    for (const gram of ['融媒', '媒体', '体中', '中心', '融媒体', '媒体中', '体中心', '心', '记者', '报道', '者报道']) expect(match).toContain(`'${gram}'`);
    expect(match).not.toContain("'道记'"); // runs do not continue across punctuation
    // Title and lead in the same normal form as queries: Simplified, half-width, lower case.
    expect(v.title).toBe('融媒体中心');
    expect(v.lead).toBe('中国科学院\nai');
    // The body's words, most frequent first: 记者 twice.
    expect(v.body.split(' ')[0]).toBe('记者');
    expect(v.body.split(' ')).toEqual(expect.arrayContaining(['报道', '采访']));
    expect(v.body).not.toMatch(/融媒|科学院/);
  });

  it('turns a query into n-grams or one-character prefixes, and ANDs its words', () => {
    expect(parseQuery('融媒体中心')!.match).toBe("('融媒体' & '媒体中' & '体中心')");
    expect(parseQuery('融媒体')!.match).toBe("'融媒体'");
    expect(parseQuery('融媒')!.match).toBe("'融媒'");
    expect(parseQuery('川')!.match).toBe("'川':*");
    expect(parseQuery('成都  融媒，川')!.match).toBe("'成都' & '融媒' & '川':*");
    expect(parseQuery('體育')!.terms).toEqual(['体育']);
    expect(parseQuery('，。！')).toBeNull();
    expect(wordRuns('a-b c')).toEqual([['a'], ['b'], ['c']]);
  });

  it('splits words at punctuation, so quotes never reach a lexeme', () => {
    expect(parseQuery("o'neil")!.match).toBe("'o':* & ('nei' & 'eil')");
  });
});
