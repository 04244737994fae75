import { Flex, Select, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import type { SearchHit, SearchResult } from '../shared/types.ts';

/** A push links to a story live on the unit's portal: published, or published and since corrected. */
const LIVE = ['published', 'corrected'] as const;

/**
 * 链接稿件: the unit's published stories, searched as the editor types (the hub's Chinese search), newest
 * first before anything is typed. The form keeps the item id; the editor only ever sees titles.
 */
export function StoryPicker({ id, value, onChange }: { id?: string; value?: string; onChange?: (itemId: string | undefined) => void }) {
  const { t, locale } = useI18n();
  const notify = useNotifyError();
  const { session } = useSession();
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const search = useCallback(
    async (q: string) => {
      const ticket = ++latest.current;
      setLoading(true);
      try {
        const pages = await Promise.all(
          LIVE.map((status) => api.get<SearchResult>('/api/search', { q: q.trim() || undefined, status, unitId: session.activeUnitId, facets: false, limit: 20, sort: q.trim() ? undefined : 'time' })),
        );
        // Only the answer to the newest query counts: an older one may arrive last.
        if (ticket !== latest.current) return;
        const merged = pages.flatMap((p) => p.items);
        setHits(q.trim() ? merged.sort((a, b) => b.score - a.score) : merged.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)));
      } catch (err) {
        if (ticket === latest.current) notify(err);
      } finally {
        if (ticket === latest.current) setLoading(false);
      }
    },
    [notify, session.activeUnitId],
  );

  useEffect(() => {
    void search('');
    return () => clearTimeout(timer.current);
  }, [search]);

  return (
    <Select<string>
      id={id}
      showSearch={{
        filterOption: false,
        onSearch: (q) => {
          clearTimeout(timer.current);
          timer.current = setTimeout(() => void search(q), 300);
        },
      }}
      allowClear
      value={value}
      onChange={(v) => onChange?.(v)}
      onClear={() => void search('')}
      loading={loading}
      placeholder={t('输入标题或正文中的词搜索本单位已发布的稿件', 'Search your unit’s published stories')}
      notFoundContent={loading ? t('搜索中…', 'Searching…') : t('没有找到已发布的稿件', 'No published story found')}
      options={hits.map((h) => ({ value: h.id, label: h.title, meta: [h.category, formatTime(h.updatedAt, locale)].filter(Boolean).join(' · ') }))}
      optionRender={(o) => (
        <Flex vertical>
          <span>{o.data.label}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {o.data.meta}
          </Typography.Text>
        </Flex>
      )}
    />
  );
}
