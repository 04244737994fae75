import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Sample feeds for the ingest tests, one per format, with stories written for these tests (none is
 * copied from a real outlet), and a small local feed server to serve them.
 */

export const rss2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>锦官城晨报</title>
    <link>https://jgc.example.cn/</link>
    <description>测试用的示例新闻源</description>
    <language>zh-CN</language>
    <item>
      <title>成都地铁示范线开通试运营 沿线居民通勤时间缩短</title>
      <link>https://jgc.example.cn/news/0001.html</link>
      <guid isPermaLink="false">jgc-2026-0001</guid>
      <pubDate>Mon, 02 Mar 2026 08:30:00 +0800</pubDate>
      <dc:creator>晨报记者 周明远</dc:creator>
      <category>交通</category>
      <category>民生</category>
      <description><![CDATA[<p>3月2日上午，成都地铁示范线正式开通试运营，全线设站十二座，连接锦江区与龙泉驿区。</p><script>alert('x')</script><p>据运营方介绍，开通后沿线居民早高峰通勤时间平均缩短二十分钟，首班车六点三十分发车。</p><p style="color:red">市民王女士说：“以前要换乘两次，现在一趟就到。”</p>]]></description>
    </item>
    <item>
      <title>青羊区社区食堂试点扩大到二十个街道</title>
      <link>https://jgc.example.cn/news/0002.html</link>
      <guid>jgc-2026-0002</guid>
      <pubDate>Tue, 03 Mar 2026 10:00:00 +0800</pubDate>
      <description>社区食堂覆盖更多老年人</description>
      <content:encoded>&lt;p&gt;青羊区民政局介绍，社区食堂试点今年扩大到二十个街道，重点服务辖区内独居和高龄老人。&lt;/p&gt;&lt;p&gt;每份午餐价格控制在十五元以内，八十岁以上老人另有补贴。&lt;/p&gt;</content:encoded>
      <category>民生</category>
    </item>
    <item>
      <title>都江堰灌区春灌用水调度启动</title>
      <link>https://jgc.example.cn/news/0003.html</link>
      <guid>jgc-2026-0003</guid>
      <description>&lt;p&gt;都江堰灌区今年春灌计划供水二十亿立方米，覆盖成都平原上千万亩农田。&lt;/p&gt;&lt;p&gt;水利部门提醒各地做好渠系清淤和节水灌溉。&lt;/p&gt;</description>
      <category>农业</category>
    </item>
  </channel>
</rss>`;

export const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <title>川西农业观察</title>
  <id>urn:example:chuanxi-agri</id>
  <updated>2026-03-05T09:00:00+08:00</updated>
  <author><name>川西农业观察编辑部</name></author>
  <rights>川西农业观察 版权所有</rights>
  <entry>
    <title type="html">蒲江猕猴桃 &amp;lt;新品种&amp;gt; 通过省级审定</title>
    <id>urn:example:chuanxi-agri:2026-031</id>
    <link rel="alternate" href="https://agri.example.cn/2026/031"/>
    <published>2026-03-05T09:00:00+08:00</published>
    <author><name>刘晓兰</name></author>
    <category term="agri" label="农业"/>
    <summary type="text">猕猴桃新品种通过审定</summary>
    <content type="html">&lt;p&gt;蒲江县选育的猕猴桃新品种日前通过四川省农作物品种审定委员会审定。&lt;/p&gt;&lt;p&gt;该品种果肉金黄，耐储运，预计三年内推广种植一万亩。&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>眉山泡菜产业园新增三条自动化生产线</title>
    <id>urn:example:chuanxi-agri:2026-032</id>
    <link href="https://agri.example.cn/2026/032"/>
    <updated>2026-03-06T11:00:00+08:00</updated>
    <category term="产业"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>眉山市东坡区泡菜产业园新增三条自动化生产线，年产能提高到五十万吨。</p><p>园区负责人表示，新生产线将带动周边两千多户农民种植蔬菜。</p></div></content>
  </entry>
</feed>`;

export const jsonFeed = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: '熊猫科普站',
  home_page_url: 'https://panda.example.cn/',
  language: 'zh-CN',
  items: [
    {
      id: 'panda-101',
      url: 'https://panda.example.cn/101',
      title: '大熊猫为什么爱吃竹子',
      content_html: '<p>大熊猫的祖先是食肉动物，如今九成以上的食物来自竹子。</p><p>研究人员认为，这与高山竹林资源丰富、竞争者少有关。</p>',
      summary: '大熊猫食性演化的科普',
      date_published: '2026-03-07T08:00:00+08:00',
      authors: [{ name: '科普作者 陈思' }],
      tags: ['科普', '大熊猫'],
    },
    {
      id: 'panda-102',
      title: '卧龙保护区新生熊猫宝宝满月',
      content_text: '卧龙国家级自然保护区今年首只熊猫宝宝满月，体重已从出生时的一百五十克增长到一千二百克。\n饲养员每天为它称重和体检。',
      date_published: '2026-03-08T08:00:00+08:00',
      tags: ['大熊猫'],
    },
  ],
});

export const ninjs = JSON.stringify([
  {
    uri: 'urn:example:wire:2026:0311-001',
    type: 'text',
    version: '1',
    versioncreated: '2026-03-11T07:45:00Z',
    language: 'zh-CN',
    headlines: [{ role: 'main', value: '川渝两地联合发布春季旅游线路' }],
    descriptions: [{ role: 'summary', contenttype: 'text/plain', value: '二十条跨省旅游线路发布' }],
    bodies: [
      {
        role: 'main',
        contenttype: 'text/html',
        value: '<p>四川和重庆文旅部门联合发布二十条春季旅游线路，串联成渝地区的古镇、赏花点和美食街区。</p><p>线路涵盖自驾、高铁和骑行三种方式。</p>',
      },
    ],
    bylines: [{ byline: '通讯员 何平', role: 'author' }],
    subjects: [{ name: '旅游' }],
    keywords: ['川渝', '春游'],
    usageterms: '示例通讯社供稿',
  },
  {
    uri: 'urn:example:wire:2026:0311-002',
    type: 'text',
    headline: '自贡灯会闭幕 累计接待游客超百万人次',
    body_text: '为期四十天的自贡国际恐龙灯会昨晚闭幕。\n主办方统计，灯会累计接待游客超过一百万人次。',
    byline: '通讯员 李可',
    language: 'zh-CN',
  },
]);

export const newsml = `<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">
  <header><sent>2026-03-12T09:00:00+08:00</sent></header>
  <itemSet>
    <newsItem guid="urn:newsml:example.cn:20260312:scnews-001" version="1" standard="NewsML-G2" standardversion="2.33" xml:lang="zh-CN">
      <rightsInfo><copyrightHolder><name>示例省级通讯社</name></copyrightHolder></rightsInfo>
      <itemMeta>
        <itemClass qcode="ninat:text"/>
        <versionCreated>2026-03-12T08:50:00+08:00</versionCreated>
      </itemMeta>
      <contentMeta>
        <language tag="zh-CN"/>
        <subject qcode="medtop:04000000"><name xml:lang="zh">经济</name></subject>
        <keyword>外贸</keyword>
        <headline>四川一季度外贸进出口增长明显</headline>
        <by>记者 杨帆</by>
        <creditline>示例省级通讯社</creditline>
        <description role="drol:summary">外贸进出口同比增长</description>
      </contentMeta>
      <contentSet>
        <inlineXML contenttype="application/xhtml+xml">
          <html xmlns="http://www.w3.org/1999/xhtml"><body><p>海关部门发布数据显示，四川一季度外贸进出口总值同比增长明显。</p><p>其中电子信息产品出口占比超过六成。</p></body></html>
        </inlineXML>
      </contentSet>
    </newsItem>
    <newsItem guid="urn:newsml:example.cn:20260312:scnews-002" version="2" standard="NewsML-G2" standardversion="2.33" xml:lang="zh-CN">
      <itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-03-12T09:10:00+08:00</versionCreated></itemMeta>
      <contentMeta>
        <headline>攀枝花冬季阳光康养游客数量创新高</headline>
        <subject qcode="medtop:13000000"><name>旅游</name></subject>
      </contentMeta>
      <contentSet>
        <inlineData contenttype="text/plain">攀枝花今冬接待康养游客人数创历史新高。&#10;当地新增床位三千张。</inlineData>
      </contentSet>
    </newsItem>
  </itemSet>
</newsMessage>`;

/** The RSS sample cut off in the middle of its second item: a feed broken halfway. */
export const brokenRss = rss2.slice(0, rss2.indexOf('社区食堂覆盖更多老年人'));

export interface FakeResponse {
  body: string;
  contentType?: string;
  status?: number;
  etag?: string;
  headers?: Record<string, string>;
}

/** A local feed server (127.0.0.1, a free port). Change `routes` between requests; `hits` counts them. */
export async function startFeedServer(routes: Record<string, FakeResponse> = {}) {
  const hits: { path: string; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    hits.push({ path: req.url ?? '', headers: req.headers });
    const route = routes[req.url ?? ''];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (route.etag && req.headers['if-none-match'] === route.etag) {
      res.writeHead(304, { etag: route.etag }).end();
      return;
    }
    res.writeHead(route.status ?? 200, {
      'content-type': route.contentType ?? 'application/xml; charset=utf-8',
      ...(route.etag ? { etag: route.etag } : {}),
      ...route.headers,
    });
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    routes,
    hits,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
