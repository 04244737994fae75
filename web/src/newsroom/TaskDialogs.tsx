import { App, DatePicker, Form, Input, Modal, Select, TreeSelect, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { pick, statusLabels } from '../content/model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import type { ItemSummary, ListOf, Unit, User } from '../shared/types.ts';
import { buildTree, isWithin, useUnits, type UnitTreeSelectData } from '../alliance/units.ts';
import type { Task, Topic } from './model.ts';

/**
 * 派单 dialogs: assign (to one or more units, optionally a person), decline with a reason,
 * hand over, and complete with the story filed.
 */

/** Units a task may go to from `base`: the unit itself, everything above it and everything below it. */
export function useBranchUnits(baseUnitId: string) {
  const { units, loading } = useUnits();
  return useMemo(() => {
    const byId = new Map(units.map((u) => [u.id, u]));
    const onBranch = (u: Unit) => isWithin(byId, u.id, baseUnitId) || isWithin(byId, baseUnitId, u.id);
    // only the branch is shown: ancestors (to reach the base) and the base's subtree
    const prune = (nodes: ReturnType<typeof buildTree>): UnitTreeSelectData =>
      nodes
        .filter((n) => onBranch(n.unit) || isWithin(byId, baseUnitId, n.unit.id))
        .map((n) => ({ value: n.unit.id, title: n.unit.name, disabled: !onBranch(n.unit), children: prune(n.children) }));
    const expanded: string[] = [];
    for (let u = byId.get(baseUnitId); u; u = u.parentId ? byId.get(u.parentId) : undefined) expanded.push(u.id);
    return { treeData: prune(buildTree(units)), expanded, byId, loading };
  }, [units, baseUnitId, loading]);
}

/** Staff of one unit for a person picker; empty (with a note) when the caller may not list them. */
export function useUnitStaff(unitId: string | null) {
  const [staff, setStaff] = useState<User[]>([]);
  const [denied, setDenied] = useState(false);
  useEffect(() => {
    setStaff([]);
    setDenied(false);
    if (!unitId) return;
    let live = true;
    api
      .get<ListOf<User>>('/api/users', { unitId, limit: 200 })
      .then((res) => live && setStaff(res.items))
      .catch((err: unknown) => live && setDenied(err instanceof ApiError && (err.status === 403 || err.status === 404)));
    return () => {
      live = false;
    };
  }, [unitId]);
  return { staff, denied };
}

function PersonSelect({ unitId, value, onChange }: { unitId: string | null; value: string | undefined; onChange(v: string | undefined): void }) {
  const { t, role } = useI18n();
  const { staff, denied } = useUnitStaff(unitId);
  return (
    <>
      <Select<string>
        allowClear
        showSearch
        optionFilterProp="label"
        value={value}
        onChange={onChange}
        disabled={!unitId || denied}
        placeholder={!unitId ? t('先选一个单位', 'Choose one unit first') : t('不指定：单位内任何采编人员都可接单', 'Anyone in the unit may take it')}
        options={staff.map((u) => {
          const m = u.memberships.find((x) => x.unitId === unitId);
          return { value: u.id, label: `${u.displayName} (@${u.username})${m ? ` · ${role(m.role)}` : ''}` };
        })}
        data-testid="assign-person"
      />
      {denied && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('你无权查看该单位的人员：任务将派给整个单位', "You may not list that unit's staff: the task goes to the whole unit")}
        </Typography.Text>
      )}
    </>
  );
}

interface AssignValues {
  title: string;
  description?: string;
  unitIds: string[];
  dueAt?: Dayjs;
  topicId?: string;
}

export function AssignTaskDialog({ topic, defaultUnitIds, onClose, onDone }: { topic?: Topic; defaultUnitIds?: string[]; onClose(): void; onDone(tasks: Task[]): void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<AssignValues>();
  const [person, setPerson] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [topics, setTopics] = useState<Topic[]>([]);
  const { treeData, expanded, loading } = useBranchUnits(session.activeUnitId);
  const unitIds = Form.useWatch('unitIds', form) ?? [];
  const single = unitIds.length === 1 ? unitIds[0]! : null;

  useEffect(() => {
    if (topic) return;
    Promise.all([api.get<ListOf<Topic>>('/api/topics', { board: 'unit', status: 'approved' }), api.get<ListOf<Topic>>('/api/topics', { board: 'joint', status: 'approved' })])
      .then(([a, b]) => setTopics([...a.items, ...b.items.filter((x) => !a.items.some((y) => y.id === x.id))]))
      .catch(() => setTopics([]));
  }, [topic]);
  useEffect(() => setPerson(undefined), [single]);

  const submit = async (v: AssignValues) => {
    setBusy(true);
    const created: Task[] = [];
    try {
      for (const unitId of v.unitIds) {
        created.push(
          await api.post<Task>('/api/tasks', {
            title: v.title.trim(),
            description: v.description?.trim() || null,
            assigneeUnitId: unitId,
            assigneeUserId: v.unitIds.length === 1 ? (person ?? null) : null,
            dueAt: v.dueAt ? v.dueAt.toISOString() : null,
            topicId: topic?.id ?? v.topicId ?? null,
          }),
        );
      }
      message.success(t(`已派单给 ${created.length} 个单位`, `Assigned to ${created.length} unit(s)`));
      onDone(created);
    } catch (err) {
      notifyError(err);
      if (created.length) onDone(created);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={topic ? t(`派单：${topic.title}`, `Assign: ${topic.title}`) : t('派单', 'Assign a task')} onCancel={onClose} onOk={() => form.submit()} okText={t('派单', 'Assign')} okButtonProps={{ loading: busy, 'data-testid': 'assign-confirm' }} destroyOnHidden width={600}>
      <Form<AssignValues> form={form} layout="vertical" onFinish={submit} initialValues={{ unitIds: defaultUnitIds ?? [], title: topic?.title ?? '' }}>
        <Form.Item name="title" label={t('任务', 'Task')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input data-testid="assign-title" placeholder={t('如：采写本地群众过年见闻', 'e.g. report how people in your county spend the holiday')} />
        </Form.Item>
        <Form.Item name="description" label={t('要求', 'Details')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} data-testid="assign-description" />
        </Form.Item>
        <Form.Item name="unitIds" label={t('承接单位（本单位、上级或下级）', 'To (own unit, above or below)')} rules={[{ required: true, type: 'array', min: 1, message: t('请选择单位', 'Choose a unit') }]}>
          <TreeSelect
            multiple
            showSearch
            treeNodeFilterProp="title"
            loading={loading}
            treeData={treeData}
            treeDefaultExpandedKeys={expanded}
            placeholder={t('选择单位，可多选', 'Choose one or more units')}
            maxTagCount={6}
            data-testid="assign-units"
          />
        </Form.Item>
        <Form.Item label={t('指定人员（可选，仅选一个单位时）', 'Person (optional, one unit only)')}>
          <PersonSelect unitId={single} value={person} onChange={setPerson} />
        </Form.Item>
        <Form.Item name="dueAt" label={t('截止时间', 'Due')}>
          <DatePicker showTime style={{ width: '100%' }} data-testid="assign-due" />
        </Form.Item>
        {!topic && (
          <Form.Item name="topicId" label={t('关联选题（可选）', 'Topic (optional)')}>
            <Select allowClear showSearch optionFilterProp="label" options={topics.map((x) => ({ value: x.id, label: `${x.title}${x.joint ? t('（联合报道）', ' (joint)') : ''}` }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export function DeclineDialog({ task, onClose, onDone }: { task: Task; onClose(): void; onDone(t: Task): void }) {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      onDone(await api.post<Task>(`/api/tasks/${task.id}/decline`, { reason: reason.trim() }));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t(`拒绝任务：${task.title}`, `Decline: ${task.title}`)} onCancel={onClose} onOk={submit} okText={t('拒绝', 'Decline')} okButtonProps={{ danger: true, loading: busy, disabled: !reason.trim(), 'data-testid': 'decline-confirm' }} destroyOnHidden>
      <Input.TextArea autoFocus value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} autoSize={{ minRows: 3 }} placeholder={t('拒绝理由（必填），如：本周无记者可派', 'Reason (required)')} data-testid="decline-reason" />
    </Modal>
  );
}

export function HandoverDialog({ task, onClose, onDone }: { task: Task; onClose(): void; onDone(t: Task): void }) {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const [unitId, setUnitId] = useState<string>(task.unitId);
  const [person, setPerson] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const { treeData, expanded } = useBranchUnits(task.unitId);
  const submit = async () => {
    setBusy(true);
    try {
      onDone(await api.post<Task>(`/api/tasks/${task.id}/handover`, { ...(unitId !== task.unitId ? { toUnitId: unitId } : {}), ...(person ? { toUserId: person } : {}) }));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t(`转交任务：${task.title}`, `Hand over: ${task.title}`)} onCancel={onClose} onOk={submit} okText={t('转交', 'Hand over')} okButtonProps={{ loading: busy, disabled: unitId === task.unitId && !person, 'data-testid': 'handover-confirm' }} destroyOnHidden>
      <Form layout="vertical">
        <Form.Item label={t('转交给单位', 'To unit')}>
          <TreeSelect
            showSearch
            treeNodeFilterProp="title"
            treeData={treeData}
            treeDefaultExpandedKeys={expanded}
            value={unitId}
            onChange={(v: string) => {
              setUnitId(v);
              setPerson(undefined);
            }}
          />
        </Form.Item>
        <Form.Item label={t('接手人', 'To person')}>
          <PersonSelect unitId={unitId} value={person} onChange={setPerson} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function CompleteDialog({ task, onClose, onDone }: { task: Task; onClose(): void; onDone(t: Task): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const notifyError = useNotifyError();
  const [items, setItems] = useState<ItemSummary[]>([]);
  const [itemId, setItemId] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api
      .get<ListOf<ItemSummary>>('/api/items', { view: 'unit', limit: 100 })
      .then((res) => {
        setItems(res.items);
        // the story written for this task usually carries its title
        const match = res.items.find((i) => i.title === task.title) ?? res.items.find((i) => i.title.includes(task.title) || task.title.includes(i.title));
        if (match) setItemId(match.id);
      })
      .catch(notifyError);
  }, [task.title, notifyError]);
  const submit = async () => {
    setBusy(true);
    try {
      onDone(await api.post<Task>(`/api/tasks/${task.id}/complete`, itemId ? { itemId } : {}));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t(`交稿完成：${task.title}`, `Complete: ${task.title}`)} onCancel={onClose} onOk={submit} okText={t('完成', 'Complete')} okButtonProps={{ loading: busy, 'data-testid': 'complete-confirm' }} destroyOnHidden>
      <Typography.Paragraph type="secondary">
        {task.topicId ? t('选择为这个任务写的稿件，它会关联到选题。', 'Choose the story written for this task; it is linked to the topic.') : t('选择为这个任务写的稿件（可选）。', 'Choose the story written for this task (optional).')}
      </Typography.Paragraph>
      <Select<string>
        allowClear
        showSearch
        optionFilterProp="label"
        style={{ width: '100%' }}
        value={itemId}
        onChange={setItemId}
        placeholder={t('本单位稿库中的稿件', 'A story in your hub')}
        options={items.map((i) => ({ value: i.id, label: `${i.title} · ${pick(i18n, statusLabels[i.status])}` }))}
        data-testid="complete-item"
      />
    </Modal>
  );
}
