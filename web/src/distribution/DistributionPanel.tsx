import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../api.ts';
import { formatTime, useI18n } from '../i18n.ts';
import { useSession } from '../session.ts';
import { type Delivery, deliveryActionLabels, deliveryStatusLabels, type ItemDistribution, channelKindLabels } from './channels.ts';

const retryRoles = ['chief_editor', 'unit_admin', 'alliance_admin'];

/** On the item page: where the story went, per channel — status, attempts, the error, the link on the channel. */
export function DistributionPanel({ itemId, reloadKey }: { itemId: string; reloadKey?: string }) {
  const { t, lang, locale } = useI18n();
  const { message } = App.useApp();
  const { session } = useSession();
  const [data, setData] = useState<ItemDistribution | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await api.get<ItemDistribution>(`/api/items/${itemId}/distribution`));
    } catch {
      setData(null);
    }
  }, [itemId]);
  useEffect(() => {
    void load();
  }, [load, reloadKey]);
  // Deliveries settle in the background: look again while any is still on its way.
  useEffect(() => {
    const pending = data?.channels.some((c) => ['queued', 'sending', 'unknown'].includes(c.latest.status));
    if (!pending) return;
    const timer = setTimeout(() => void load(), 3000);
    return () => clearTimeout(timer);
  }, [data, load]);

  const retry = async (d: Delivery) => {
    try {
      await api.post(`/api/deliveries/${d.id}/retry`);
      message.success(t('已重新排队投递', 'Queued again'));
      void load();
    } catch (err) {
      message.error(describeError(err, lang));
    }
  };

  if (!data) return null;
  if (!data.channels.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('尚未投递到任何渠道', 'Not delivered to any channel yet')} />;
  const mayRetry = retryRoles.includes(session.role);
  const rows = data.channels.map((c) => ({ key: c.channelId, ...c }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="distribution-panel">
      <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} data-testid="distribution-refresh">
        {t('刷新', 'Refresh')}
      </Button>
      <Table
        size="small"
        pagination={false}
        dataSource={rows}
        rowClassName={() => 'distribution-row'}
        columns={[
          {
            title: t('渠道', 'Channel'),
            render: (_, c) => (
              <span data-testid={`distribution-${c.channelName}`}>
                {c.channelName} <Tag>{t(...channelKindLabels[c.channelKind])}</Tag>
              </span>
            ),
          },
          { title: t('动作', 'Action'), render: (_, c) => `${t(...deliveryActionLabels[c.latest.action])} · ${t(`第 ${c.latest.revision} 版`, `rev. ${c.latest.revision}`)}` },
          {
            title: t('状态', 'Status'),
            render: (_, c) => {
              const s = deliveryStatusLabels[c.latest.status];
              return (
                <Tag color={s.color} data-testid="delivery-status" data-status={c.latest.status}>
                  {lang === 'zh' ? s.zh : s.en}
                </Tag>
              );
            },
          },
          { title: t('尝试', 'Attempts'), render: (_, c) => c.latest.attempts },
          {
            title: t('结果', 'Result'),
            render: (_, c) => (
              <Space orientation="vertical" size={0}>
                {c.latest.remoteUrl && (
                  <Typography.Link href={c.latest.remoteUrl} target="_blank" rel="noreferrer">
                    {t('查看', 'Open')}
                  </Typography.Link>
                )}
                {c.latest.lastError && c.latest.status !== 'delivered' && (
                  <Typography.Text type="danger" data-testid="delivery-error">
                    {c.latest.lastError}
                  </Typography.Text>
                )}
                {c.latest.note && <Typography.Text type="secondary">{c.latest.note}</Typography.Text>}
                {c.latest.nextAttemptAt && <Typography.Text type="secondary">{t(`下次尝试 ${formatTime(c.latest.nextAttemptAt, locale)}`, `Next try ${formatTime(c.latest.nextAttemptAt, locale)}`)}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: '',
            render: (_, c) =>
              c.latest.status === 'failed' && mayRetry ? (
                <Tooltip title={t('修正渠道设置后可重新投递', 'Fix the channel settings, then retry')}>
                  <Button size="small" onClick={() => void retry(c.latest)} data-testid="delivery-retry">
                    {t('重试', 'Retry')}
                  </Button>
                </Tooltip>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}
