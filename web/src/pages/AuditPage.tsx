import { Button, Card, Col, Input, Row, Space, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api.ts';
import { useNotifyError } from '../feedback.ts';
import { formatTime, useI18n } from '../i18n.ts';
import { useSession } from '../session.ts';
import type { AuditEntry } from '../types.ts';
import { buildTree, isWithin, unitTreeSelectData, useUnits } from '../units.ts';

const PAGE = 50;

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <div>
      <Typography.Text strong>{label}</Typography.Text>
      <pre style={{ margin: '4px 0 0', padding: 8, background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 4, maxHeight: 320, overflow: 'auto', fontSize: 12 }}>
        {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}

/** 审计日志: who did what, where and when in the active unit's subtree; newest first, paged by id. */
export default function AuditPage() {
  const { session } = useSession();
  const { t, locale } = useI18n();
  const notifyError = useNotifyError();
  const { units } = useUnits();
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const unitOptions = useMemo(
    () => unitTreeSelectData(buildTree(units), (u) => isWithin(byId, u.id, session.activeUnitId)),
    [units, byId, session.activeUnitId],
  );

  const [unitId, setUnitId] = useState<string | undefined>();
  const [action, setAction] = useState('');
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);

  const fetchPage = useCallback(
    async (before: number | null) => {
      setLoading(true);
      try {
        const res = await api.get<{ items: AuditEntry[]; nextBefore: number | null }>('/api/audit', { unitId, action, before, limit: PAGE });
        setRows((prev) => (before === null ? res.items : [...prev, ...res.items]));
        setNextBefore(res.nextBefore);
      } catch (err) {
        notifyError(err);
      } finally {
        setLoading(false);
      }
    },
    [unitId, action, notifyError],
  );

  useEffect(() => {
    void fetchPage(null);
  }, [fetchPage]);

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('时间', 'Time'), key: 'at', width: 190, render: (_, a) => formatTime(a.at, locale) },
    { title: t('单位', 'Unit'), dataIndex: 'unitName', key: 'unitName' },
    { title: t('操作人', 'Actor'), key: 'actor', render: (_, a) => a.actorName ?? <Typography.Text type="secondary">{t('系统', 'system')}</Typography.Text> },
    { title: t('动作', 'Action'), key: 'action', render: (_, a) => <Tag>{a.action}</Tag> },
    {
      title: t('对象', 'Target'),
      key: 'target',
      render: (_, a) => (
        <span>
          {a.targetType}
          {a.targetId && (
            <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontSize: 12 }} copyable={{ text: a.targetId }}>
              {a.targetId.slice(0, 8)}
            </Typography.Text>
          )}
        </span>
      ),
    },
  ];

  return (
    <Card title={t('审计日志', 'Audit log')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder={t('按单位筛选', 'Filter by unit')}
          treeData={unitOptions}
          value={unitId}
          onChange={(value?: string) => setUnitId(value)}
          style={{ width: 280 }}
        />
        <Input.Search allowClear placeholder={t('动作，如 user.create', 'Action, e.g. user.create')} onSearch={(v) => setAction(v.trim())} style={{ width: 240 }} />
      </Space>
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={false}
        expandable={{
          expandedRowRender: (a) => (
            <Row gutter={16}>
              <Col span={12}>
                <Json label={t('变更前', 'Before')} value={a.before} />
              </Col>
              <Col span={12}>
                <Json label={t('变更后', 'After')} value={a.after} />
              </Col>
              {a.requestId && (
                <Col span={24}>
                  <Typography.Text type="secondary">
                    {t('请求编号', 'Request id')}: {a.requestId}
                  </Typography.Text>
                </Col>
              )}
            </Row>
          ),
        }}
      />
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        {nextBefore !== null ? (
          <Button loading={loading} onClick={() => fetchPage(nextBefore)}>
            {t('加载更多', 'Load more')}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">{t('没有更多了', 'No more entries')}</Typography.Text>
        )}
      </div>
    </Card>
  );
}
