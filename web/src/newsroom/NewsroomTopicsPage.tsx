import { ArrowLeftOutlined, CheckCircleFilled, ClockCircleOutlined, LinkOutlined, PlusOutlined, SendOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Col, Descriptions, Empty, List, Modal, Progress, Result, Row, Segmented, Select, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { pick, statusColors, statusLabels } from '../content/model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { taskStatusColors, taskStatusLabels, topicStatusColors, topicStatusLabels, topicStatuses, type Task, type Topic, type TopicDetail, type TopicStatus } from './model.ts';
import { useLiveUpdates } from './notifications.tsx';
import { AssignTaskDialog } from './TaskDialogs.tsx';
import { DecideTopicDialog, ProposeTopicDialog } from './TopicDialogs.tsx';
import { navigate, usePath } from '../shared/router.ts';
import { useSession } from '../shared/session.ts';
import type { ItemSummary, ListOf } from '../shared/types.ts';

type Board = 'unit' | 'joint';

/** 选题: the unit's topic board and the 联合报道 board; /topics/:id is one topic with its stories and tasks. */
export default function NewsroomTopicsPage() {
  const path = usePath();
  const id = path.startsWith('/topics/') ? decodeURIComponent(path.slice('/topics/'.length)) : null;
  if (id) return <TopicView key={id} id={id} />;
  return <TopicBoard />;
}

/** Per partner unit of a joint topic: has it filed a story yet? The lead unit is not counted. */
function progressOf(topic: Topic) {
  const partners = topic.units.filter((u) => u.unitId !== topic.unitId);
  const filed = new Set(topic.items.map((i) => i.unitId));
  const done = partners.filter((u) => filed.has(u.unitId)).length;
  return { partners, filed, done, percent: partners.length ? Math.round((done / partners.length) * 100) : 0 };
}

const BOARD_KEY = 'tianfu.topicBoard';

function TopicBoard() {
  const { t } = useI18n();
  const { session } = useSession();
  const { message } = App.useApp();
  const [board, setBoardState] = useState<Board>(() => (sessionStorage.getItem(BOARD_KEY) === 'joint' ? 'joint' : 'unit'));
  const [proposing, setProposing] = useState(false);
  const [deciding, setDeciding] = useState<Topic | null>(null);

  const setBoard = (b: Board) => {
    sessionStorage.setItem(BOARD_KEY, b);
    setBoardState(b);
  };

  const { data: topics, loading, refresh: load } = useLoad<Topic[]>(async (signal) => (await api.get<ListOf<Topic>>('/api/topics', { board }, signal)).items, [board], []);
  // the joint board fills up as partner units file stories: live on notifications, and polled
  useLiveUpdates(() => void load(), { pollMs: board === 'joint' ? 8_000 : 30_000 });

  // the joint board is about progress: returned and rejected topics only take a column when there are some
  const columns: TopicStatus[] =
    board === 'joint' ? (['proposed', 'approved', 'done', 'returned', 'rejected'] as const).filter((s, i) => i < 3 || topics.some((x) => x.status === s)) : [...topicStatuses];

  return (
    <Card
      title={
        <Space>
          {t('选题', 'Topics')}
          <Segmented<Board>
            value={board}
            onChange={setBoard}
            options={[
              { value: 'unit', label: t('本单位选题', 'Unit board') },
              { value: 'joint', label: <span data-testid="joint-board-tab"><TeamOutlined /> {t('联合报道', 'Joint coverage')}</span> },
            ]}
          />
        </Space>
      }
      extra={
        session.can.proposeTopics && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setProposing(true)} data-testid="propose-topic">
            {board === 'joint' ? t('发起联合报道', 'Propose joint coverage') : t('报选题', 'Propose')}
          </Button>
        )
      }
      data-testid="topic-board"
      data-board={board}
    >
      {loading ? (
        <Spin />
      ) : (
        <div style={{ display: 'grid', gridTemplateColumns: `repeat(${columns.length}, minmax(180px, 1fr))`, gap: 12, overflowX: 'auto' }}>
          {columns.map((status) => {
            const list = topics.filter((x) => x.status === status);
            return (
              <div key={status} style={{ background: '#fafafa', borderRadius: 8, padding: 8, minHeight: 240 }} data-testid="topic-column" data-status={status}>
                <Space style={{ marginBottom: 8, paddingInline: 4 }}>
                  <Tag color={topicStatusColors[status]}>{t(...topicStatusLabels[status])}</Tag>
                  <Badge count={list.length} showZero color="#bfbfbf" />
                </Space>
                <Space orientation="vertical" style={{ width: '100%' }} size={8}>
                  {list.map((topic) => (
                    <TopicCard key={topic.id} topic={topic} joint={board === 'joint'} onDecide={() => setDeciding(topic)} />
                  ))}
                </Space>
              </div>
            );
          })}
        </div>
      )}
      {proposing && (
        <ProposeTopicDialog
          joint={board === 'joint'}
          onClose={() => setProposing(false)}
          onDone={(topic) => {
            setProposing(false);
            message.success(t('选题已提交，等待审定', 'Proposed; waiting for a decision'));
            if (topic.joint && board !== 'joint') setBoard('joint');
            else void load();
          }}
        />
      )}
      {deciding && (
        <DecideTopicDialog
          topic={deciding}
          onClose={() => setDeciding(null)}
          onDone={() => {
            setDeciding(null);
            void load();
          }}
        />
      )}
    </Card>
  );
}

function TopicCard({ topic, joint, onDecide }: { topic: Topic; joint: boolean; onDecide(): void }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const mayDecide = topic.status === 'proposed' && topic.unitId === session.activeUnitId && session.can.decideTopics;
  const progress = progressOf(topic);
  const late = topic.deadline && new Date(topic.deadline) < new Date() && topic.status !== 'done';
  return (
    <Card size="small" hoverable onClick={() => navigate(`/topics/${topic.id}`)} data-testid="topic-card" data-topic={topic.title} styles={{ body: { padding: 10 } }}>
      <Typography.Text strong style={{ display: 'block', marginBottom: 4 }}>
        {topic.title}
      </Typography.Text>
      <Space size={4} wrap style={{ marginBottom: 4 }}>
        {joint && <Tag color="purple">{t(`牵头：${topic.unitName}`, `Lead: ${topic.unitName}`)}</Tag>}
        {topic.deadline && (
          <Tag icon={<ClockCircleOutlined />} color={late ? 'red' : undefined}>
            {formatTime(topic.deadline, locale)}
          </Tag>
        )}
        {topic.channels.slice(0, 3).map((c) => (
          <Tag key={c}>{c}</Tag>
        ))}
      </Space>
      {topic.joint && progress.partners.length > 0 && (
        <div data-testid="topic-progress" data-filed={progress.done} data-partners={progress.partners.length}>
          <Progress percent={progress.percent} size="small" format={() => `${progress.done}/${progress.partners.length}`} strokeColor="#52c41a" />
          <Space size={[4, 4]} wrap>
            {progress.partners.map((u) => {
              const filed = progress.filed.has(u.unitId);
              return (
                <Tag key={u.unitId} color={filed ? 'success' : 'default'} icon={filed ? <CheckCircleFilled /> : undefined} data-testid="topic-unit" data-filed={filed ? 'true' : 'false'} style={{ marginInlineEnd: 0 }}>
                  {u.unitName.replace(/融媒体中心$/, '')}
                </Tag>
              );
            })}
          </Space>
        </div>
      )}
      {!topic.joint && topic.items.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(`已关联 ${topic.items.length} 篇稿件`, `${topic.items.length} stories linked`)}
        </Typography.Text>
      )}
      {topic.decisionReason && topic.status !== 'approved' && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }} ellipsis={{ rows: 2 }}>
          {t('意见：', 'Note: ')}
          {topic.decisionReason}
        </Typography.Paragraph>
      )}
      {mayDecide && (
        <Button
          size="small"
          type="primary"
          style={{ marginTop: 6 }}
          onClick={(e) => {
            e.stopPropagation();
            onDecide();
          }}
          data-testid="decide-topic"
        >
          {t('审定', 'Decide')}
        </Button>
      )}
    </Card>
  );
}

function TopicView({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, locale, lang } = i18n;
  const { session } = useSession();
  const { message } = App.useApp();
  const [topic, setTopic] = useState<TopicDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<'decide' | 'assign' | 'link' | null>(null);

  const load = useCallback(async () => {
    try {
      setTopic(await api.get<TopicDetail>(`/api/topics/${id}`));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  useLiveUpdates(() => void load(), { pollMs: 8_000 });

  if (error) {
    return (
      <Result
        status={error instanceof ApiError && error.status === 404 ? '404' : 'error'}
        title={error instanceof ApiError ? (lang === 'zh' ? error.detail : error.detailEn) : String(error)}
        extra={<Button onClick={() => navigate('/topics')}>{t('返回选题', 'Back to topics')}</Button>}
      />
    );
  }
  if (!topic) return <Spin />;

  const own = topic.unitId === session.activeUnitId;
  const progress = progressOf(topic);
  const tasksDone = topic.tasks.filter((x) => x.status === 'done').length;
  const tasksLive = topic.tasks.filter((x) => x.status !== 'cancelled' && x.status !== 'declined').length;
  const mayDecide = topic.status === 'proposed' && own && session.can.decideTopics;
  const mayAssign = topic.status === 'approved' && session.can.assignTasks;
  const mayLink = topic.status === 'approved' && session.can.proposeTopics;

  const unitRows = (topic.joint ? topic.units : [{ unitId: topic.unitId, unitName: topic.unitName }]).map((u) => ({
    ...u,
    lead: u.unitId === topic.unitId,
    tasks: topic.tasks.filter((x) => x.unitId === u.unitId),
    items: topic.items.filter((i) => i.unitId === u.unitId),
  }));
  type UnitRow = (typeof unitRows)[number];
  const unitColumns: TableColumnsType<UnitRow> = [
    {
      title: t('单位', 'Unit'),
      key: 'unit',
      render: (_, r) => (
        <Space>
          {r.items.length > 0 ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <ClockCircleOutlined style={{ color: '#bfbfbf' }} />}
          <span>{r.unitName}</span>
          {r.lead && <Tag color="purple">{t('牵头', 'Lead')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('任务', 'Tasks'),
      key: 'tasks',
      width: 220,
      render: (_, r) =>
        r.tasks.length ? (
          <Space size={4} wrap>
            {r.tasks.map((x) => (
              <Tag key={x.id} color={taskStatusColors[x.status]} style={{ cursor: 'pointer' }} onClick={() => navigate(`/tasks/${x.id}`)} data-testid="topic-task-status">
                {t(...taskStatusLabels[x.status])}
                {x.assigneeName ? ` · ${x.assigneeName}` : ''}
              </Tag>
            ))}
          </Space>
        ) : (
          '—'
        ),
    },
    {
      title: t('已交稿件', 'Stories filed'),
      key: 'items',
      render: (_, r) =>
        r.items.length ? (
          <Space orientation="vertical" size={0}>
            {r.items.map((i) => (
              <Space key={i.id} size={4}>
                <Typography.Link onClick={() => navigate(`/items/${i.id}`)} data-testid="topic-item">
                  {i.title}
                </Typography.Link>
                <Tag color={statusColors[i.status]}>{pick(i18n, statusLabels[i.status])}</Tag>
              </Space>
            ))}
          </Space>
        ) : r.lead ? (
          '—'
        ) : (
          <Typography.Text type="secondary">{t('未交稿', 'Nothing yet')}</Typography.Text>
        ),
    },
  ];

  return (
    <div data-testid="topic-view">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/topics')}>
            {t('选题', 'Topics')}
          </Button>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="topic-title">
            {topic.title}
          </Typography.Title>
          <Tag color={topicStatusColors[topic.status]} data-testid="topic-status">
            {t(...topicStatusLabels[topic.status])}
          </Tag>
          {topic.joint && <Tag color="purple" icon={<TeamOutlined />}>{t('联合报道', 'Joint coverage')}</Tag>}
        </Space>
        <Space wrap>
          {mayDecide && (
            <Button type="primary" onClick={() => setDialog('decide')} data-testid="decide-topic">
              {t('审定', 'Decide')}
            </Button>
          )}
          {mayLink && (
            <Button icon={<LinkOutlined />} onClick={() => setDialog('link')} data-testid="link-item">
              {t('关联稿件', 'Link a story')}
            </Button>
          )}
          {mayAssign && (
            <Button type="primary" icon={<SendOutlined />} onClick={() => setDialog('assign')} data-testid="topic-assign">
              {t('派单', 'Assign')}
            </Button>
          )}
        </Space>
      </Space>

      <Row gutter={16}>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('选题信息', 'About')} style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('牵头单位', 'Lead')}>{topic.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('截止', 'Deadline')}>{formatTime(topic.deadline, locale)}</Descriptions.Item>
              <Descriptions.Item label={t('拟发渠道', 'Channels')}>{topic.channels.length ? topic.channels.join('、') : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('报道角度', 'Angle')}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{topic.angle ?? '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('所需资源', 'Resources')}>{topic.resources ?? '—'}</Descriptions.Item>
              {topic.decisionReason && <Descriptions.Item label={t('审定意见', 'Decision note')}>{topic.decisionReason}</Descriptions.Item>}
              <Descriptions.Item label={t('提出时间', 'Proposed')}>{formatTime(topic.createdAt, locale)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title={t('进度', 'Progress')} data-testid="topic-progress-card">
            {topic.joint && (
              <div style={{ marginBottom: 12 }}>
                <Typography.Text>{t('参与单位交稿', 'Partner units filed')}</Typography.Text>
                <Progress percent={progress.percent} format={() => `${progress.done}/${progress.partners.length}`} strokeColor="#52c41a" data-testid="topic-filed-progress" />
              </div>
            )}
            <Typography.Text>{t('任务完成', 'Tasks done')}</Typography.Text>
            <Progress percent={tasksLive ? Math.round((tasksDone / tasksLive) * 100) : 0} format={() => `${tasksDone}/${tasksLive}`} />
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card size="small" title={topic.joint ? t(`参与单位（${unitRows.length}）`, `Taking part (${unitRows.length})`) : t('稿件与任务', 'Stories and tasks')} style={{ marginBottom: 16 }}>
            <Table<UnitRow> rowKey="unitId" size="small" columns={unitColumns} dataSource={unitRows} pagination={false} data-testid="topic-units" />
          </Card>
          <Card size="small" title={t(`任务（${topic.tasks.length}）`, `Tasks (${topic.tasks.length})`)}>
            {topic.tasks.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={mayAssign ? t('还没有派单：点「派单」把任务派给参与单位', 'No tasks yet: use Assign') : t('还没有任务', 'No tasks yet')} />
            ) : (
              <List<Task>
                size="small"
                dataSource={topic.tasks}
                renderItem={(x) => (
                  <List.Item key={x.id} extra={<Tag color={taskStatusColors[x.status]}>{t(...taskStatusLabels[x.status])}</Tag>}>
                    <Space orientation="vertical" size={0}>
                      <Typography.Link onClick={() => navigate(`/tasks/${x.id}`)}>{x.title}</Typography.Link>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {x.fromUnitName} → {x.unitName}
                        {x.dueAt ? t(` · 截止 ${formatTime(x.dueAt, locale)}`, ` · due ${formatTime(x.dueAt, locale)}`) : ''}
                        {x.declineReason ? t(` · 拒绝理由：${x.declineReason}`, ` · declined: ${x.declineReason}`) : ''}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>

      {dialog === 'decide' && (
        <DecideTopicDialog
          topic={topic}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            void load();
          }}
        />
      )}
      {dialog === 'assign' && (
        <AssignTaskDialog
          topic={topic}
          defaultUnitIds={topic.units.map((u) => u.unitId).filter((u) => u !== session.activeUnitId && !topic.tasks.some((x) => x.unitId === u && x.status !== 'declined' && x.status !== 'cancelled'))}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            void load();
          }}
        />
      )}
      {dialog === 'link' && (
        <LinkItemDialog
          topic={topic}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            message.success(t('已关联稿件', 'Story linked'));
            void load();
          }}
        />
      )}
    </div>
  );
}

function LinkItemDialog({ topic, onClose, onDone }: { topic: Topic; onClose(): void; onDone(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const notifyError = useNotifyError();
  const [items, setItems] = useState<ItemSummary[]>([]);
  const [itemId, setItemId] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api
      .get<ListOf<ItemSummary>>('/api/items', { view: 'unit', limit: 100 })
      .then((res) => setItems(res.items.filter((i) => !topic.items.some((x) => x.id === i.id))))
      .catch(notifyError);
  }, [topic.items, notifyError]);
  const submit = async () => {
    if (!itemId) return;
    setBusy(true);
    try {
      await api.post(`/api/topics/${topic.id}/items`, { itemId });
      onDone();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('关联稿件', 'Link a story')} onCancel={onClose} onOk={submit} okButtonProps={{ loading: busy, disabled: !itemId }} destroyOnHidden>
      <Select<string>
        showSearch
        optionFilterProp="label"
        style={{ width: '100%' }}
        value={itemId}
        onChange={setItemId}
        placeholder={t('本单位稿库中的稿件', 'A story in your hub')}
        options={items.map((i) => ({ value: i.id, label: `${i.title} · ${pick(i18n, statusLabels[i.status])}` }))}
      />
    </Modal>
  );
}
