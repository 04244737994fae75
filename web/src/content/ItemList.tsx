import { Button, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import { api } from '../shared/api.ts';
import { assetSrc, categories, pick, provenanceLine, scopeLabels, statusColors, statusLabels, typeLabels } from './model.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { navigate } from '../shared/router.ts';
import { useSession } from '../shared/session.ts';
import { itemStatuses, itemTypes, shareScopes, type ItemStatus, type ItemSummary, type ItemType, type FacetName, type ListOf, type SearchResult, type ShareScope } from '../shared/types.ts';

const PAGE_SIZE = 20;

export interface ItemFilter {
  status?: ItemStatus;
  type?: ItemType;
  category?: string;
  scope?: ShareScope;
}

interface Props {
  view: 'unit' | 'shared' | 'incoming';
  /** Where a title links to: the editor for own items, the read-only view for others'. */
  basePath: string;
  /** Extra per-row actions (采用 in the shared pool). */
  actions?(item: ItemSummary, reload: () => Promise<void>): ReactNode;
  /** Filters offered above the table. */
  filters?: (keyof ItemFilter)[];
  /** Bumped by the parent to force a reload (after a create, say). */
  reloadKey?: number;
}

type FacetCounts = Partial<Record<keyof ItemFilter, Record<string, number>>>;

/** Counts per filter value for the unit's own items, from the search API's facets (none when search is absent). */
async function unitFacets(unitId: string, filter: ItemFilter): Promise<FacetCounts | undefined> {
  try {
    const res = await api.get<SearchResult>('/api/search', { unitId, ...filter, limit: 1, facets: true });
    const counts = (name: FacetName) => Object.fromEntries((res.facets[name] ?? []).map((v) => [v.value, v.count]));
    return { status: counts('status'), type: counts('type'), category: counts('category'), scope: counts('scope') };
  } catch {
    return undefined;
  }
}

/** One table for the hub, the shared pool and the incoming queue: GET /api/items?view=…&filters. */
export function ItemList({ view, basePath, actions, filters = ['status', 'type', 'category', 'scope'], reloadKey = 0 }: Props) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [filter, setFilter] = useState<ItemFilter>({});
  const [page, setPage] = useState(0);
  const { session } = useSession();

  const {
    data: { rows, hasMore, facetCounts },
    loading,
    reload: load,
  } = useLoad(
    async (signal) => {
      const res = await api.get<ListOf<ItemSummary>>('/api/items', { view, ...filter, limit: PAGE_SIZE + 1, offset: page * PAGE_SIZE }, signal);
      const counts = view === 'unit' ? await unitFacets(session.activeUnitId, filter) : undefined;
      return { rows: res.items.slice(0, PAGE_SIZE), hasMore: res.items.length > PAGE_SIZE, facetCounts: counts };
    },
    [view, filter, page, session.activeUnitId, reloadKey],
    { rows: [] as ItemSummary[], hasMore: false, facetCounts: undefined as FacetCounts | undefined },
  );

  const setOne = <K extends keyof ItemFilter>(key: K, value: ItemFilter[K] | undefined) => {
    setPage(0);
    setFilter((f) => ({ ...f, [key]: value }));
  };
  const count = (key: keyof ItemFilter, value: string) => {
    const counts = facetCounts?.[key];
    return counts ? ` (${counts[value] ?? 0})` : '';
  };

  const columns: TableColumnsType<ItemSummary> = [
    {
      title: t('标题', 'Title'),
      key: 'title',
      render: (_, item) => (
        <Space size={12} align="start">
          {item.coverAssetId ? (
            <img src={assetSrc(item.coverAssetId, 'thumb')} alt="" style={{ width: 64, height: 40, objectFit: 'cover', borderRadius: 3 }} loading="lazy" />
          ) : null}
          <Space direction="vertical" size={0}>
            <Typography.Link data-testid="item-title" onClick={() => navigate(`${basePath}/${item.id}`)}>
              {item.title}
            </Typography.Link>
            {item.provenance && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {provenanceLine(i18n, item.provenance)}
              </Typography.Text>
            )}
          </Space>
        </Space>
      ),
    },
    { title: t('类型', 'Type'), key: 'type', width: 80, render: (_, item) => pick(i18n, typeLabels[item.type]) },
    {
      title: t('状态', 'Status'),
      key: 'status',
      width: 110,
      render: (_, item) => <Tag color={statusColors[item.status]}>{pick(i18n, statusLabels[item.status])}</Tag>,
    },
    { title: t('分类', 'Category'), key: 'category', width: 90, render: (_, item) => item.category ?? '—' },
    ...(view === 'unit'
      ? [{ title: t('共享范围', 'Sharing'), key: 'scope', width: 120, render: (_: unknown, item: ItemSummary) => pick(i18n, scopeLabels[item.shareScope]) }]
      : [{ title: t('单位', 'Unit'), key: 'unit', width: 180, render: (_: unknown, item: ItemSummary) => item.unitName }]),
    { title: t('采用', 'Adopted'), key: 'adoptions', width: 70, render: (_, item) => item.adoptionCount },
    { title: t('更新时间', 'Updated'), key: 'updatedAt', width: 170, render: (_, item) => formatTime(item.updatedAt, locale) },
    ...(actions ? [{ title: t('操作', 'Actions'), key: 'actions', width: 120, render: (_: unknown, item: ItemSummary) => actions(item, load) }] : []),
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        {filters.includes('status') && (
          <Select<ItemStatus>
            allowClear
            placeholder={t('状态', 'Status')}
            style={{ width: 150 }}
            value={filter.status}
            onChange={(v) => setOne('status', v)}
            options={itemStatuses.map((s) => ({ value: s, label: pick(i18n, statusLabels[s]) + count('status', s) }))}
          />
        )}
        {filters.includes('type') && (
          <Select<ItemType>
            allowClear
            placeholder={t('类型', 'Type')}
            style={{ width: 120 }}
            value={filter.type}
            onChange={(v) => setOne('type', v)}
            options={itemTypes.map((s) => ({ value: s, label: pick(i18n, typeLabels[s]) + count('type', s) }))}
          />
        )}
        {filters.includes('category') && (
          <Select<string>
            allowClear
            showSearch
            placeholder={t('分类', 'Category')}
            style={{ width: 130 }}
            value={filter.category}
            onChange={(v) => setOne('category', v)}
            options={categories.map((c) => ({ value: c, label: c + count('category', c) }))}
          />
        )}
        {filters.includes('scope') && (
          <Select<ShareScope>
            allowClear
            placeholder={t('共享范围', 'Share scope')}
            style={{ width: 150 }}
            value={filter.scope}
            onChange={(v) => setOne('scope', v)}
            options={shareScopes.map((s) => ({ value: s, label: pick(i18n, scopeLabels[s]) + count('scope', s) }))}
          />
        )}
      </Space>
      <Table<ItemSummary> rowKey="id" size="middle" columns={columns} dataSource={rows} loading={loading} pagination={false} />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={page === 0} onClick={() => setPage(page - 1)}>
          {t('上一页', 'Previous')}
        </Button>
        <Typography.Text>{t(`第 ${page + 1} 页`, `Page ${page + 1}`)}</Typography.Text>
        <Button disabled={!hasMore} onClick={() => setPage(page + 1)}>
          {t('下一页', 'Next')}
        </Button>
      </Space>
    </>
  );
}
