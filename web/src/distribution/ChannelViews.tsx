import { Alert, Descriptions, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../shared/i18n.ts';
import { type AppBlock, type CoverCrop, type Rendition, assetUrl, charCount, coverUrl } from './renditions.ts';

/**
 * One view per channel, drawn roughly as readers will see it. The HTML shown is what the server
 * rendered from the allow-listed document (escaped text, http(s) links, own assets), never raw input.
 */
const WEIBO_MAX = 2000;

function Cover({ r, className }: { r: Rendition; className: string }) {
  return r.cover ? <img className={`rp-cover ${className}`} src={coverUrl(r.cover)} alt="" data-testid="rendition-cover" /> : null;
}

function Counter({ value, max }: { value: string; max: number }) {
  const n = charCount(value);
  return (
    <Typography.Text type={n > max ? 'danger' : 'secondary'} data-testid="rendition-counter">
      {n} / {max}
    </Typography.Text>
  );
}

function WechatView({ r, unitName }: { r: Rendition; unitName: string }) {
  const { t } = useI18n();
  return (
    <div className="rp-phone" data-testid="wechat-phone">
      <div className="rp-phone-bar">{t('公众号图文', 'Official Account article')}</div>
      <div className="rp-phone-screen">
        <h1 className="rp-wechat-title">{r.title}</h1>
        <div className="rp-wechat-meta">
          <a>{unitName}</a>
        </div>
        <div dangerouslySetInnerHTML={{ __html: r.html ?? '' }} />
        <Typography.Link href={r.link} target="_blank" style={{ display: 'block', marginTop: 16, fontSize: 14 }}>
          {t('阅读原文', 'Read the original')}
        </Typography.Link>
      </div>
    </div>
  );
}

/** How the story sits in the subscription list: cover and digest. */
function WechatCard({ r }: { r: Rendition }) {
  return (
    <div className="rp-app-card" style={{ maxWidth: 375 }}>
      <Cover r={r} className="rp-cover-16x9" />
      <div className="rp-app-card-body">
        <div className="rp-app-card-title">{r.title}</div>
        <div className="rp-app-card-summary">{r.summary}</div>
      </div>
    </div>
  );
}

function WeiboView({ r, unitName }: { r: Rendition; unitName: string }) {
  return (
    <div className="rp-weibo">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Text strong>{unitName}</Typography.Text>
        <Counter value={r.text ?? ''} max={WEIBO_MAX} />
      </Space>
      <div className="rp-weibo-text" data-testid="weibo-text">
        {r.text}
      </div>
      <div style={{ marginTop: 12 }}>
        <Cover r={r} className="rp-cover-1x1" />
      </div>
    </div>
  );
}

function DouyinView({ r }: { r: Rendition }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" style={{ maxWidth: 560 }}>
      <Space>
        <Typography.Text strong>{t('标题', 'Title')}</Typography.Text>
        <Counter value={r.title} max={55} />
      </Space>
      <Typography.Paragraph>{r.title}</Typography.Paragraph>
      <Typography.Text strong>{t('视频描述', 'Description')}</Typography.Text>
      <div className="rp-weibo-text">{r.text}</div>
      <Cover r={r} className="rp-cover-16x9" />
    </Space>
  );
}

function AppBlockView({ block }: { block: AppBlock }) {
  switch (block.type) {
    case 'heading':
      return <Typography.Title level={Math.min(5, block.level + 1) as 3 | 4 | 5}>{block.text}</Typography.Title>;
    case 'paragraph':
      return <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{marked(block)}</Typography.Paragraph>;
    case 'image':
      return (
        <figure style={{ margin: '0 0 12px' }}>
          <img src={assetUrl(block.assetId)} alt="" style={{ width: '100%' }} />
          {block.caption && <figcaption style={{ fontSize: 12, color: '#8c8c8c', textAlign: 'center' }}>{block.caption}</figcaption>}
        </figure>
      );
    case 'quote':
      return <blockquote style={{ borderLeft: '3px solid #d9d9d9', margin: '0 0 12px', padding: '4px 12px', color: '#595959' }}>{block.text}</blockquote>;
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{item}</li>);
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
    case 'label':
      return <div className="rp-app-label">{block.text}</div>;
  }
}

/** A paragraph with its bold/italic/link ranges (UTF-16 offsets, as the app reads them). */
function marked(block: Extract<AppBlock, { type: 'paragraph' }>): ReactNode {
  if (!block.marks?.length) return block.text;
  const cuts = [...new Set([0, block.text.length, ...block.marks.flatMap((m) => [m.start, m.end])])].sort((a, b) => a - b);
  return cuts.slice(0, -1).map((start, i) => {
    const end = cuts[i + 1]!;
    const on = block.marks!.filter((m) => m.start <= start && m.end >= end);
    let node: ReactNode = block.text.slice(start, end);
    for (const m of on) {
      if (m.mark === 'bold') node = <strong>{node}</strong>;
      else if (m.mark === 'italic') node = <em>{node}</em>;
      else node = <a href={m.href} target="_blank" rel="noopener noreferrer">{node}</a>;
    }
    return <span key={start}>{node}</span>;
  });
}

function AppView({ r }: { r: Rendition }) {
  const { t } = useI18n();
  return (
    <Space align="start" wrap size={24}>
      <div style={{ width: 343 }}>
        <Typography.Text type="secondary">{t('列表卡片', 'List card')}</Typography.Text>
        <div className="rp-app-card" data-testid="app-card">
          <Cover r={r} className="rp-cover-16x9" />
          <div className="rp-app-card-body">
            <div className="rp-app-card-title">{r.title}</div>
            <div className="rp-app-card-summary">{r.summary}</div>
          </div>
        </div>
      </div>
      <div className="rp-phone" style={{ width: 343 }}>
        <div className="rp-phone-bar">{t('详情页', 'Detail')}</div>
        <div className="rp-phone-screen">
          <Typography.Title level={4}>{r.title}</Typography.Title>
          {(r.blocks ?? []).map((b, i) => (
            <AppBlockView key={i} block={b} />
          ))}
        </div>
      </div>
    </Space>
  );
}

function HtmlView({ r }: { r: Rendition }) {
  return (
    <div className="rp-portal">
      <Typography.Title level={3}>{r.title}</Typography.Title>
      <Typography.Paragraph type="secondary">{r.summary}</Typography.Paragraph>
      <Cover r={r} className={r.cover?.crop === 'crop_16x9' ? 'rp-cover-16x9' : ''} />
      <div dangerouslySetInnerHTML={{ __html: r.html ?? '' }} />
    </div>
  );
}

function PrintView({ r }: { r: Rendition }) {
  const story = r.print;
  if (!story) return <pre style={{ whiteSpace: 'pre-wrap' }}>{r.text}</pre>;
  const figure = (i: number) =>
    story.images
      .filter((img) => img.afterParagraph === i)
      .map((img) => (
        <figure key={img.assetId + i}>
          <img src={assetUrl(img.assetId)} alt="" style={{ width: '100%' }} />
          {img.caption && <figcaption>{img.caption}</figcaption>}
        </figure>
      ));
  return (
    <div className="rp-print" data-testid="print-page">
      <h1>{story.headline}</h1>
      {story.deck && <div className="rp-print-deck">{story.deck}</div>}
      {story.byline && <div className="rp-print-byline">{story.byline}</div>}
      {story.labels.map((l) => (
        <p key={l} className="rp-print-label">
          {l}
        </p>
      ))}
      {figure(0)}
      {story.paragraphs.map((p, i) => (
        <div key={i}>
          <p className={p.kind === 'crosshead' ? 'rp-print-crosshead' : p.kind === 'quote' ? 'rp-print-quote' : undefined}>{p.text}</p>
          {figure(i + 1)}
        </div>
      ))}
      {story.credits.map((c) => (
        <p key={c} style={{ textIndent: 0, fontSize: 12, color: '#595959' }}>
          {c}
        </p>
      ))}
    </div>
  );
}

/** A cover crop as an editor names it: the ratio, or the picture as uploaded. */
const cropLabels: Record<CoverCrop, [zh: string, en: string]> = { crop_16x9: ['16:9', '16:9'], crop_4x3: ['4:3', '4:3'], crop_1x1: ['1:1', '1:1'], large: ['原图比例', 'Original ratio'] };

export function ChannelView({ r, unitName, configured }: { r: Rendition; unitName: string; configured: string[] }) {
  const { t } = useI18n();
  const view = (() => {
    switch (r.channel) {
      case 'wechat':
        return (
          <Space align="start" wrap size={24}>
            <WechatView r={r} unitName={unitName} />
            <div>
              <Typography.Text type="secondary">{t('订阅列表中的样子', 'In the subscription list')}</Typography.Text>
              <WechatCard r={r} />
            </div>
          </Space>
        );
      case 'weibo':
        return <WeiboView r={r} unitName={unitName} />;
      case 'douyin':
        return <DouyinView r={r} />;
      case 'app':
        return <AppView r={r} />;
      case 'print':
        return <PrintView r={r} />;
      default:
        return <HtmlView r={r} />;
    }
  })();
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16} data-testid={`rendition-${r.channel}`}>
      {r.notes.length > 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="rendition-notes"
          title={t('生成说明', 'What the channel rules changed')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {r.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          }
        />
      )}
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('本单位渠道', "Unit's channels")}>
          {configured.length ? (
            <Space wrap data-testid="rendition-channels">
              {configured.map((name) => (
                <Tag key={name} color="blue">
                  {name}
                </Tag>
              ))}
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('未开通，按平台默认规则预览', 'None enabled; previewed with the platform defaults')}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('标题', 'Title')}>
          <Space wrap>
            <span data-testid="rendition-title">{r.title}</span>
            <Typography.Text type="secondary">{t(`${charCount(r.title)} 字`, `${charCount(r.title)} chars`)}</Typography.Text>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('摘要', 'Summary')}>
          <Space wrap>
            <span>{r.summary}</span>
            <Typography.Text type="secondary">{t(`${charCount(r.summary)} 字`, `${charCount(r.summary)} chars`)}</Typography.Text>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('封面', 'Cover')}>{r.cover ? t(...cropLabels[r.cover.crop]) : t('无', 'None')}</Descriptions.Item>
        <Descriptions.Item label={t('链接', 'Link')}>
          <Typography.Link href={r.link} target="_blank" copyable>
            {r.link}
          </Typography.Link>
        </Descriptions.Item>
        {r.aiLabel && (
          <Descriptions.Item label={t('AI 标识', 'AI label')}>
            <Tag color="purple" data-testid="rendition-ai-label">
              {r.aiLabel}
            </Tag>
          </Descriptions.Item>
        )}
      </Descriptions>
      {view}
    </Space>
  );
}
