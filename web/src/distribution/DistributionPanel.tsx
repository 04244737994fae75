import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Empty, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../shared/api.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import { type Delivery, deliveryActionLabels, deliveryStatusLabels, type ItemDistribution, channelKindLabels } from './channels.ts';


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
  const mayRetry = session.can.retryDeliveries;
  // The panel sits in the editor's narrow side column: one compact block per channel, not a wide table.
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="distribution-panel">
      <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} data-testid="distribution-refresh">
        {t('刷新', 'Refresh')}
      </Button>
      {data.channels.map((c) => {
        const d = c.latest;
        const s = deliveryStatusLabels[d.status];
        return (
          <div key={c.channelId} data-testid={`distribution-${c.channelName}`} style={{ borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
            <Space wrap size={4}>
              <Typography.Text strong>{c.channelName}</Typography.Text>
              <Tag>{t(...channelKindLabels[c.channelKind])}</Tag>
            </Space>
            <div>
              <Space wrap size={4}>
                <Tag color={s.color} data-testid="delivery-status" data-status={d.status}>
                  {lang === 'zh' ? s.zh : s.en}
                </Tag>
                <Typography.Text type="secondary">
                  {t(...deliveryActionLabels[d.action])} · {t(`第 ${d.revision} 版`, `rev. ${d.revision}`)} · {t(`尝试 ${d.attempts} 次`, `${d.attempts} attempt(s)`)}
                </Typography.Text>
                {d.remoteUrl && (
                  <Typography.Link href={d.remoteUrl} target="_blank" rel="noreferrer">
                    {t('查看', 'Open')}
                  </Typography.Link>
                )}
                {d.status === 'failed' && mayRetry && (
                  <Tooltip title={t('修正渠道设置后可重新投递', 'Fix the channel settings, then retry')}>
                    <Button size="small" onClick={() => void retry(d)} data-testid="delivery-retry">
                      {t('重试', 'Retry')}
                    </Button>
                  </Tooltip>
                )}
              </Space>
            </div>
            {d.lastError && d.status !== 'delivered' && (
              <Typography.Paragraph type="danger" style={{ marginBottom: 0, fontSize: 12 }} data-testid="delivery-error">
                {d.lastError}
              </Typography.Paragraph>
            )}
            {d.note && (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0, fontSize: 12 }}>
                {d.note}
              </Typography.Paragraph>
            )}
            {d.nextAttemptAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`下次尝试 ${formatTime(d.nextAttemptAt, locale)}`, `Next try ${formatTime(d.nextAttemptAt, locale)}`)}
              </Typography.Text>
            )}
          </div>
        );
      })}
    </Space>
  );
}
