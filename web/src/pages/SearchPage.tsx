import { Card, Empty, Input, List, Result, Space, Tag, Typography } from 'antd';
import { Fragment, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { pick, statusLabels, typeLabels } from '../content.ts';
import { useNotifyError } from '../feedback.ts';
import { formatTime, useI18n } from '../i18n.ts';
import { navigate } from '../router.ts';
import { useSession } from '../session.ts';
import type { ItemStatus, ItemType } from '../types.ts';
import '../editor/editor.css';

/** One search hit, read defensively while the search routes settle. */
interface Hit {
  id: string;
  unitId?: string;
  unitName?: string;
  title: string;
  titleHighlight?: string;
  snippet?: string;
  type?: ItemType;
  status?: ItemStatus;
  updatedAt?: string;
}

interface SearchAnswer {
  hits?: Hit[];
  items?: Hit[];
  total?: number;
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (m) => entities[m] ?? m);

/**
 * Server-made highlight markup, shown safely: only <mark> survives, as a React element; every other
 * tag is dropped and all text is rendered as text (never as HTML).
 */
export function Highlighted({ html }: { html: string }) {
  const parts = html.split(/(<mark>|<\/mark>)/i);
  let marked = false;
  const out: { text: string; marked: boolean }[] = [];
  for (const part of parts) {
    if (/^<mark>$/i.test(part)) marked = true;
    else if (/^<\/mark>$/i.test(part)) marked = false;
    else if (part) out.push({ text: decode(part.replace(/<[^>]*>/g, '')), marked });
  }
  return (
    <span className="tf-snippet">
      {out.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <Fragment key={i}>{p.text}</Fragment>))}
    </span>
  );
}

/** 搜索: full-text search over what the active unit may see, with highlighted snippets. */
export default function SearchPage() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { session } = useSession();
  const notifyError = useNotifyError();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [missing, setMissing] = useState(false);

  const run = async (query: string) => {
    setQ(query);
    if (!query) return setHits(null);
    setLoading(true);
    try {
      const res = await api.get<SearchAnswer>('/api/search', { q: query });
      const list = res.hits ?? res.items ?? [];
      setHits(list);
      setTotal(res.total ?? list.length);
      setMissing(false);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && err.code !== 'not_found') setMissing(true);
      else notifyError(err);
    } finally {
      setLoading(false);
    }
  };

  const open = (h: Hit) => navigate(`${h.unitId && h.unitId !== session.activeUnitId ? '/shared' : '/hub'}/${h.id}`);

  return (
    <Card title={t('搜索', 'Search')}>
      <Input.Search
        enterButton={t('搜索', 'Search')}
        size="large"
        allowClear
        loading={loading}
        placeholder={t('输入关键词，如：非遗、春耕、文旅', 'Keywords, e.g. 非遗, 春耕, 文旅')}
        onSearch={(v) => void run(v.trim())}
        data-testid="search-input"
        style={{ maxWidth: 640, marginBottom: 16 }}
      />
      {missing ? (
        <Result status="info" title={t('搜索服务尚未启用', 'Search is not available yet')} subTitle={t('服务器还没有提供 /api/search', 'The server does not offer /api/search yet')} />
      ) : hits === null ? null : hits.length === 0 ? (
        <Empty description={t(`没有找到与“${q}”相关的稿件`, `Nothing found for “${q}”`)} />
      ) : (
        <List<Hit>
          data-testid="search-results"
          header={t(`共 ${total} 条结果`, `${total} results`)}
          dataSource={hits}
          renderItem={(h) => (
            <List.Item data-testid="search-hit">
              <List.Item.Meta
                title={
                  <Typography.Link onClick={() => open(h)}>
                    <Highlighted html={h.titleHighlight ?? h.title} />
                  </Typography.Link>
                }
                description={
                  <Space direction="vertical" size={2}>
                    {h.snippet && <Highlighted html={h.snippet} />}
                    <Space size={4} wrap>
                      {h.type && <Tag>{pick(i18n, typeLabels[h.type])}</Tag>}
                      {h.status && <Tag>{pick(i18n, statusLabels[h.status])}</Tag>}
                      {h.unitName && <Typography.Text type="secondary">{h.unitName}</Typography.Text>}
                      {h.updatedAt && <Typography.Text type="secondary">{formatTime(h.updatedAt, locale)}</Typography.Text>}
                    </Space>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
