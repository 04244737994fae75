import { describe, expect, it } from 'vitest';
import { type AppBlock, type ChannelKind, type Rendition, channelKinds } from '../contract.ts';
import { AI_LABEL_TEXT, optionsFromConfig, renderFor, strictestOptions } from './index.ts';
import { ELLIPSIS, textLength } from './length.ts';
import { WEIBO_MAX } from './rules.ts';
import { doc, h, img, p, testSource, text } from '../../../test/rendition-source.ts';

/** Everything a reader of the rendition sees, whatever its form. */
function visible(r: Rendition): string {
  const blocks = (r.blocks ?? []).map((b: AppBlock) => ('text' in b ? b.text : b.type === 'list' ? b.items.join('\n') : (b.caption ?? '')));
  return [r.html ?? '', r.text ?? '', ...blocks].join('\n');
}

const longTitle = '成都市锦江区在春熙路举办2026年冬季文旅消费季启动仪式，推出涵盖美食、非遗、夜游和演艺的百项活动，惠及广大市民游客，并发放一千万元消费券';

describe('renderFor: titles and summaries', () => {
  it('keeps a WeChat title within 64 characters, cut at a clause with an ellipsis and a note', () => {
    const r = renderFor('wechat', testSource({ title: longTitle }));
    expect(textLength(r.title)).toBeLessThanOrEqual(64);
    expect(r.title.endsWith(`惠及广大市民游客${ELLIPSIS}`)).toBe(true);
    expect(r.notes.some((n) => n.includes('64') && n.includes('截短'))).toBe(true);
  });

  it('keeps a WeChat digest within 120 characters', () => {
    const summary = '锦江区文旅消费季持续三个月。'.repeat(12);
    const r = renderFor('wechat', testSource({ summary }));
    expect(textLength(r.summary)).toBeLessThanOrEqual(120);
    expect(r.summary.endsWith(`持续三个月${ELLIPSIS}`)).toBe(true);
    expect(r.notes.some((n) => n.includes('摘要') && n.includes('120'))).toBe(true);
  });

  it('gives Douyin a title of at most 55 characters and the app card 36', () => {
    expect(textLength(renderFor('douyin', testSource({ title: longTitle })).title)).toBeLessThanOrEqual(55);
    expect(textLength(renderFor('app', testSource({ title: longTitle })).title)).toBeLessThanOrEqual(36);
  });

  it('leaves the portal and feeds the whole title', () => {
    for (const kind of ['portal', 'feed', 'webhook'] as const) {
      const r = renderFor(kind, testSource({ title: longTitle }));
      expect(r.title).toBe(longTitle);
      expect(r.notes.filter((n) => n.includes('标题'))).toEqual([]);
    }
  });

  it('honours a stricter limit a channel sets, but never a looser one', () => {
    expect(textLength(renderFor('wechat', testSource({ title: longTitle }), { titleMax: 20 }).title)).toBeLessThanOrEqual(20);
    expect(textLength(renderFor('wechat', testSource({ title: longTitle }), { titleMax: 500 }).title)).toBeLessThanOrEqual(64);
    expect(textLength(renderFor('portal', testSource({ summary: '很长的摘要。'.repeat(30) }), { summaryMax: 30 }).summary)).toBeLessThanOrEqual(30);
  });

  it('takes the first paragraph as the summary when there is none, and says so', () => {
    const r = renderFor('wechat', testSource({ summary: null }));
    expect(r.summary).toBe('11月27日，锦江区2026冬季文旅消费季在春熙路启动。');
    expect(r.notes).toContain('稿件没有摘要，已取正文首段');
  });
});

describe('renderFor: covers', () => {
  const expected: Record<ChannelKind, string> = {
    portal: 'large',
    feed: 'crop_16x9',
    webhook: 'large',
    wechat: 'crop_16x9',
    weibo: 'crop_1x1',
    douyin: 'crop_16x9',
    app: 'crop_16x9',
    print: 'crop_4x3',
  };
  it.each(channelKinds)('%s uses its crop of the cover', (kind) => {
    expect(renderFor(kind, testSource()).cover).toEqual({ assetId: 'cover-1', crop: expected[kind] });
  });

  it('has no cover without a cover picture, and WeChat says so', () => {
    const r = renderFor('wechat', testSource({ coverAssetId: null }));
    expect(r.cover).toBeNull();
    expect(r.notes.some((n) => n.includes('封面'))).toBe(true);
  });
});

describe('renderFor: the AI-content label', () => {
  it.each(channelKinds)('is in the %s rendition of an AI-assisted item, visibly', (kind) => {
    const r = renderFor(kind, testSource({ aiAssisted: true }));
    expect(r.aiLabel).toBe(AI_LABEL_TEXT);
    expect(visible(r)).toContain(AI_LABEL_TEXT);
  });

  it.each(channelKinds)('is absent from the %s rendition of an ordinary item', (kind) => {
    const r = renderFor(kind, testSource());
    expect(r.aiLabel).toBeNull();
    expect(visible(r)).not.toContain(AI_LABEL_TEXT);
  });

  it('is not repeated where the body already carries it', () => {
    const body = doc(p('锦江区启动消费季。'), p(AI_LABEL_TEXT));
    const r = renderFor('portal', testSource({ aiAssisted: true, body }));
    expect(r.html!.split(AI_LABEL_TEXT)).toHaveLength(2);
    // The Weibo post does not carry the body, so it still needs its own.
    expect(renderFor('weibo', testSource({ aiAssisted: true, body })).text).toContain(AI_LABEL_TEXT);
  });

  it('is not mistaken for a summary', () => {
    const body = doc(p(AI_LABEL_TEXT), p('锦江区启动消费季。'));
    expect(renderFor('app', testSource({ aiAssisted: true, body, summary: null })).summary).toBe('锦江区启动消费季。');
  });
});

describe('renderFor: picked-up stories and corrections', () => {
  const origin = { unitId: '00000000-0000-4000-8000-0000000000bb', unitName: '成都市融媒体中心', itemId: '00000000-0000-4000-8000-000000000009' };
  const canonicalUrl = 'https://tianfu.example/portal/510100/a/00000000-0000-4000-8000-000000000009';
  const picked = testSource({ origin, canonicalUrl });

  it.each(channelKinds)('%s credits the originating unit and links its article', (kind) => {
    const r = renderFor(kind, picked);
    expect(r.link).toBe(canonicalUrl);
    expect(visible(r)).toContain('成都市融媒体中心');
    expect(visible(r)).toContain(kind === 'douyin' ? '成都市融媒体中心' : canonicalUrl);
  });

  it('links the unit portal for its own stories', () => {
    const s = testSource();
    expect(renderFor('weibo', s).link).toBe(s.portalUrl);
  });

  it('names the source or credit line of a story', () => {
    expect(renderFor('portal', testSource({ source: '新华社' })).html).toContain('来源：新华社');
    expect(renderFor('print', testSource({ creditLine: '图片由锦江区文旅局提供' })).text).toContain('图片由锦江区文旅局提供');
  });

  it.each(['portal', 'wechat', 'app', 'print'] as const)('%s shows the correction note before the body', (kind) => {
    const r = renderFor(kind, testSource({ correctionNote: '活动时间应为12月1日' }));
    const shown = visible(r);
    expect(shown).toContain('更正：活动时间应为12月1日');
    expect(shown.indexOf('更正：')).toBeLessThan(shown.indexOf('春熙路'));
  });
});

describe('renderFor: Weibo', () => {
  it('fits the post and its link within 2000 characters, shortening the summary', () => {
    const summary = '锦江区文旅消费季推出百项活动，涵盖美食、非遗、夜游和演艺。'.repeat(100);
    const s = testSource({ summary, aiAssisted: true });
    const r = renderFor('weibo', s);
    expect(textLength(r.text!)).toBeLessThanOrEqual(WEIBO_MAX);
    expect(r.text!.startsWith(`【${s.title}】`)).toBe(true);
    expect(r.text!.endsWith(`全文：${s.portalUrl}`)).toBe(true);
    expect(r.text).toContain(AI_LABEL_TEXT);
    expect(r.notes.some((n) => n.includes('2000'))).toBe(true);
  });

  it('keeps a short post whole', () => {
    const s = testSource();
    expect(renderFor('weibo', s).text).toBe(`【锦江区启动冬季文旅消费季】百项活动惠及市民游客。 全文：${s.portalUrl}`);
  });
});

describe('renderFor: Douyin', () => {
  it('describes the video with its title, label and tags as topics, and names the film to upload', () => {
    const r = renderFor('douyin', testSource({ type: 'video', aiAssisted: true, videoAssetIds: ['film-1'] }));
    expect(r.text).toBe(`锦江区启动冬季文旅消费季 ${AI_LABEL_TEXT} #文旅 #锦江`);
    expect(r.videoAssetId).toBe('film-1');
    expect(r.notes.filter((n) => n.includes('视频'))).toEqual([]);
  });

  it('warns when the item is not a video or has no film', () => {
    const r = renderFor('douyin', testSource());
    expect(r.notes).toContain('抖音只发布视频；该稿件不是视频稿');
    expect(r.notes).toContain('稿件的封面和正文中没有视频文件，抖音无法发布');
    expect(r.videoAssetId).toBeNull();
  });

  it('gives picture channels no cover when the cover is the video itself', () => {
    const s = testSource({ type: 'video', coverAssetId: 'film-1', videoAssetIds: ['film-1'] });
    expect(renderFor('wechat', s).cover).toBeNull();
    expect(renderFor('douyin', s).videoAssetId).toBe('film-1');
  });

  it('drops topics that would not fit', () => {
    const r = renderFor('douyin', testSource({ type: 'video', tags: Array.from({ length: 80 }, (_, i) => `话题${i}`) }));
    expect(textLength(r.text!)).toBeLessThanOrEqual(300);
    expect(r.notes.some((n) => n.includes('话题标签'))).toBe(true);
  });
});

describe('renderFor: portal, feed and webhook HTML', () => {
  it('is the hub’s safe HTML with absolute image addresses', () => {
    const body = doc(p('<script>alert(1)</script>', text('链接', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }])), img('pic-1', '春熙路'));
    const r = renderFor('feed', testSource({ body }));
    expect(r.html).toContain('&lt;script&gt;');
    expect(r.html).not.toContain('javascript:');
    expect(r.html).toContain('<img src="https://tianfu.example/portal/media/pic-1/large"');
    expect(r.html).toContain('<figcaption>春熙路</figcaption>');
  });

  it('takes another address for images when asked', () => {
    const r = renderFor('portal', testSource({ body: doc(img('pic-1')) }), { assetUrl: (id) => `/media/${id}.jpg` });
    expect(r.html).toContain('src="/media/pic-1.jpg"');
  });
});

describe('renderFor: app blocks', () => {
  it('turns the body into typed blocks with mark offsets', () => {
    const body = doc(
      h(2, '活动亮点'),
      p(text('美食', [{ type: 'bold' }]), '和', text('非遗', [{ type: 'link', attrs: { href: 'https://example.com/x' } }]), { type: 'hardBreak' }, '夜游'),
      { type: 'bulletList', content: [{ type: 'listItem', content: [p('一')] }, { type: 'listItem', content: [p('二')] }] },
      { type: 'blockquote', content: [p('好玩')] },
      img('pic-1', '春熙路'),
      { type: 'horizontalRule' },
      p(''),
    );
    const r = renderFor('app', testSource({ body, aiAssisted: true }));
    expect(r.blocks).toEqual([
      { type: 'label', text: AI_LABEL_TEXT },
      { type: 'heading', level: 2, text: '活动亮点' },
      {
        type: 'paragraph',
        text: '美食和非遗\n夜游',
        marks: [
          { start: 0, end: 2, mark: 'bold' },
          { start: 3, end: 5, mark: 'link', href: 'https://example.com/x' },
        ],
      },
      { type: 'list', ordered: false, items: ['一', '二'] },
      { type: 'quote', text: '好玩' },
      { type: 'image', assetId: 'pic-1', caption: '春熙路' },
    ]);
    expect(r.html).toBeNull();
  });
});

describe('renderFor: print', () => {
  it('gives the layout its headline hierarchy, paragraphs and captioned images', () => {
    const body = doc(p('第一段。'), h(3, '小标题'), img('pic-1', '春熙路夜景'), { type: 'blockquote', content: [p('引语')] }, p('第二段。'));
    const r = renderFor('print', testSource({ body, subtitle: '百项活动迎新春', aiAssisted: true }));
    expect(r.print).toEqual({
      headline: '锦江区启动冬季文旅消费季',
      deck: '百项活动迎新春',
      byline: '记者 李明',
      paragraphs: [
        { kind: 'body', text: '第一段。' },
        { kind: 'crosshead', text: '小标题' },
        { kind: 'quote', text: '引语' },
        { kind: 'body', text: '第二段。' },
      ],
      images: [{ assetId: 'pic-1', caption: '春熙路夜景', afterParagraph: 2 }],
      labels: [AI_LABEL_TEXT],
      credits: [],
    });
    expect(r.text).toBe(['锦江区启动冬季文旅消费季', '百项活动迎新春', '记者 李明', AI_LABEL_TEXT, '第一段。', '小标题', '引语', '第二段。', '［图］春熙路夜景'].join('\n\n'));
  });

  it('uses the summary as the deck when there is no subtitle, and a 40-character headline', () => {
    const r = renderFor('print', testSource({ title: longTitle }));
    expect(r.print!.deck).toBe('百项活动惠及市民游客。');
    expect(textLength(r.print!.headline)).toBeLessThanOrEqual(40);
  });
});

describe('renderFor: determinism', () => {
  it.each(channelKinds)('%s gives the same rendition for the same source', (kind) => {
    const s = testSource({ aiAssisted: true, body: doc(p('一。'), img('pic-1', '图')) });
    expect(renderFor(kind, s)).toEqual(renderFor(kind, structuredClone(s)));
  });
});

describe('channel settings', () => {
  it('reads positive whole limits from a channel’s config and keeps the strictest of several', () => {
    expect(optionsFromConfig({ titleMax: 20, summaryMax: 'x' })).toEqual({ titleMax: 20, summaryMax: undefined });
    expect(optionsFromConfig({ titleMax: -1, summaryMax: 1.5 })).toEqual({ titleMax: undefined, summaryMax: undefined });
    expect(strictestOptions([{ titleMax: 30 }, { titleMax: 20, summaryMax: 50 }, {}])).toEqual({ titleMax: 20, summaryMax: 50 });
    expect(strictestOptions([])).toEqual({ titleMax: undefined, summaryMax: undefined });
  });
});
