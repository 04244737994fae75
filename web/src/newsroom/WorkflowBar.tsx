import { AuditOutlined, CalendarOutlined, CheckOutlined, RollbackOutlined, SendOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../shared/api.ts';
import { pick, statusColors } from '../content/model.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { navigate } from '../shared/router.ts';
import type { ItemStatus, ItemType } from '../shared/types.ts';
import { ActionDialog } from './ActionDialog.tsx';
import { actionLabels, reviewerActions, workflowStatusText, type Transition, type WorkflowAction, type WorkflowState } from './model.ts';
import { useLiveUpdates } from './notifications.tsx';

interface Props {
  item: { id: string; title: string; type: ItemType; status: ItemStatus; revision: number; unitId: string; canEdit: boolean };
  /** Save pending edits first, so the move applies to what is on screen; false stops the move. */
  beforeAct?(action: WorkflowAction): Promise<boolean>;
  /** The item's status after a move (the editor shows it and decides editability). */
  onMoved?(status: ItemStatus): void;
}

const icons: Partial<Record<WorkflowAction, ReactNode>> = {
  submit: <SendOutlined />,
  publish: <CheckOutlined />,
  schedule: <CalendarOutlined />,
  unschedule: <UndoOutlined />,
  retract: <StopOutlined />,
  reopen: <RollbackOutlined />,
};

/**
 * On the item editor: where the item stands in the review chain (a status badge with the level),
 * the moves this person may make now (提交 / 发布 / 定时 …), and the latest return comment for the
 * author. Reviewers are sent to the review page, where the diff and findings are.
 */
export function WorkflowBar({ item, beforeAct, onMoved }: Props) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [state, setState] = useState<WorkflowState | null>(null);
  const [acting, setActing] = useState<WorkflowAction | null>(null);
  /** A move is being prepared (the editor saving first): further clicks, a double click's second one, do nothing. */
  const [starting, setStarting] = useState<WorkflowAction | null>(null);
  const startingRef = useRef(false);

  const load = useCallback(async () => {
    try {
      setState(await api.get<WorkflowState>(`/api/items/${item.id}/workflow`));
    } catch {
      setState(null);
    }
  }, [item.id]);

  useEffect(() => {
    void load();
  }, [load, item.status, item.revision]);
  useLiveUpdates(() => void load(), { kinds: ['approval', 'signoff', 'return', 'publish', 'review_needed'] });

  if (!state) return null;
  // Reviewing has its own buttons (reviewer, below); the rest are the caller's moves as the server says.
  const actions = state.yourActions.filter((a) => !reviewerActions.includes(a));
  const reviewer = state.mayReview;

  const start = async (action: WorkflowAction) => {
    if (startingRef.current) return;
    startingRef.current = true;
    setStarting(action);
    try {
      if (beforeAct && !(await beforeAct(action))) return;
      setActing(action);
    } finally {
      startingRef.current = false;
      setStarting(null);
    }
  };

  const statusText = workflowStatusText(i18n, state.status, state.levelName);

  return (
    <>
      <Tooltip
        title={
          state.signedOffRevision
            ? t(`第 ${state.signedOffRevision} 版已签发 · ${formatTime(state.signedOffAt, locale)}`, `Revision ${state.signedOffRevision} signed off · ${formatTime(state.signedOffAt, locale)}`)
            : state.publishAt
              ? t(`定时 ${formatTime(state.publishAt, locale)}`, `Scheduled for ${formatTime(state.publishAt, locale)}`)
              : undefined
        }
      >
        <Tag color={statusColors[state.status]} data-testid="workflow-status" data-status={state.status} style={{ fontSize: 13, paddingBlock: 2 }}>
          {statusText}
          {state.status === 'scheduled' && state.publishAt ? ` · ${formatTime(state.publishAt, locale)}` : ''}
        </Tag>
      </Tooltip>
      {actions.map((a) => (
        <Button key={a} type={a === 'submit' || a === 'publish' ? 'primary' : 'default'} danger={a === 'retract'} icon={icons[a]} loading={starting === a} onClick={() => void start(a)} data-testid={`workflow-${a}`}>
          {pick(i18n, actionLabels[a])}
        </Button>
      ))}
      {reviewer && (
        <Button icon={<AuditOutlined />} onClick={() => navigate(`/review/${item.id}`)} data-testid="workflow-review">
          {t(`去${state.levelName ?? '审核'}`, `Review (${state.levelName ?? ''})`)}
        </Button>
      )}
      {acting && (
        <ActionDialog
          itemId={item.id}
          title={item.title}
          action={acting}
          state={state}
          onClose={() => setActing(null)}
          onDone={(res) => {
            setActing(null);
            onMoved?.(res.status);
            void load();
          }}
        />
      )}
    </>
  );
}

/**
 * Under the editor's header: the reviewer's comment the author has to act on, when the last move
 * returned (or rejected) the item.
 */
export function WorkflowNotice({ itemId, status }: { itemId: string; status: ItemStatus }) {
  const [move, setMove] = useState<Transition | null>(null);
  const load = useCallback(async () => {
    try {
      const tl = await api.get<{ items: Transition[] }>(`/api/items/${itemId}/timeline`);
      const last = tl.items.reduce<Transition | null>((a, b) => (!a || b.id > a.id ? b : a), null);
      setMove(last && (last.action === 'return' || last.action === 'reject') && last.toStatus === status ? last : null);
    } catch {
      setMove(null);
    }
  }, [itemId, status]);
  useEffect(() => {
    void load();
  }, [load]);
  useLiveUpdates(() => void load(), { kinds: ['return'] });
  return move ? <ReturnNotice move={move} /> : null;
}

/** The reviewer's comment the author needs to act on. */
function ReturnNotice({ move }: { move: Transition }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="return-notice"
      title={
        <Space wrap size={4}>
          <span>{t(`${move.actorName ?? '审核人'} ${pick(i18n, actionLabels[move.action as WorkflowAction])}：`, `${move.actorName ?? 'Reviewer'}: ${pick(i18n, actionLabels[move.action as WorkflowAction])} — `)}</span>
          <strong data-testid="return-comment">{move.comment}</strong>
          <span style={{ color: '#999', fontSize: 12 }}>{formatTime(move.at, locale)}</span>
        </Space>
      }
    />
  );
}
