import { CheckOutlined } from '@ant-design/icons';
import { App, Button, Input, Modal, Segmented, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { pick } from '../content.ts';
import { useNotifyError } from '../feedback.ts';
import { formatTime, useI18n } from '../i18n.ts';
import { severityColors, severityLabels } from '../newsroom/model.ts';
import { navigate } from '../router.ts';
import { useRuleLabel } from './FindingItems.tsx';
import type { PatrolAlert } from './model.ts';

const PAGE = 50;

/** 巡查告警: published items re-checked against today's lexicons; resolve with a note, open the item. */
export function AlertsTab() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const ruleLabel = useRuleLabel();
  const [status, setStatus] = useState<'open' | 'resolved' | 'all'>('open');
  const [page, setPage] = useState(1);
  const [items, setItems] = useState<PatrolAlert[]>([]);
  const [loading, setLoading] = useState(true);
  const [resolving, setResolving] = useState<PatrolAlert | null>(null);
  const [resolution, setResolution] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const res = await api.get<{ items: PatrolAlert[] }>('/api/screening/alerts', { status: status === 'all' ? undefined : status, limit: PAGE, offset: (page - 1) * PAGE });
      setItems(res.items);
    } catch (err) {
      notifyError(err);
    } finally {
      setLoading(false);
    }
  }, [notifyError, status, page]);
  useEffect(() => {
    void load();
  }, [load]);

  const resolve = async () => {
    if (!resolving) return;
    setBusy(true);
    try {
      await api.post<PatrolAlert>(`/api/screening/alerts/${resolving.id}/resolve`, { resolution: resolution.trim() || undefined });
      message.success(t('已处理', 'Resolved'));
      setResolving(null);
      setResolution('');
      void load();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="review-alerts">
      <Segmented<'open' | 'resolved' | 'all'>
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => {
          setStatus(v);
          setPage(1);
        }}
        options={[
          { value: 'open', label: t('待处理', 'Open') },
          { value: 'resolved', label: t('已处理', 'Resolved') },
          { value: 'all', label: t('全部', 'All') },
        ]}
      />
      <Table<PatrolAlert>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={items}
        pagination={{ current: page, pageSize: PAGE, total: (page - 1) * PAGE + items.length + (items.length === PAGE ? 1 : 0), onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('级别', 'Severity'), key: 'severity', width: 110, render: (_, r) => <Tag color={severityColors[r.severity]}>{pick(i18n, severityLabels[r.severity])}</Tag> },
          { title: t('规则', 'Rule'), key: 'rule', width: 130, render: (_, r) => ruleLabel(r.rule) },
          {
            title: t('问题', 'Problem'),
            key: 'message',
            render: (_, r) => (
              <>
                <div>{r.message}</div>
                {r.excerpt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.field === 'title' ? t('标题：', 'Title: ') : t('正文：', 'Body: ')}
                    {r.excerpt}
                  </Typography.Text>
                )}
              </>
            ),
          },
          {
            title: t('稿件', 'Item'),
            key: 'item',
            width: 110,
            render: (_, r) => (
              <Typography.Link onClick={() => navigate(`/items/${r.itemId}`)} data-testid="alert-item">
                {t('打开稿件', 'Open item')}
              </Typography.Link>
            ),
          },
          { title: t('发现时间', 'Found'), key: 'createdAt', width: 170, render: (_, r) => formatTime(r.createdAt, locale) },
          {
            title: t('处理', 'Resolution'),
            key: 'resolve',
            width: 200,
            render: (_, r) =>
              r.status === 'open' ? (
                <Button size="small" icon={<CheckOutlined />} onClick={() => setResolving(r)} data-testid="alert-resolve">
                  {t('处理', 'Resolve')}
                </Button>
              ) : (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(r.resolvedAt, locale)}
                  {r.resolution ? ` · ${r.resolution}` : ''}
                </Typography.Text>
              ),
          },
        ]}
      />
      {resolving && (
        <Modal open title={t('处理巡查告警', 'Resolve the alert')} onCancel={() => setResolving(null)} onOk={resolve} okButtonProps={{ loading: busy, 'data-testid': 'alert-resolve-confirm' }} okText={t('标记为已处理', 'Mark resolved')}>
          <Typography.Paragraph>{resolving.message}</Typography.Paragraph>
          <Input.TextArea value={resolution} onChange={(e) => setResolution(e.target.value)} maxLength={1000} autoSize={{ minRows: 3 }} placeholder={t('处理说明（可选），例如：已更正原文', 'What was done (optional), e.g. corrected the text')} />
        </Modal>
      )}
    </div>
  );
}
