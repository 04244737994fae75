import { describe, expect, it } from 'vitest';
import { FeedParseError, htmlToParagraphs } from './feed.ts';
import { detectFormat, parseFeed } from './parse.ts';
import { atom, brokenRss, jsonFeed, newsml, ninjs, rss2 } from '../../../test/feeds.ts';

const parseError = (fn: () => unknown): FeedParseError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof FeedParseError) return err;
    throw err;
  }
  throw new Error('expected a FeedParseError');
};

describe('feed parsers', () => {
  it('detects each format', () => {
    expect(detectFormat(rss2)).toBe('rss');
    expect(detectFormat(atom)).toBe('atom');
    expect(detectFormat(jsonFeed)).toBe('jsonfeed');
    expect(detectFormat(ninjs)).toBe('ninjs');
    expect(detectFormat(newsml)).toBe('newsml');
    expect(() => detectFormat('<html><body>hi</body></html>')).toThrow(FeedParseError);
    expect(() => detectFormat('hello')).toThrow(FeedParseError);
  });

  it('reads RSS 2.0: guid, CDATA and escaped HTML bodies, creator, categories; scripts and styles dropped', () => {
    const feed = parseFeed(rss2);
    expect(feed.title).toBe('锦官城晨报');
    expect(feed.entries.map((e) => e.guid)).toEqual(['jgc-2026-0001', 'jgc-2026-0002', 'jgc-2026-0003']);
    const [first, second] = feed.entries;
    expect(first!.title).toBe('成都地铁示范线开通试运营 沿线居民通勤时间缩短');
    expect(first!.paragraphs).toEqual([
      '3月2日上午，成都地铁示范线正式开通试运营，全线设站十二座，连接锦江区与龙泉驿区。',
      '据运营方介绍，开通后沿线居民早高峰通勤时间平均缩短二十分钟，首班车六点三十分发车。',
      '市民王女士说：“以前要换乘两次，现在一趟就到。”',
    ]);
    expect(first!.byline).toBe('晨报记者 周明远');
    expect(first!.tags).toEqual(['交通', '民生']);
    expect(first!.published?.toISOString()).toBe('2026-03-02T00:30:00.000Z');
    expect(first!.link).toBe('https://jgc.example.cn/news/0001.html');
    expect(first!.language).toBe('zh-CN');
    // content:encoded is the body, the description its summary.
    expect(second!.paragraphs[0]).toBe('青羊区民政局介绍，社区食堂试点今年扩大到二十个街道，重点服务辖区内独居和高龄老人。');
    expect(second!.summary).toBe('社区食堂覆盖更多老年人');
  });

  it('reads Atom 1.0: html and xhtml content, html titles as text, authors, category labels, rights', () => {
    const feed = parseFeed(atom);
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('川西农业观察');
    const [a, b] = feed.entries;
    expect(a!.guid).toBe('urn:example:chuanxi-agri:2026-031');
    expect(a!.title).toBe('蒲江猕猴桃 <新品种> 通过省级审定');
    expect(a!.paragraphs).toHaveLength(2);
    expect(a!.summary).toBe('猕猴桃新品种通过审定');
    expect(a!.byline).toBe('刘晓兰');
    expect(a!.tags).toEqual(['农业']);
    expect(a!.creditLine).toBe('川西农业观察 版权所有');
    expect(a!.link).toBe('https://agri.example.cn/2026/031');
    expect(b!.paragraphs).toEqual(['眉山市东坡区泡菜产业园新增三条自动化生产线，年产能提高到五十万吨。', '园区负责人表示，新生产线将带动周边两千多户农民种植蔬菜。']);
    expect(b!.byline).toBe('川西农业观察编辑部');
    expect(b!.tags).toEqual(['产业']);
  });

  it('reads JSON Feed 1.1 and refuses an item without an id, naming it', () => {
    const feed = parseFeed(jsonFeed);
    expect(feed.title).toBe('熊猫科普站');
    expect(feed.entries.map((e) => e.guid)).toEqual(['panda-101', 'panda-102']);
    expect(feed.entries[0]!.byline).toBe('科普作者 陈思');
    expect(feed.entries[1]!.paragraphs).toHaveLength(2);
    const doc = JSON.parse(jsonFeed);
    delete doc.items[1].id;
    const err = parseError(() => parseFeed(JSON.stringify(doc)));
    expect(err.zh).toContain('第 2 条');
    expect(err.message).toContain('Item 2');
  });

  it('reads NINJS 2.x and 1.x', () => {
    const feed = parseFeed(ninjs);
    const [a, b] = feed.entries;
    expect(a!.guid).toBe('urn:example:wire:2026:0311-001');
    expect(a!.title).toBe('川渝两地联合发布春季旅游线路');
    expect(a!.summary).toBe('二十条跨省旅游线路发布');
    expect(a!.tags).toEqual(['旅游', '川渝', '春游']);
    expect(a!.creditLine).toBe('示例通讯社供稿');
    expect(b!.title).toBe('自贡灯会闭幕 累计接待游客超百万人次');
    expect(b!.paragraphs).toHaveLength(2);
    expect(b!.byline).toBe('通讯员 李可');
    expect(() => parseFeed('[{"headline":"no uri"}]', 'ninjs')).toThrow(/uri/);
  });

  it('reads NewsML-G2: inlineXML XHTML and inlineData bodies, subjects, keywords, creditline', () => {
    const feed = parseFeed(newsml);
    const [a, b] = feed.entries;
    expect(a!.guid).toBe('urn:newsml:example.cn:20260312:scnews-001');
    expect(a!.title).toBe('四川一季度外贸进出口增长明显');
    expect(a!.paragraphs).toEqual(['海关部门发布数据显示，四川一季度外贸进出口总值同比增长明显。', '其中电子信息产品出口占比超过六成。']);
    expect(a!.byline).toBe('记者 杨帆');
    expect(a!.creditLine).toBe('示例省级通讯社');
    expect(a!.summary).toBe('外贸进出口同比增长');
    expect(a!.tags).toEqual(['经济', '外贸']);
    expect(b!.paragraphs).toEqual(['攀枝花今冬接待康养游客人数创历史新高。', '当地新增床位三千张。']);
    expect(b!.tags).toEqual(['旅游']);
  });

  it('refuses XML broken halfway with the line and column, and entity declarations', () => {
    const err = parseError(() => parseFeed(brokenRss));
    expect(err.zh).toMatch(/XML 格式错误（第 \d+ 行/);
    const bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel><title>&a;</title></channel></rss>';
    expect(parseError(() => parseFeed(bomb)).zh).toContain('实体声明');
    expect(parseError(() => parseFeed('{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[')).zh).toContain('JSON 格式错误');
    expect(parseError(() => parseFeed('   ')).zh).toContain('空');
  });

  it('turns feed HTML into plain paragraphs and never passes markup through', () => {
    expect(htmlToParagraphs('<div>一<br>二</div><ul><li>三</li><li><a href="javascript:x" onclick="y">四</a></li></ul><iframe src="x">框</iframe><img src=x onerror=alert(1)>')).toEqual([
      '一',
      '二',
      '三',
      '四',
    ]);
    expect(htmlToParagraphs('<p>A &amp; B &lt;script&gt; &#20013;&#x6587;</p>')).toEqual(['A & B <script> 中文']);
  });
});
