import { Alert, Button, Card, Col, Row, Select, Space, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import type { AuditChainReport, AuditEntry } from '../shared/types.ts';
import { buildTree, isWithin, unitTreeSelectData, useUnits } from '../alliance/units.ts';
import { auditActionLabel, auditDomainFilters, auditTargetLabels } from '../../../src/shared/audit-labels.ts';

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

/**
 * 审计链状态: the whole chain recomputed, shown to the alliance root's admins and supervisors (the only
 * ones the route answers); a broken chain lists what was edited, deleted or forged.
 */
function ChainStatus() {
  const { t } = useI18n();
  const [report, setReport] = useState<AuditChainReport | null>(null);
  const [checking, setChecking] = useState(false);
  const [failed, setFailed] = useState(false);
  const check = useCallback(async () => {
    setChecking(true);
    try {
      setReport(await api.get<AuditChainReport>('/api/audit/verify'));
      setFailed(false);
    } catch {
      setFailed(true);
    } finally {
      setChecking(false);
    }
  }, []);
  useEffect(() => {
    void check();
  }, [check]);
  const again = (
    <Button size="small" loading={checking} onClick={() => void check()}>
      {t('重新校验', 'Check again')}
    </Button>
  );
  if (failed) return <Alert style={{ marginBottom: 16 }} type="warning" showIcon message={t('审计链校验未能完成', 'The audit chain could not be checked')} action={again} />;
  if (!report) return null;
  const summary = t(
    `已校验 ${report.checked} 条，链头 #${report.head?.seq ?? 0}，待封存 ${report.unsealed} 条，算法 ${report.alg.toUpperCase()}`,
    `${report.checked} rows checked, head #${report.head?.seq ?? 0}, ${report.unsealed} awaiting sealing, ${report.alg.toUpperCase()}`,
  );
  return (
    <Alert
      data-testid="audit-chain-status"
      style={{ marginBottom: 16 }}
      type={report.intact ? 'success' : 'error'}
      showIcon
      message={report.intact ? t('审计链完整', 'Audit chain intact') : t(`审计链发现 ${report.findingCount} 处问题`, `Audit chain: ${report.findingCount} problem(s) found`)}
      description={
        <div>
          <div>{summary}</div>
          {report.findings.slice(0, 10).map((f, i) => (
            <div key={i}>
              <Tag color="red">{f.kind}</Tag>
              {t(f.detail, f.detailEn)}
            </div>
          ))}
        </div>
      }
      action={again}
    />
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
    { title: t('动作', 'Action'), key: 'action', render: (_, a) => <Tag title={a.action}>{t(...auditActionLabel(a.action))}</Tag> },
    {
      title: t('对象', 'Target'),
      key: 'target',
      render: (_, a) => (
        <span>
          {auditTargetLabels[a.targetType] ? t(...auditTargetLabels[a.targetType]) : a.targetType}
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
      {session.can.verifyAuditChain && <ChainStatus />}
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
        <Select
          allowClear
          placeholder={t('按动作类别筛选', 'Filter by kind of action')}
          options={auditDomainFilters.map((d) => ({ value: d.prefix, label: t(...d.label) }))}
          onChange={(prefix?: string) => setAction(prefix ?? '')}
          style={{ width: 200 }}
          data-testid="audit-action-filter"
        />
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
