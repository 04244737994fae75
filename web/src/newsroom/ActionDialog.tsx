import { Alert, App, DatePicker, Form, Input, Modal, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiError, describeError } from '../shared/api.ts';
import { pick } from '../content/model.ts';
import { useI18n } from '../shared/i18n.ts';
import { ChannelPicker } from '../distribution/ChannelPicker.tsx';
import { FindingsList } from './FindingsList.tsx';
import { actionLabels, needsComment, type ActResult, type Finding, type WorkflowAction, type WorkflowState } from './model.ts';

interface Props {
  itemId: string;
  title: string;
  action: WorkflowAction;
  /** The workflow state the person decided on (its revision is the one a sign-off names). */
  state: WorkflowState;
  /** Approving at the last level is the sign-off (签发): the dialog names the exact revision. */
  signOff?: boolean;
  onDone(result: ActResult): void;
  onClose(): void;
}

/**
 * One dialog for every move of the review chain: an optional or required comment, the publication
 * time for 定时发布, and when the automatic checks block the move, their findings with (for chief
 * editors and above) a 放行 override that needs a reason on record.
 */
export function ActionDialog({ itemId, title, action, state, signOff, onDone, onClose }: Props) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { message } = App.useApp();
  const [comment, setComment] = useState('');
  const [publishAt, setPublishAt] = useState<Dayjs | null>(null);
  /** 发布渠道: undefined leaves the choice to the server (the earlier choice, else the unit's defaults). */
  const [channelIds, setChannelIds] = useState<string[] | undefined>(undefined);
  const [blocked, setBlocked] = useState<Finding[] | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** For a sign-off: the revision the person is looking at; if the item moved on, they confirm again. */
  const [revision, setRevision] = useState(state.revision);
  const [revisionChanged, setRevisionChanged] = useState(false);

  const correcting = action === 'publish' && state.publishedRevision !== null;
  const commentRequired = needsComment.includes(action) || correcting;
  // A correction goes to the channels the story went to; the choice is made when first publishing or scheduling.
  const choosesChannels = (action === 'publish' || action === 'schedule') && !correcting;
  const mayOverride = state.mayOverride;
  const label = signOff ? t('签发', 'Sign off') : pick(i18n, actionLabels[action]);

  const submit = async () => {
    setError(null);
    if (commentRequired && !comment.trim()) {
      setError(correcting ? t('更正发布需要填写更正说明', 'A correction needs a note') : t('请填写意见', 'Please write a comment'));
      return;
    }
    if (action === 'schedule' && !publishAt) {
      setError(t('请选择发布时间', 'Choose a publication time'));
      return;
    }
    if (blocked && mayOverride && overrideReason.trim().length < 2) {
      setError(t('放行需要填写理由（至少 2 个字）', 'An override needs a reason (2 characters or more)'));
      return;
    }
    setBusy(true);
    try {
      if (signOff) {
        // the API signs off whatever revision is current: make sure it is the one on screen
        const now = await api.get<WorkflowState>(`/api/items/${itemId}/workflow`);
        if (now.revision !== revision) {
          setRevision(now.revision);
          setRevisionChanged(true);
          setBusy(false);
          return;
        }
      }
      const body = {
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(action === 'schedule' && publishAt ? { publishAt: publishAt.toISOString() } : {}),
        ...(blocked && mayOverride ? { override: { reason: overrideReason.trim() } } : {}),
        ...(choosesChannels && channelIds ? { channelIds } : {}),
      };
      const result = await api.post<ActResult>(`/api/items/${itemId}/workflow/${action}`, body);
      message.success(signOff ? t(`已签发第 ${revision} 版`, `Revision ${revision} signed off`) : t(`已${label}`, `${label}: done`));
      onDone(result);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'blocked_by_checks' && Array.isArray(err.body.findings)) {
        setBlocked(err.body.findings as Finding[]);
      } else if (err instanceof ApiError && err.code === 'invalid_transition') {
        const allowed = Array.isArray(err.body.allowedActions) ? (err.body.allowedActions as WorkflowAction[]) : [];
        const names = allowed.map((a) => pick(i18n, actionLabels[a])).join(t('、', ', '));
        setError(`${describeError(err, lang)}${names ? t(`（现在可以：${names}）`, ` (now possible: ${names})`) : ''}`);
      } else {
        setError(describeError(err, lang));
      }
    } finally {
      setBusy(false);
    }
  };

  const okText = blocked && mayOverride ? t(`放行并${label}`, `Override and ${label.toLowerCase()}`) : label;

  return (
    <Modal
      open
      title={signOff ? t('签发', 'Sign off') : `${label}：${title}`}
      onCancel={onClose}
      // a click outside (a double click's second landing where the button was) must not drop the dialog and its comment
      maskClosable={false}
      onOk={submit}
      okText={okText}
      okButtonProps={{ loading: busy, disabled: !!blocked && !mayOverride, danger: action === 'reject' || action === 'retract' || (!!blocked && mayOverride), 'data-testid': 'action-confirm' }}
      destroyOnHidden
      width={signOff || blocked ? 640 : 520}
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="action-dialog" data-action={action}>
        {signOff && (
          <Alert
            type={revisionChanged ? 'warning' : 'info'}
            showIcon
            data-testid="signoff-revision"
            title={t(`签发《${title}》第 ${revision} 版`, `Sign off “${title}”, revision ${revision}`)}
            description={
              revisionChanged
                ? t(`稿件在你审阅期间被修改，当前为第 ${revision} 版。请重新审阅后再签发。`, `The item changed while you were reviewing; it is now revision ${revision}. Review it again before signing off.`)
                : t('签发后，这一版本即可发布；之后的任何修改都需要重新审核。', 'Once signed off, exactly this revision can be published; any later edit goes back through review.')
            }
          />
        )}
        {action === 'schedule' && (
          <Form.Item label={t('发布时间', 'Publish at')} required style={{ marginBottom: 0 }}>
            <DatePicker showTime value={publishAt} onChange={setPublishAt} disabledDate={(d) => d.isBefore(new Date(), 'day')} data-testid="publish-at" />
          </Form.Item>
        )}
        {choosesChannels && <ChannelPicker itemId={itemId} onChange={setChannelIds} />}
        {!blocked && (
          <Input.TextArea
            autoFocus
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={2000}
            autoSize={{ minRows: 3, maxRows: 8 }}
            data-testid="action-comment"
            placeholder={
              correcting
                ? t('更正说明（必填）', 'Correction note (required)')
                : commentRequired
                  ? t('意见（必填），如：第二段数据需核实来源', 'Comment (required), e.g. check the source of the figures in paragraph two')
                  : t('意见（可选）', 'Comment (optional)')
            }
          />
        )}
        {blocked && (
          <>
            <Alert
              type="error"
              showIcon
              title={t(`自动审核发现 ${blocked.filter((f) => f.severity === 'block').length} 个必须处理的问题`, `Automatic review found ${blocked.filter((f) => f.severity === 'block').length} blocking problem(s)`)}
              description={mayOverride ? t('请修改稿件；确需放行时，填写理由后继续（理由将记入时间线和审计日志）。', 'Fix the item, or override with a reason (kept in the timeline and the audit log).') : t('请修改稿件后再试；只有主编及以上可以放行。', 'Fix the item and try again; only chief editors and above may override.')}
            />
            <FindingsList findings={blocked} />
            {mayOverride && (
              <Input.TextArea
                value={overrideReason}
                onChange={(e) => setOverrideReason(e.target.value)}
                maxLength={500}
                autoSize={{ minRows: 2 }}
                placeholder={t('放行理由（必填）', 'Reason for the override (required)')}
                data-testid="override-reason"
              />
            )}
          </>
        )}
        {error && (
          <Typography.Text type="danger" data-testid="action-error">
            {error}
          </Typography.Text>
        )}
      </Space>
    </Modal>
  );
}
