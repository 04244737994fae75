import { DeleteOutlined, SaveOutlined, StarOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Col, Empty, Input, List, Popconfirm, Result, Row, Segmented, Space, Tag, Typography } from 'antd';
import { Fragment, useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { pick, provenanceLine, statusColors, statusLabels, typeLabels } from './model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { navigate } from '../shared/router.ts';
import { useSession } from '../shared/session.ts';
import { facetNames, type FacetName, type ListOf, type SavedSearch, type SearchFilters, type SearchHit, type SearchResult } from '../shared/types.ts';
import './editor/editor.css';

const PAGE_SIZE = 20;

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': '\u00a0' };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (m) => entities[m] ?? m);

/**
 * Server-made highlight markup, shown safely: only <mark> survives, as a React element; any other
 * tag is dropped and all text is rendered as text, never as HTML.
 */
export function Highlighted({ html }: { html: string }) {
  const out: { text: string; marked: boolean }[] = [];
  let marked = false;
  for (const part of html.split(/(<\/?mark>)/i)) {
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

/** Which search filter a facet sets. */
const facetFilter: Record<FacetName, keyof SearchFilters> = {
  unit: 'unitId',
  type: 'type',
  status: 'status',
  category: 'category',
  scope: 'scope',
  region: 'regionCode',
};

const facetTitles: Record<FacetName, [string, string]> = {
  unit: ['单位', 'Unit'],
  type: ['类型', 'Type'],
  status: ['状态', 'Status'],
  category: ['分类', 'Category'],
  scope: ['共享范围', 'Sharing'],
  region: ['地区', 'Region'],
};

/** 搜索: full-text search over what the active unit may see, with facets, highlighted snippets and saved searches. */
export default function SearchPage() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { session } = useSession();
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const [filters, setFilters] = useState<SearchFilters>({});
  const [page, setPage] = useState(0);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [missing, setMissing] = useState(false);
  const [saved, setSaved] = useState<SavedSearch[]>([]);
  const [text, setText] = useState('');

  const active = Object.values(filters).some((v) => v !== undefined && v !== '');

  const run = useCallback(async () => {
    if (!active) return setResult(null);
    setLoading(true);
    try {
      setResult(await api.get<SearchResult>('/api/search', { ...filters, limit: PAGE_SIZE, offset: page * PAGE_SIZE }));
      setMissing(false);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && err.code !== 'not_found') setMissing(true);
      else notifyError(err);
    } finally {
      setLoading(false);
    }
  }, [filters, page, active, notifyError]);

  useEffect(() => {
    void run();
  }, [run]);

  const loadSaved = useCallback(async () => {
    try {
      setSaved((await api.get<ListOf<SavedSearch>>('/api/search/saved')).items);
    } catch {
      setSaved([]); // saved searches are a convenience: the page works without them
    }
  }, []);
  useEffect(() => {
    void loadSaved();
  }, [loadSaved]);

  const apply = (next: SearchFilters) => {
    setPage(0);
    setFilters(next);
    setText(next.q ?? '');
  };
  const toggleFacet = (facet: FacetName, value: string) => {
    const key = facetFilter[facet];
    apply({ ...filters, [key]: filters[key] === value ? undefined : value });
  };

  const saveSearch = () => {
    let name = filters.q ?? '';
    modal.confirm({
      title: t('保存检索条件', 'Save this search'),
      content: <Input defaultValue={name} maxLength={60} onChange={(e) => (name = e.target.value)} placeholder={t('名称', 'Name')} autoFocus />,
      onOk: async () => {
        try {
          const { q, unitId, scope, status, type, category, regionCode, from, to, dateField, sort } = filters;
          await api.post('/api/search/saved', { name: name.trim() || t('未命名检索', 'Untitled search'), query: { q, unitId, scope, status, type, category, regionCode, from, to, dateField, sort } });
          message.success(t('已保存', 'Saved'));
          await loadSaved();
        } catch (err) {
          notifyError(err);
        }
      },
    });
  };
  const deleteSaved = async (s: SavedSearch) => {
    try {
      await api.del(`/api/search/saved/${s.id}`);
      await loadSaved();
    } catch (err) {
      notifyError(err);
    }
  };

  const open = (h: SearchHit) => navigate(`${h.unitId === session.activeUnitId ? '/hub' : '/shared'}/${h.id}`);
  const chipLabel = (key: keyof SearchFilters, value: string) => {
    const facet = facetNames.find((f) => facetFilter[f] === key);
    if (!facet) return `${key}: ${value.slice(0, 10)}`;
    return `${pick(i18n, facetTitles[facet])}：${result?.facets[facet]?.find((x) => x.value === value)?.label ?? value}`;
  };
  const chips = (Object.entries(filters) as [keyof SearchFilters, string | undefined][]).filter(([k, v]) => k !== 'q' && k !== 'sort' && v);

  return (
    <Card title={t('搜索', 'Search')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          enterButton={t('搜索', 'Search')}
          size="large"
          allowClear
          loading={loading}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('输入关键词，如：非遗、春耕、文旅', 'Keywords, e.g. 非遗, 春耕, 文旅')}
          onSearch={(v) => apply({ ...filters, q: v.trim() || undefined })}
          data-testid="search-input"
          style={{ width: 560 }}
        />
        <Segmented<'relevance' | 'time'>
          value={filters.sort ?? 'relevance'}
          onChange={(sort) => apply({ ...filters, sort })}
          options={[
            { value: 'relevance', label: t('按相关度', 'Relevance') },
            { value: 'time', label: t('按时间', 'Newest') },
          ]}
        />
        <DatePicker aria-label={t('起始日期', 'From')} placeholder={t('起始日期', 'From')} style={{ width: 150 }} onChange={(d) => apply({ ...filters, from: d ? new Date(`${d.format('YYYY-MM-DD')}T00:00:00+08:00`).toISOString() : undefined })} />
        <span>—</span>
        <DatePicker aria-label={t('截止日期', 'To')} placeholder={t('截止日期', 'To')} style={{ width: 150 }} onChange={(d) => apply({ ...filters, to: d ? new Date(`${d.format('YYYY-MM-DD')}T23:59:59+08:00`).toISOString() : undefined })} />
        <Button icon={<SaveOutlined />} disabled={!active} onClick={saveSearch} data-testid="save-search">
          {t('保存检索', 'Save search')}
        </Button>
      </Space>
      {chips.length > 0 && (
        <Space wrap style={{ marginBottom: 12 }}>
          {chips.map(([k, v]) => (
            <Tag key={k} closable onClose={() => apply({ ...filters, [k]: undefined })}>
              {chipLabel(k, v!)}
            </Tag>
          ))}
        </Space>
      )}
      {missing ? (
        <Result status="info" title={t('搜索服务尚未启用', 'Search is not available yet')} subTitle={t('服务器还没有提供 /api/search', 'The server does not offer /api/search yet')} />
      ) : (
        <Row gutter={24}>
          <Col xs={24} lg={6}>
            <Typography.Title level={5}>
              <StarOutlined /> {t('保存的检索', 'Saved searches')}
            </Typography.Title>
            {saved.length === 0 ? (
              <Typography.Text type="secondary">{t('暂无', 'None yet')}</Typography.Text>
            ) : (
              <List<SavedSearch>
                size="small"
                dataSource={saved}
                data-testid="saved-searches"
                renderItem={(s) => (
                  <List.Item
                    actions={[
                      <Popconfirm key="del" title={t('删除这个检索？', 'Delete this search?')} onConfirm={() => deleteSaved(s)}>
                        <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('删除', 'Delete')} />
                      </Popconfirm>,
                    ]}
                  >
                    <Typography.Link onClick={() => apply(s.query)}>{s.name}</Typography.Link>
                  </List.Item>
                )}
              />
            )}
            {result &&
              facetNames.map((f) =>
                result.facets[f] && result.facets[f].length > 0 ? (
                  <div key={f} style={{ marginTop: 16 }} data-testid={`facet-${f}`}>
                    <Typography.Text strong>{pick(i18n, facetTitles[f])}</Typography.Text>
                    <div>
                      {result.facets[f].slice(0, 12).map((v) => {
                        const on = filters[facetFilter[f]] === v.value;
                        return (
                          <Tag.CheckableTag key={v.value} checked={on} onChange={() => toggleFacet(f, v.value)} style={{ marginTop: 4 }}>
                            {v.label} <span style={{ opacity: 0.6 }}>{v.count}</span>
                          </Tag.CheckableTag>
                        );
                      })}
                    </div>
                  </div>
                ) : null,
              )}
          </Col>
          <Col xs={24} lg={18}>
            {!active ? (
              <Empty description={t('输入关键词开始搜索', 'Type a few words to search')} />
            ) : result && result.items.length === 0 ? (
              <Empty description={t(`没有找到与“${filters.q ?? ''}”相关的稿件`, `Nothing found for “${filters.q ?? ''}”`)} />
            ) : (
              <List<SearchHit>
                data-testid="search-results"
                loading={loading}
                header={result && t(`共 ${result.total} 条结果`, `${result.total} results`)}
                dataSource={result?.items ?? []}
                pagination={
                  result && result.total > PAGE_SIZE
                    ? { current: page + 1, pageSize: PAGE_SIZE, total: Math.min(result.total, 10000), onChange: (p) => setPage(p - 1), showSizeChanger: false }
                    : false
                }
                renderItem={(h) => (
                  <List.Item data-testid="search-hit">
                    <List.Item.Meta
                      title={
                        <Typography.Link onClick={() => open(h)} style={{ fontSize: 16 }}>
                          <Highlighted html={h.titleHighlight || h.title} />
                        </Typography.Link>
                      }
                      description={
                        <Space direction="vertical" size={4}>
                          {h.snippet && (
                            <Typography.Text style={{ color: '#444' }}>
                              <Highlighted html={h.snippet} />
                            </Typography.Text>
                          )}
                          <Space size={4} wrap>
                            <Tag>{pick(i18n, typeLabels[h.type])}</Tag>
                            <Tag color={statusColors[h.status]}>{pick(i18n, statusLabels[h.status])}</Tag>
                            {h.category && <Tag color="blue">{h.category}</Tag>}
                            <Typography.Text type="secondary">{h.unitName}</Typography.Text>
                            <Typography.Text type="secondary">{formatTime(h.updatedAt, locale)}</Typography.Text>
                            {h.provenance && <Typography.Text type="secondary">{provenanceLine(i18n, h.provenance)}</Typography.Text>}
                          </Space>
                        </Space>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Col>
        </Row>
      )}
    </Card>
  );
}
