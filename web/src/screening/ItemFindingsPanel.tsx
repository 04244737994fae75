import { EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Editor } from '@tiptap/react';
import { App, Button, Card, Empty, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api.ts';
import { pick } from '../content.ts';
import { useNotifyError } from '../feedback.ts';
import { useI18n } from '../i18n.ts';
import type { DocNode } from '../types.ts';
import { FindingItems } from './FindingItems.tsx';
import { HighlightedText } from './HighlightedText.tsx';
import { findingKey, loadIgnored, plainText, saveIgnored, verdictColors, verdictLabels, type Finding, type FindingsResult } from './model.ts';

interface Props {
  itemId: string;
  /** The saved body the server checked (offsets index into its plain text). */
  body: DocNode;
  /** Refetch when the saved revision changes. */
  revision: number;
  /** The live editor, where 采纳 can apply a suggestion; without one 采纳 copies the suggestion. */
  getEditor?: () => Editor | null;
  /** Whether the editor may be changed now (lock held, editable status). */
  editable?: boolean;
}

/** Number of times `needle` occurs in `text` before `end`. */
function occurrencesBefore(text: string, needle: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1 && i < end; i = text.indexOf(needle, i + 1)) n++;
  return n;
}

/**
 * Replace the n-th occurrence of `from` in the editor with `to`. Only inside text blocks made of
 * plain text nodes (no line breaks or inline images) so a character offset maps straight to a
 * position; returns false where that does not hold and the caller falls back to copying.
 */
function replaceInEditor(editor: Editor, from: string, to: string, nth: number): boolean {
  let seen = 0;
  let target: { pos: number } | null = null;
  let blocked = false;
  editor.state.doc.descendants((node, pos) => {
    if (target || blocked) return false;
    if (!node.isTextblock) return true;
    const text = node.textContent;
    let simple = true;
    node.forEach((child) => {
      if (!child.isText) simple = false;
    });
    for (let i = text.indexOf(from); i !== -1; i = text.indexOf(from, i + 1)) {
      if (seen === nth) {
        if (simple) target = { pos: pos + 1 + i };
        else blocked = true;
        return false;
      }
      seen++;
    }
    return false;
  });
  if (!target) return false;
  const { pos } = target;
  return editor.chain().focus().insertContentAt({ from: pos, to: pos + from.length }, to).run();
}

/** 审核视图: the item's automatic findings highlighted over its plain text, with per-finding 采纳 / 忽略. */
export function ItemFindingsPanel({ itemId, body, revision, getEditor, editable }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [result, setResult] = useState<FindingsResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [ignored, setIgnored] = useState<Set<string>>(() => loadIgnored(itemId));
  const [accepted, setAccepted] = useState<Set<string>>(new Set());
  const [active, setActive] = useState<Finding | null>(null);
  const text = useMemo(() => plainText(body), [body]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setResult(await api.get<FindingsResult>(`/api/items/${itemId}/screening`));
      setAccepted(new Set());
    } catch (err) {
      notifyError(err);
    } finally {
      setLoading(false);
    }
  }, [itemId, notifyError]);
  useEffect(() => {
    void load();
  }, [load, revision]);

  const shown = (result?.findings ?? []).filter((f) => !ignored.has(findingKey(f)) && !accepted.has(findingKey(f)));
  const hiddenCount = (result?.findings.length ?? 0) - shown.length;

  const ignore = (f: Finding) => {
    const next = new Set(ignored).add(findingKey(f));
    setIgnored(next);
    saveIgnored(itemId, next);
  };
  const unignoreAll = () => {
    setIgnored(new Set());
    saveIgnored(itemId, new Set());
  };

  const copy = async (value: string) => {
    try {
      await navigator.clipboard.writeText(value);
      message.success(t(`已复制“${value}”，请在正文中粘贴替换`, `Copied “${value}”; paste it over the text`));
    } catch {
      message.info(t(`建议改为：${value}`, `Suggested: ${value}`));
    }
  };

  const accept = (f: Finding) => {
    if (f.suggestion === undefined) return;
    const editor = getEditor?.();
    const matched = f.start !== undefined && f.end !== undefined ? text.slice(f.start, f.end) : '';
    if (editor && editable && matched && replaceInEditor(editor, matched, f.suggestion, occurrencesBefore(text, matched, f.start ?? 0))) {
      // every finding over the same span (a wording rule and a typo check, say) is settled by the one fix
      const settled = (result?.findings ?? []).filter((o) => o.start === f.start && o.end === f.end).map(findingKey);
      setAccepted((a) => new Set([...a, ...settled]));
      message.success(t(`已将“${matched}”改为“${f.suggestion}”`, `Replaced “${matched}” with “${f.suggestion}”`));
      return;
    }
    void copy(f.suggestion);
  };

  return (
    <Card
      size="small"
      title={
        <Space>
          <EyeOutlined />
          {t('审核视图', 'Review view')}
          {result && <Tag color={verdictColors[result.verdict]} data-testid="item-review-verdict">{pick(i18n, verdictLabels[result.verdict])}</Tag>}
        </Space>
      }
      extra={
        <Space size={4}>
          {hiddenCount > 0 && (
            <Button size="small" type="link" onClick={unignoreAll}>
              {t(`显示已忽略的 ${hiddenCount} 条`, `Show ${hiddenCount} hidden`)}
            </Button>
          )}
          <Button size="small" icon={<ReloadOutlined />} loading={loading} onClick={() => void load()}>
            {t('重新检测', 'Re-check')}
          </Button>
        </Space>
      }
      style={{ marginTop: 16 }}
      data-testid="item-review-panel"
    >
      {!result ? (
        <Spin />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('按已保存的版本检测；正文以纯文本显示，问题处按级别着色。', 'Checked on the saved revision; the body is shown as plain text with problems coloured by severity.')}
          </Typography.Text>
          <div style={{ maxHeight: 360, overflow: 'auto', border: '1px solid #f0f0f0', borderRadius: 6, padding: 12 }}>
            {text ? <HighlightedText text={text} findings={shown} active={active} onPick={setActive} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </div>
          {shown.length === 0 ? (
            <Typography.Text type="success" data-testid="item-review-none">
              {t('没有待处理的问题', 'Nothing to deal with')}
            </Typography.Text>
          ) : (
            <FindingItems
              findings={shown}
              text={text}
              active={active}
              onPick={setActive}
              onAccept={accept}
              onIgnore={ignore}
            />
          )}
        </Space>
      )}
    </Card>
  );
}
