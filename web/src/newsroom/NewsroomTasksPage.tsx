import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Drawer, Popconfirm, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { taskStatusColors, taskStatusLabels, taskStatuses, type Task, type TaskStatus } from './model.ts';
import { useLiveUpdates } from './notifications.tsx';
import { AssignTaskDialog, CompleteDialog, DeclineDialog, HandoverDialog } from './TaskDialogs.tsx';
import { navigate, usePath } from '../shared/router.ts';
import { useSession } from '../shared/session.ts';

type View = 'mine' | 'unit' | 'sent' | 'alliance';
type Dialog = { kind: 'decline' | 'handover' | 'complete'; task: Task } | { kind: 'assign' } | null;

const isOpen = (task: Task) => task.status === 'open' || task.status === 'accepted';

/** 任务: the inbox of tasks (mine, my unit's, sent by my unit, the whole subtree for admins) and 派单. */
export default function NewsroomTasksPage() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { session } = useSession();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const path = usePath();
  const openId = path.startsWith('/tasks/') ? decodeURIComponent(path.slice('/tasks/'.length)) : null;
  const [view, setView] = useState<View>(session.role === 'reporter' ? 'mine' : 'unit');
  const [status, setStatus] = useState<TaskStatus | undefined>();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [detail, setDetail] = useState<Task | null>(null);

  const { data: rows, setData: setRows, loading, refresh: load } = useLoad<Task[]>(async (signal) => (await api.get<{ items: Task[] }>('/api/tasks', { view, status }, signal)).items, [view, status], []);
  useLiveUpdates(() => void load(), { kinds: ['assignment', 'deadline'], pollMs: 30_000 });

  useEffect(() => {
    if (!openId) {
      setDetail(null);
      return;
    }
    api
      .get<Task>(`/api/tasks/${openId}`)
      .then(setDetail)
      .catch((err: unknown) => {
        notifyError(err);
        navigate('/tasks', true);
      });
  }, [openId, notifyError]);

  const updated = (task: Task, text: string) => {
    message.success(text);
    setDialog(null);
    setRows((cur) => cur.map((x) => (x.id === task.id ? { ...x, ...task } : x)));
    if (detail?.id === task.id) setDetail((d) => (d ? { ...d, ...task } : d));
    void load();
  };

  const act = async (task: Task, action: 'accept' | 'cancel') => {
    try {
      const next = await api.post<Task>(`/api/tasks/${task.id}/${action}`, {});
      updated(next, action === 'accept' ? t('已接单', 'Accepted') : t('已撤销', 'Cancelled'));
    } catch (err) {
      notifyError(err);
    }
  };

  const actions = (task: Task) => {
    if (!isOpen(task)) return null;
    const work = task.can.work;
    return (
      <Space size={4} wrap>
        {work && task.status === 'open' && (
          <Button size="small" type="primary" onClick={() => void act(task, 'accept')} data-testid="task-accept">
            {t('接单', 'Accept')}
          </Button>
        )}
        {work && task.status === 'open' && (
          <Button size="small" danger onClick={() => setDialog({ kind: 'decline', task })} data-testid="task-decline">
            {t('拒绝', 'Decline')}
          </Button>
        )}
        {work && task.status === 'accepted' && (
          <Button size="small" type="primary" onClick={() => setDialog({ kind: 'complete', task })} data-testid="task-complete">
            {t('交稿完成', 'Complete')}
          </Button>
        )}
        {work && (
          <Button size="small" onClick={() => setDialog({ kind: 'handover', task })} data-testid="task-handover">
            {t('转交', 'Hand over')}
          </Button>
        )}
        {task.can.cancel && (
          <Popconfirm title={t('撤销这个任务？', 'Cancel this task?')} onConfirm={() => void act(task, 'cancel')}>
            <Button size="small" type="text" danger data-testid="task-cancel">
              {t('撤销', 'Cancel')}
            </Button>
          </Popconfirm>
        )}
      </Space>
    );
  };

  const overdue = (task: Task) => isOpen(task) && task.dueAt !== null && new Date(task.dueAt) < new Date();

  const columns: TableColumnsType<Task> = [
    {
      title: t('任务', 'Task'),
      key: 'title',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Link onClick={() => navigate(`/tasks/${r.id}`)} data-testid="task-title">
            {r.title}
          </Typography.Link>
          {r.topicId && (
            <Typography.Link style={{ fontSize: 12 }} onClick={() => navigate(`/topics/${r.topicId}`)}>
              {t('查看选题', 'Topic')}
            </Typography.Link>
          )}
        </Space>
      ),
    },
    {
      title: t('派出 → 承接', 'From → to'),
      key: 'units',
      width: 280,
      render: (_, r) => (
        <span>
          {r.fromUnitName ?? '—'} → <strong>{r.unitName ?? '—'}</strong>
        </span>
      ),
    },
    { title: t('承接人', 'Assignee'), key: 'assignee', width: 120, render: (_, r) => r.assigneeName ?? <Typography.Text type="secondary">{t('整个单位', 'whole unit')}</Typography.Text> },
    {
      title: t('截止', 'Due'),
      key: 'due',
      width: 170,
      render: (_, r) => <Typography.Text type={overdue(r) ? 'danger' : undefined}>{r.dueAt ? formatTime(r.dueAt, locale) : '—'}{overdue(r) ? t('（已逾期）', ' (late)') : ''}</Typography.Text>,
    },
    {
      title: t('状态', 'Status'),
      key: 'status',
      width: 100,
      render: (_, r) => (
        <Tag color={taskStatusColors[r.status]} data-testid="task-status">
          {i18n.t(...taskStatusLabels[r.status])}
        </Tag>
      ),
    },
    {
      title: t('稿件', 'Story'),
      key: 'item',
      width: 80,
      render: (_, r) => (r.itemId ? <Typography.Link onClick={() => navigate(`/items/${r.itemId}`)}>{t('查看', 'Open')}</Typography.Link> : '—'),
    },
    { title: t('操作', 'Actions'), key: 'actions', width: 230, render: (_, r) => actions(r) },
  ];

  const views: { key: View; label: string }[] = [
    { key: 'mine', label: t('我的任务', 'Mine') },
    { key: 'unit', label: t('本单位', 'My unit') },
    { key: 'sent', label: t('我方派出', 'Sent') },
    ...(session.can.seeSubtreeTasks ? [{ key: 'alliance' as const, label: t('全辖', 'Whole subtree') }] : []),
  ];

  return (
    <Card
      title={t('任务', 'Tasks')}
      data-testid="tasks-page"
      extra={
        session.can.assignTasks && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'assign' })} data-testid="new-task">
            {t('派单', 'Assign')}
          </Button>
        )
      }
    >
      <Tabs activeKey={view} onChange={(k) => setView(k as View)} items={views.map((v) => ({ key: v.key, label: v.label }))} tabBarExtraContent={
        <Select<TaskStatus>
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ width: 130 }}
          value={status}
          onChange={setStatus}
          options={taskStatuses.map((s) => ({ value: s, label: i18n.t(...taskStatusLabels[s]) }))}
        />
      } />
      <Table<Task> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={rows} pagination={{ pageSize: 20, hideOnSinglePage: true }} rowClassName={(r) => (r.id === openId ? 'ant-table-row-selected' : '')} />

      <Drawer open={!!detail} onClose={() => navigate('/tasks')} title={detail?.title} size={520} destroyOnHidden>
        {detail && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="task-detail">
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('状态', 'Status')}>
                <Tag color={taskStatusColors[detail.status]}>{i18n.t(...taskStatusLabels[detail.status])}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('派出单位', 'From')}>{detail.fromUnitName ?? detail.fromUnitId}</Descriptions.Item>
              <Descriptions.Item label={t('承接单位', 'To')}>{detail.unitName ?? detail.unitId}</Descriptions.Item>
              <Descriptions.Item label={t('承接人', 'Assignee')}>{detail.assigneeName ?? t('整个单位', 'whole unit')}</Descriptions.Item>
              <Descriptions.Item label={t('截止', 'Due')}>{formatTime(detail.dueAt, locale)}</Descriptions.Item>
              <Descriptions.Item label={t('派单时间', 'Assigned')}>{formatTime(detail.createdAt, locale)}</Descriptions.Item>
              {detail.declineReason && <Descriptions.Item label={t('拒绝理由', 'Declined because')}>{detail.declineReason}</Descriptions.Item>}
              {detail.topicId && (
                <Descriptions.Item label={t('选题', 'Topic')}>
                  <Typography.Link onClick={() => navigate(`/topics/${detail.topicId}`)}>{t('查看选题', 'Open the topic')}</Typography.Link>
                </Descriptions.Item>
              )}
              {detail.itemId && (
                <Descriptions.Item label={t('稿件', 'Story')}>
                  <Typography.Link onClick={() => navigate(`/items/${detail.itemId}`)}>{t('打开稿件', 'Open the story')}</Typography.Link>
                </Descriptions.Item>
              )}
            </Descriptions>
            {detail.description && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{detail.description}</Typography.Paragraph>}
            {actions(detail)}
          </Space>
        )}
      </Drawer>

      {dialog?.kind === 'assign' && (
        <AssignTaskDialog
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            if (view !== 'sent') setView('sent');
            else void load();
          }}
        />
      )}
      {dialog?.kind === 'decline' && <DeclineDialog task={dialog.task} onClose={() => setDialog(null)} onDone={(x) => updated(x, t('已拒绝', 'Declined'))} />}
      {dialog?.kind === 'handover' && <HandoverDialog task={dialog.task} onClose={() => setDialog(null)} onDone={(x) => updated(x, t('已转交', 'Handed over'))} />}
      {dialog?.kind === 'complete' && <CompleteDialog task={dialog.task} onClose={() => setDialog(null)} onDone={(x) => updated(x, t('已完成', 'Completed'))} />}
    </Card>
  );
}
