import { HistoryOutlined, RollbackOutlined } from '@ant-design/icons';
import { App, Button, Drawer, List, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import { useNotifyError } from '../../shared/feedback.ts';
import { formatTime, useI18n } from '../../shared/i18n.ts';
import { useLoad } from '../../shared/useLoad.ts';
import type { Item, ItemDiff, ListOf, Revision } from '../../shared/types.ts';
import { DiffView } from './DiffView.tsx';

interface Props {
  item: Item;
  onClose(): void;
  /** After a restore: the item as the server now has it (a new revision equal to the old one). */
  onRestored(item: Item): void;
  /** The person has edits not yet saved as a revision: a restore drops them, so the question says so. */
  unsaved: boolean;
}

/** 修订历史: every save with intent is a revision (autosaves are not); compare any one with the one before it or with the current, and restore. */
export function RevisionDrawer({ item, onClose, onRestored, unsaved }: Props) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [compare, setCompare] = useState<{ from: number; to: number } | null>(null);
  const [diff, setDiff] = useState<ItemDiff | null>(null);
  const [diffLoading, setDiffLoading] = useState(false);

  const { data: revisions, loading } = useLoad<Revision[]>(
    async (signal) => [...(await api.get<ListOf<Revision>>(`/api/items/${item.id}/revisions`, undefined, signal)).items].sort((a, b) => b.number - a.number),
    [item.id, item.revision],
    [],
  );

  useEffect(() => {
    if (!compare) return;
    let live = true;
    setDiffLoading(true);
    api
      .get<ItemDiff>(`/api/items/${item.id}/diff`, compare)
      .then((d) => live && setDiff(d))
      .catch((err: unknown) => live && notifyError(err))
      .finally(() => live && setDiffLoading(false));
    return () => {
      live = false;
    };
  }, [compare, item.id, notifyError]);

  const restore = async (n: number) => {
    try {
      const restored = await api.post<Item>(`/api/items/${item.id}/revisions/${n}/restore`, {});
      message.success(t(`已恢复到第 ${n} 版（保存为第 ${restored.revision} 版）`, `Restored revision ${n} (saved as revision ${restored.revision})`));
      setCompare(null);
      setDiff(null);
      onRestored(restored);
    } catch (err) {
      notifyError(err);
    }
  };

  return (
    <Drawer open width={720} title={t('修订历史', 'Revision history')} onClose={onClose} data-testid="revision-drawer">
      <List<Revision>
        loading={loading}
        size="small"
        dataSource={revisions}
        renderItem={(r) => (
          <List.Item
            actions={[
              r.number > 1 && (
                <Button key="prev" size="small" type="link" onClick={() => setCompare({ from: r.number - 1, to: r.number })}>
                  {t('本次修改', 'Changes')}
                </Button>
              ),
              r.number !== item.revision && (
                <Button key="cur" size="small" type="link" onClick={() => setCompare({ from: r.number, to: item.revision })}>
                  {t('与当前版比较', 'Compare with current')}
                </Button>
              ),
              r.number !== item.revision && item.canEdit && (
                <Popconfirm key="restore" title={
                    unsaved
                      ? t(`恢复到第 ${r.number} 版？你还没存为版本的修改会被放弃。`, `Restore revision ${r.number}? Your edits not yet saved as a revision are dropped.`)
                      : t(`恢复到第 ${r.number} 版？当前内容会保留在历史中。`, `Restore revision ${r.number}? The current text stays in the history.`)
                  } onConfirm={() => restore(r.number)}>
                  <Button size="small" icon={<RollbackOutlined />}>
                    {t('恢复', 'Restore')}
                  </Button>
                </Popconfirm>
              ),
            ].filter(Boolean)}
          >
            <List.Item.Meta
              avatar={<HistoryOutlined />}
              title={
                <Space>
                  <span>{t(`第 ${r.number} 版`, `Revision ${r.number}`)}</span>
                  {r.number === item.revision && <Tag color="green">{t('当前', 'Current')}</Tag>}
                  {compare && (compare.to === r.number || compare.from === r.number) && <Tag color="blue">{t('对比中', 'Comparing')}</Tag>}
                </Space>
              }
              description={`${formatTime(r.createdAt, locale)} · ${r.authorName ?? t('系统', 'System')}${r.note ? ` · ${r.note}` : ''}`}
            />
          </List.Item>
        )}
      />
      {compare && (
        <div style={{ marginTop: 16, borderTop: '1px solid #f0f0f0', paddingTop: 12 }}>
          <Typography.Title level={5}>{t(`第 ${compare.from} 版 → 第 ${compare.to} 版`, `Revision ${compare.from} → ${compare.to}`)}</Typography.Title>
          {diffLoading || !diff ? <Spin /> : <DiffView diff={diff} />}
        </div>
      )}
    </Drawer>
  );
}
