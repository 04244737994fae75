import { ArrowLeftOutlined, CalendarOutlined, CheckOutlined, CloseOutlined, EditOutlined, RollbackOutlined, SafetyCertificateOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Col, Empty, Result, Row, Segmented, Space, Spin, Steps, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { pick, statusColors, typeLabels } from '../content/model.ts';
import { DiffView } from '../content/editor/DiffView.tsx';
import '../content/editor/editor.css';
import { RichEditor } from '../content/editor/RichEditor.tsx';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { ActionDialog } from './ActionDialog.tsx';
import { FindingsList } from './FindingsList.tsx';
import { ItemFindingsPanel } from '../screening/ItemFindingsPanel.tsx';
import { actionLabels, isFinalLevel, workflowStatusText, type QueueItem, type ReviewPolicy, type WorkflowAction, type WorkflowState } from './model.ts';
import { useLiveUpdates } from './notifications.tsx';
import { WorkflowTimeline } from './WorkflowTimeline.tsx';
import { navigate, usePath } from '../shared/router.ts';
import type { Item, ItemDiff } from '../shared/types.ts';

/** 审核: the queue at the levels this person reviews; /review/:id opens one item for a decision. */
export default function NewsroomReviewPage() {
  const path = usePath();
  const id = path.startsWith('/review/') ? decodeURIComponent(path.slice('/review/'.length)) : null;
  if (id) return <ReviewItem key={id} id={id} />;
  return <ReviewQueue />;
}

function ReviewQueue() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [level, setLevel] = useState<number | 'all'>('all');

  const {
    data: { policy, items },
    loading,
    refresh: load,
  } = useLoad((signal) => api.get<{ policy: ReviewPolicy | null; items: QueueItem[] }>('/api/review/queue', undefined, signal), [], { policy: null, items: [] });
  useLiveUpdates(() => void load(), { kinds: ['review_needed'], pollMs: 30_000 });

  const counts = useMemo(() => {
    const c = new Map<number, number>();
    for (const i of items) c.set(i.level, (c.get(i.level) ?? 0) + 1);
    return c;
  }, [items]);
  const shown = level === 'all' ? items : items.filter((i) => i.level === level);

  const columns: TableColumnsType<QueueItem> = [
    {
      title: t('标题', 'Title'),
      key: 'title',
      render: (_, r) => (
        <Typography.Link onClick={() => navigate(`/review/${r.id}`)} data-testid="queue-title">
          {r.title}
        </Typography.Link>
      ),
    },
    { title: t('类型', 'Type'), key: 'type', width: 80, render: (_, r) => pick(i18n, typeLabels[r.type]) },
    {
      title: t('审级', 'Level'),
      key: 'level',
      width: 160,
      render: (_, r) => <Tag color={statusColors[r.status]}>{workflowStatusText(i18n, r.status, r.levelName)}</Tag>,
    },
    { title: t('版本', 'Revision'), key: 'revision', width: 80, render: (_, r) => t(`第 ${r.revision} 版`, `rev. ${r.revision}`) },
    { title: t('作者', 'Author'), key: 'author', width: 140, render: (_, r) => r.authorName ?? '—' },
    { title: t('送审时间', 'Updated'), key: 'updatedAt', width: 170, render: (_, r) => formatTime(r.updatedAt, locale) },
    {
      title: t('操作', 'Actions'),
      key: 'open',
      width: 90,
      render: (_, r) => (
        <Button size="small" type="primary" onClick={() => navigate(`/review/${r.id}`)}>
          {t('审核', 'Review')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={t('审核', 'Review')}
      extra={policy && <Typography.Text type="secondary">{t(`本单位流程：${policy.levels.map((l) => l.name).join(' → ')} → 签发`, `Chain: ${policy.levels.map((l) => l.name).join(' → ')} → sign-off`)}</Typography.Text>}
      data-testid="review-queue"
    >
      <Segmented<number | 'all'>
        style={{ marginBottom: 16 }}
        value={level}
        onChange={setLevel}
        options={[
          {
            value: 'all',
            label: (
              <Space size={6}>
                {t('全部', 'All')}
                <Badge count={items.length} showZero size="small" color={items.length ? '#c41d2f' : '#bfbfbf'} />
              </Space>
            ),
          },
          ...(policy?.levels ?? []).map((l, i) => ({
            value: i + 1,
            label: (
              <Space size={6} data-testid="queue-level" data-count={counts.get(i + 1) ?? 0}>
                {l.name}
                <Badge count={counts.get(i + 1) ?? 0} showZero size="small" color={counts.get(i + 1) ? '#faad14' : '#bfbfbf'} />
              </Space>
            ),
          })),
        ]}
      />
      <Table<QueueItem>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={shown}
        pagination={false}
        locale={{ emptyText: <Empty description={t('没有待你审核的稿件', 'Nothing waiting for your review')} /> }}
      />
    </Card>
  );
}

function ReviewItem({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, locale, lang } = i18n;
  const [item, setItem] = useState<Item | null>(null);
  const [state, setState] = useState<WorkflowState | null>(null);
  const [diff, setDiff] = useState<ItemDiff | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [acting, setActing] = useState<WorkflowAction | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  const load = useCallback(async () => {
    try {
      const [it, wf] = await Promise.all([api.get<Item>(`/api/items/${id}`), api.get<WorkflowState>(`/api/items/${id}/workflow`)]);
      setItem(it);
      setState(wf);
      const from = wf.lastApprovedRevision;
      setDiff(from !== null && from < wf.revision ? await api.get<ItemDiff>(`/api/items/${id}/diff`, { from, to: wf.revision }) : null);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  if (error) {
    return (
      <Result
        status={error instanceof ApiError && error.status === 404 ? '404' : 'error'}
        title={error instanceof ApiError ? (lang === 'zh' ? error.detail : error.detailEn) : String(error)}
        extra={<Button onClick={() => navigate('/review')}>{t('返回审核队列', 'Back to the queue')}</Button>}
      />
    );
  }
  if (!item || !state) return <Spin />;

  const inChain = state.status === 'submitted' || state.status === 'in_review';
  const mayReview = state.mayReview;
  const final = inChain && state.level !== null && isFinalLevel(state.policy, state.level, item.type);
  const from = state.lastApprovedRevision;
  const published = state.publishedRevision !== null && (state.status === 'published' || state.status === 'corrected');
  // once signed off the signer may publish or schedule right here; unscheduling and retraction stay in the editor
  const publishing = state.status === 'signed_off' ? state.yourActions.filter((a) => a === 'publish' || a === 'schedule') : [];
  const current = state.level ? state.level - 1 : state.status === 'draft' ? -1 : state.policy.levels.length;

  return (
    <div data-testid="review-item">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/review')}>
            {t('审核队列', 'Queue')}
          </Button>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="review-title">
            {item.title}
          </Typography.Title>
          <Tag>{pick(i18n, typeLabels[item.type])}</Tag>
          <Tag color={statusColors[state.status]} data-testid="review-status">
            {workflowStatusText(i18n, state.status, state.levelName)}
          </Tag>
          <Typography.Text type="secondary">{t(`第 ${state.revision} 版 · 第 ${state.round} 轮`, `revision ${state.revision} · round ${state.round}`)}</Typography.Text>
        </Space>
        <Button icon={<EditOutlined />} onClick={() => navigate(`/items/${item.id}`)}>
          {t('在编辑器中打开', 'Open in the editor')}
        </Button>
      </Space>

      <Steps
        size="small"
        style={{ marginBottom: 16 }}
        current={Math.max(current, 0)}
        status={state.status === 'archived' || state.status === 'retracted' ? 'error' : undefined}
        items={[
          ...state.policy.levels.map((l) => ({
            title: l.name,
            content: l.skipTypes?.includes(item.type) ? t('此类型跳过', 'skipped for this type') : undefined,
            disabled: true,
          })),
          { title: t('签发', 'Sign-off') },
        ]}
      />

      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card
            size="small"
            title={
              diff
                ? t(`修改对比：第 ${diff.from} 版（上次通过）→ 第 ${diff.to} 版`, `Changes: revision ${diff.from} (last approved) → ${diff.to}`)
                : from === null
                  ? t(`全文（首次审核）· 第 ${state.revision} 版`, `Full text (first review) · revision ${state.revision}`)
                  : t(`全文 · 第 ${state.revision} 版`, `Full text · revision ${state.revision}`)
            }
            data-testid={diff ? 'review-diff' : 'review-fulltext'}
          >
            {diff ? (
              <DiffView diff={diff} />
            ) : (
              <>
                {from !== null && (
                  <Alert
                    type="success"
                    showIcon
                    style={{ marginBottom: 12 }}
                    title={t(`第 ${from} 版已在上一级审核通过，此后没有修改。`, `Revision ${from} was approved at the previous level and has not changed since.`)}
                  />
                )}
                {item.subtitle && <Typography.Title level={5} type="secondary">{item.subtitle}</Typography.Title>}
                <div style={{ maxHeight: '65vh', overflow: 'auto' }}>
                  <RichEditor key={`${item.id}:${item.revision}`} initial={item.body} editable={false} onChange={() => undefined} />
                </div>
              </>
            )}
          </Card>
          <ItemFindingsPanel key={`${item.id}:${item.revision}`} itemId={item.id} body={item.body} revision={item.revision} />
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('智能审核', 'Automatic checks')} style={{ marginBottom: 16 }}>
            <FindingsList findings={state.findings} />
          </Card>
          <Card size="small" title={t('审核决定', 'Decision')} style={{ marginBottom: 16 }} data-testid="review-actions">
            {mayReview ? (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Typography.Text type="secondary">
                  {final
                    ? t(`你在「${state.levelName}」审核。这是最后一级：通过即签发第 ${state.revision} 版。`, `You review at “${state.levelName}”, the last level: approving signs off revision ${state.revision}.`)
                    : t(`你在「${state.levelName}」审核，通过后送下一级。`, `You review at “${state.levelName}”; approving sends it to the next level.`)}
                </Typography.Text>
                <Space wrap>
                  <Button type="primary" icon={final ? <SafetyCertificateOutlined /> : <CheckOutlined />} onClick={() => setActing('approve')} data-testid={final ? 'review-signoff' : 'review-approve'}>
                    {final ? t('签发', 'Sign off') : t('通过', 'Approve')}
                  </Button>
                  <Button icon={<RollbackOutlined />} onClick={() => setActing('return')} data-testid="review-return">
                    {t('退回修改', 'Return')}
                  </Button>
                  <Button danger icon={<CloseOutlined />} onClick={() => setActing('reject')} data-testid="review-reject">
                    {t('退稿', 'Reject')}
                  </Button>
                </Space>
              </Space>
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Alert
                  type={state.status === 'signed_off' || published ? 'success' : 'info'}
                  showIcon
                  data-testid="review-no-action"
                  title={
                    state.status === 'signed_off'
                      ? t(`第 ${state.signedOffRevision ?? state.revision} 版已签发 · ${formatTime(state.signedOffAt, locale)}，可以发布`, `Revision ${state.signedOffRevision ?? state.revision} signed off · ${formatTime(state.signedOffAt, locale)}; ready to publish`)
                      : published
                        ? t(`第 ${state.publishedRevision} 版已发布 · ${formatTime(state.publishedAt, locale)}`, `Revision ${state.publishedRevision} published · ${formatTime(state.publishedAt, locale)}`)
                        : inChain
                          ? t(`当前在「${state.levelName}」，不在你的审级，或你参与过本稿的写作或本轮审核`, `Now at “${state.levelName}”: not your level, or you wrote or already reviewed it this round`)
                          : workflowStatusText(i18n, state.status, state.levelName)
                  }
                />
                {/* 签发 → 发布 on the spot: the moves the server offers this person now (发布, 定时发布) */}
                {publishing.length > 0 && (
                  <Space wrap>
                    {publishing.map((a) => (
                      <Button key={a} type={a === 'publish' ? 'primary' : 'default'} icon={a === 'publish' ? <SendOutlined /> : <CalendarOutlined />} onClick={() => setActing(a)} data-testid={`review-${a}`}>
                        {pick(i18n, actionLabels[a])}
                      </Button>
                    ))}
                  </Space>
                )}
              </Space>
            )}
          </Card>
          <Card size="small" title={t('流程时间线', 'Timeline')}>
            <WorkflowTimeline itemId={item.id} policy={state.policy} reloadKey={reloadKey} />
          </Card>
        </Col>
      </Row>

      {acting && (
        <ActionDialog
          itemId={item.id}
          title={item.title}
          action={acting}
          state={state}
          signOff={acting === 'approve' && final}
          onClose={() => setActing(null)}
          onDone={() => {
            setActing(null);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
    </div>
  );
}
