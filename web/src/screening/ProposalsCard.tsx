import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Table, Typography } from 'antd';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import { useLoad } from '../shared/useLoad.ts';
import { useRuleLabel } from './FindingItems.tsx';
import type { Proposal } from './model.ts';

/** 「不是问题」 waiting for a chief editor: approve (joins the unit's allow-list) or reject. */
export function ProposalsCard({ onDecided }: { onDecided(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { session } = useSession();
  const ruleLabel = useRuleLabel();
  const { data, loading, reload } = useLoad<Proposal[]>(
    (signal) => api.get<{ items: Proposal[] }>('/api/screening/allow-proposals', { status: 'pending' }, signal).then((r) => r.items),
    [],
    [],
  );
  const decide = async (p: Proposal, decision: 'approve' | 'reject') => {
    try {
      await api.post(`/api/screening/allow-proposals/${p.id}/decide`, { decision });
      message.success(decision === 'approve' ? t(`“${p.term}”已加入本单位白名单`, `“${p.term}” allowed`) : t('已驳回', 'Rejected'));
      reload();
      onDecided();
    } catch (err) {
      notifyError(err);
    }
  };
  if (!session.can.proposeNotProblem) return null;
  return (
    <Card size="small" title={t('“不是问题”待主编确认', 'Not-a-problem requests')} data-testid="allow-proposals" style={{ marginBottom: 16 }}>
      <Table<Proposal>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data}
        pagination={false}
        locale={{ emptyText: t('没有待确认的申请', 'Nothing waiting') }}
        columns={[
          { title: t('放行的短语', 'Phrase'), dataIndex: 'term', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: t('规则', 'Rule'), dataIndex: 'rule', render: (v: string) => ruleLabel(v) },
          { title: t('理由', 'Why'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          { title: t('申请人', 'By'), dataIndex: 'proposedByName', render: (v: string | null, r) => `${v ?? '—'} · ${formatTime(r.proposedAt, locale)}` },
          ...(session.can.decideNotProblem
            ? [
                {
                  title: t('操作', 'Actions'),
                  key: 'decide',
                  width: 150,
                  render: (_: unknown, r: Proposal) => (
                    <Space size={4}>
                      <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => decide(r, 'approve')} data-testid="proposal-approve">
                        {t('同意', 'Approve')}
                      </Button>
                      <Button size="small" icon={<CloseOutlined />} onClick={() => decide(r, 'reject')} data-testid="proposal-reject">
                        {t('驳回', 'Reject')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
