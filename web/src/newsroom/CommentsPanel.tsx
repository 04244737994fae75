import { CheckOutlined, HighlightOutlined, UndoOutlined } from '@ant-design/icons';
import type { Editor } from '@tiptap/react';
import { Button, Empty, List, Mentions, Space, Switch, Tag, Typography } from 'antd';
import { Fragment, useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import type { ListOf, User } from '../shared/types.ts';
import type { ItemComment } from './model.ts';
import { useLiveUpdates } from './notifications.tsx';

interface Props {
  item: { id: string; revision: number; unitId: string; canEdit: boolean };
  /** The body editor, for the selected passage and to show a comment's passage. */
  getEditor(): Editor | null;
}

interface Anchor {
  from: number;
  to: number;
  quote: string;
}

/** @username in a comment body, highlighted. */
function withMentions(body: string) {
  return body.split(/(@[A-Za-z0-9_.-]{2,40})/g).map((part, i) =>
    part.startsWith('@') ? (
      <Typography.Text key={i} style={{ color: '#c41d2f' }} data-testid="mention">
        {part}
      </Typography.Text>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
}

/**
 * 批注: comments on the current revision, anchored to a selected passage of the body, with
 * @username mentions (the mentioned colleague is notified). Clicking a comment selects its passage.
 */
export function CommentsPanel({ item, getEditor }: Props) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const notifyError = useNotifyError();
  const [comments, setComments] = useState<ItemComment[] | null>(null);
  const [staff, setStaff] = useState<User[]>([]);
  const [anchor, setAnchor] = useState<Anchor | null>(null);
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [showResolved, setShowResolved] = useState(false);

  const load = useCallback(async () => {
    try {
      setComments((await api.get<ListOf<ItemComment>>(`/api/items/${item.id}/comments`)).items);
    } catch (err) {
      setComments([]);
      notifyError(err);
    }
  }, [item.id, notifyError]);
  useEffect(() => {
    void load();
  }, [load]);
  useLiveUpdates(() => void load(), { kinds: ['mention'] });

  useEffect(() => {
    if (item.unitId !== session.activeUnitId) return;
    api
      .get<ListOf<User>>('/api/users', { unitId: item.unitId, limit: 200 })
      .then((res) => setStaff(res.items))
      .catch(() => setStaff([]));
  }, [item.unitId, session.activeUnitId]);

  const mentionOptions = useMemo(
    () => staff.filter((u) => u.id !== session.user.id).map((u) => ({ value: u.username, label: `${u.displayName} (@${u.username})`, key: u.id })),
    [staff, session.user.id],
  );

  const takeSelection = () => {
    const editor = getEditor();
    if (!editor) return;
    const { from, to } = editor.state.selection;
    if (from === to) {
      setAnchor(null);
      return;
    }
    setAnchor({ from, to, quote: editor.state.doc.textBetween(from, to, ' ').slice(0, 500) });
  };

  const showPassage = (c: ItemComment) => {
    const editor = getEditor();
    if (!editor || !c.anchor) return;
    const max = editor.state.doc.content.size;
    const from = Math.min(c.anchor.from, max);
    const to = Math.min(c.anchor.to, max);
    editor.chain().focus().setTextSelection({ from, to }).scrollIntoView().run();
  };

  const post = async () => {
    if (!body.trim()) return;
    setBusy(true);
    try {
      const created = await api.post<ItemComment>(`/api/items/${item.id}/comments`, { revision: item.revision, body: body.trim(), ...(anchor ? { anchor } : {}) });
      // the create answer carries no author name (API): it is the person writing
      setComments((cur) => [...(cur ?? []), { ...created, authorName: created.authorName ?? session.user.displayName }]);
      setBody('');
      setAnchor(null);
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  const resolve = async (c: ItemComment, resolved: boolean) => {
    try {
      const next = await api.patch<ItemComment>(`/api/items/${item.id}/comments/${c.id}`, { resolved });
      setComments((cur) => (cur ?? []).map((x) => (x.id === c.id ? next : x)));
    } catch (err) {
      notifyError(err);
    }
  };

  const visible = (comments ?? []).filter((c) => showResolved || !c.resolved);
  const resolvedCount = (comments ?? []).filter((c) => c.resolved).length;
  const canComment = session.can.comment;

  return (
    <div data-testid="comments-panel">
      {canComment && (
        <Space orientation="vertical" style={{ width: '100%', marginBottom: 12 }}>
          <Space wrap>
            <Button size="small" icon={<HighlightOutlined />} onMouseDown={(e) => e.preventDefault()} onClick={takeSelection} data-testid="comment-anchor">
              {t('批注选中的文字', 'Comment on the selection')}
            </Button>
            {anchor && (
              <Tag closable onClose={() => setAnchor(null)} style={{ maxWidth: 240, overflow: 'hidden', textOverflow: 'ellipsis' }} data-testid="comment-quote">
                “{anchor.quote}”
              </Tag>
            )}
          </Space>
          <Mentions
            value={body}
            onChange={setBody}
            options={mentionOptions}
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={4000}
            placeholder={t('写批注，输入 @ 提到同事', 'Write a comment; type @ to mention a colleague')}
            data-testid="comment-input"
          />
          <Button type="primary" size="small" onClick={post} loading={busy} disabled={!body.trim()} data-testid="comment-post">
            {t('发表批注', 'Post comment')}
          </Button>
        </Space>
      )}
      {resolvedCount > 0 && (
        <Space style={{ marginBottom: 8 }}>
          <Switch size="small" checked={showResolved} onChange={setShowResolved} />
          <Typography.Text type="secondary">{t(`显示已解决（${resolvedCount}）`, `Show resolved (${resolvedCount})`)}</Typography.Text>
        </Space>
      )}
      {comments && visible.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('暂无批注', 'No comments')} />
      ) : (
        <List<ItemComment>
          size="small"
          loading={!comments}
          dataSource={visible}
          renderItem={(c) => (
            <List.Item
              key={c.id}
              id={`comment-${c.id}`}
              data-testid="comment"
              style={{ opacity: c.resolved ? 0.55 : 1, cursor: c.anchor ? 'pointer' : undefined, display: 'block' }}
              onClick={() => showPassage(c)}
            >
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <Typography.Text strong>{c.authorName ?? '—'}</Typography.Text>
                <Space size={4}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`第 ${c.revision} 版`, `rev. ${c.revision}`)} · {formatTime(c.createdAt, locale)}
                  </Typography.Text>
                  {item.canEdit && (
                    <Button
                      size="small"
                      type="text"
                      icon={c.resolved ? <UndoOutlined /> : <CheckOutlined />}
                      title={c.resolved ? t('重新打开', 'Reopen') : t('标为已解决', 'Resolve')}
                      onClick={(e) => {
                        e.stopPropagation();
                        void resolve(c, !c.resolved);
                      }}
                      data-testid="comment-resolve"
                    />
                  )}
                </Space>
              </Space>
              {c.anchor?.quote && (
                <div style={{ borderLeft: '3px solid #c41d2f', background: '#fff1f0', padding: '2px 8px', margin: '4px 0', fontSize: 13 }} data-testid="comment-anchor-quote">
                  {c.anchor.quote}
                </div>
              )}
              <div style={{ whiteSpace: 'pre-wrap' }}>{withMentions(c.body)}</div>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
