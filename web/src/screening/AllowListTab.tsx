import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Input, Popconfirm, Row, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { pick } from '../content/model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { useSession } from '../shared/session.ts';
import { ProposalsCard } from './ProposalsCard.tsx';
import { scopeLabels, type AllowList, type AllowTerm, type Scope } from './model.ts';

/** 白名单: terms never flagged, alliance-wide (alliance admin) and for my unit. */
export function AllowListTab() {

  const { data: list, loading, reload: load } = useLoad<AllowList | null>((signal) => api.get<AllowList>('/api/screening/allow-list', undefined, signal), [], null);

  return (
    <Row gutter={16}>
      <Col span={24}>
        <ProposalsCard onDecided={load} />
      </Col>
      {(['alliance', 'unit'] as const).map((scope) => (
        <Col xs={24} xl={12} key={scope}>
          <AllowScope scope={scope} terms={list?.[scope] ?? []} loading={loading} onChanged={load} />
        </Col>
      ))}
    </Row>
  );
}

function AllowScope({ scope, terms, loading, onChanged }: { scope: Scope; terms: AllowTerm[]; loading: boolean; onChanged(): void }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { session } = useSession();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState('');
  const mayEdit = scope === 'alliance' ? session.can.manageAllianceScreening : session.can.manageUnitScreening;

  const change = async (body: { add?: string[]; remove?: string[] }) => {
    setBusy(true);
    try {
      const res = await api.post<{ added: number; removed: number }>('/api/screening/allow-list', { scope, ...body });
      message.success(t(`已加入 ${res.added} 个，移出 ${res.removed} 个`, `${res.added} added, ${res.removed} removed`));
      setDraft('');
      onChanged();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  const add = () => {
    const words = [...new Set(draft.split(/[\s,，、;；]+/).map((w) => w.trim()).filter(Boolean))];
    if (words.length) void change({ add: words });
  };
  const shown = filter ? terms.filter((x) => x.term.includes(filter)) : terms;

  return (
    <Card size="small" title={pick(i18n, scopeLabels[scope])} data-testid={`allow-${scope}`} style={{ marginBottom: 16 }}>
      {mayEdit && (
        <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
          <Input value={draft} onChange={(e) => setDraft(e.target.value)} onPressEnter={add} placeholder={t('加入白名单，多个词用空格或逗号分隔', 'Add terms, separated by spaces or commas')} data-testid={`allow-input-${scope}`} />
          <Button type="primary" icon={<PlusOutlined />} loading={busy} onClick={add} data-testid={`allow-add-${scope}`}>
            {t('加入', 'Add')}
          </Button>
        </Space.Compact>
      )}
      <Input.Search allowClear placeholder={t('筛选', 'Filter')} onSearch={setFilter} onChange={(e) => !e.target.value && setFilter('')} style={{ marginBottom: 8 }} />
      <Table<AllowTerm>
        rowKey="term"
        size="small"
        loading={loading}
        dataSource={shown}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('词', 'Term'), dataIndex: 'term', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: t('说明', 'Note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          { title: t('加入时间', 'Added'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatTime(v, locale) },
          ...(mayEdit
            ? [
                {
                  title: t('操作', 'Actions'),
                  key: 'remove',
                  width: 80,
                  render: (_: unknown, r: AllowTerm) => (
                    <Popconfirm title={t(`将“${r.term}”移出白名单？`, `Remove “${r.term}”?`)} onConfirm={() => change({ remove: [r.term] })}>
                      <Button size="small" danger type="text" icon={<DeleteOutlined />} aria-label={t('移出', 'Remove')} />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
