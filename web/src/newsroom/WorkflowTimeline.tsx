import { Empty, Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { pick, statusLabels } from '../content/model.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import type { ItemStatus } from '../shared/types.ts';
import { transitionLabels, type ReviewPolicy, type Transition } from './model.ts';

const colors: Record<string, string> = { approve: 'green', submit: 'blue', return: 'orange', reject: 'red', retract: 'red', publish: 'green', edit_return: 'gray', edit_correction: 'gray' };

const statusText = (i18n: ReturnType<typeof useI18n>, s: string) => (s in statusLabels ? pick(i18n, statusLabels[s as ItemStatus]) : s);

/** 流程时间线: every move of the item, who made it, at which level, with comments and overrides. */
export function WorkflowTimeline({ itemId, policy, reloadKey = 0 }: { itemId: string; policy?: ReviewPolicy | null; reloadKey?: string | number }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [rows, setRows] = useState<Transition[] | null>(null);

  const load = useCallback(async () => {
    try {
      setRows((await api.get<{ items: Transition[] }>(`/api/items/${itemId}/timeline`)).items);
    } catch {
      setRows([]);
    }
  }, [itemId]);
  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  if (!rows) return <Spin />;
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('还没有流转记录', 'No moves yet')} />;

  const levelName = (n: number | null) => (n === null ? null : (policy?.levels[n - 1]?.name ?? t(`第 ${n} 级`, `level ${n}`)));
  // newest first: what happened last is what a person looks for
  const ordered = [...rows].sort((a, b) => b.id - a.id);
  return (
    <div data-testid="timeline">
      <Timeline
        items={ordered.map((r) => {
          const label = transitionLabels[r.action];
          const lvl = ['approve', 'return', 'reject'].includes(r.action) ? levelName(r.level) : null;
          return {
            key: r.id,
            color: colors[r.action] ?? 'blue',
            content: (
              <div data-testid="timeline-entry" data-action={r.action}>
                <div>
                  <Typography.Text strong>{r.actorName ?? t('系统', 'System')}</Typography.Text>{' '}
                  {lvl && <Tag>{lvl}</Tag>}
                  <Typography.Text>{label ? pick(i18n, label) : r.action}</Typography.Text>
                  <Typography.Text type="secondary">
                    {' '}
                    · {statusText(i18n, r.fromStatus)} → {statusText(i18n, r.toStatus)} · {t(`第 ${r.revision} 版`, `rev. ${r.revision}`)}
                  </Typography.Text>
                </div>
                {r.comment && (
                  <div style={{ background: '#fafafa', borderLeft: '3px solid #faad14', padding: '4px 8px', margin: '4px 0' }} data-testid="timeline-comment">
                    {r.comment}
                  </div>
                )}
                {r.overrideReason && (
                  <Typography.Text type="danger" style={{ display: 'block' }}>
                    {t(`放行自动审核：${r.overrideReason}`, `Overrode the automatic checks: ${r.overrideReason}`)}
                  </Typography.Text>
                )}
                {r.findings.length > 0 && (
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {t(`自动审核：${r.findings.length} 项发现`, `Automatic checks: ${r.findings.length} finding(s)`)}
                  </Typography.Text>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(r.at, locale)}
                </Typography.Text>
              </div>
            ),
          };
        })}
      />
    </div>
  );
}
