import { ArrowLeftOutlined, CloudUploadOutlined, EyeOutlined, HistoryOutlined, ImportOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import type { Editor } from '@tiptap/react';
import { Alert, App, Button, Col, Input, Modal, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { pick, provenanceLine, typeLabels } from '../model.ts';
import { useNotifyError } from '../../shared/feedback.ts';
import { formatTime, useI18n } from '../../shared/i18n.ts';
import { navigate } from '../../shared/router.ts';
import { useSession } from '../../shared/session.ts';
import type { Asset, DocNode, Item, ItemFields, RevisionConflict, ShareScope, WorkingCopy } from '../../shared/types.ts';
import { actionLabels, type WorkflowAction } from '../../newsroom/model.ts';
import { useUnits } from '../../alliance/units.ts';
import { AssetPicker } from './AssetPicker.tsx';
import { DiffView } from './DiffView.tsx';
import { MetadataPanel } from './MetadataPanel.tsx';
import { RelayDialog, relayTargets, type RelayKind } from './RelayDialog.tsx';
import { RevisionDrawer } from './RevisionDrawer.tsx';
import { RichEditor } from './RichEditor.tsx';
import { LockBanner, useEditLock } from '../../newsroom/EditLock.tsx';
import { ItemNewsroomPanel } from '../../newsroom/ItemNewsroomPanel.tsx';
import { WorkflowBar, WorkflowNotice } from '../../newsroom/WorkflowBar.tsx';
import { ItemFindingsPanel } from '../../screening/ItemFindingsPanel.tsx';
import { RenditionsDrawer } from '../../distribution/RenditionsDrawer.tsx';
import './editor.css';

/** Autosave this long after the last change. */
const AUTOSAVE_MS = 3000;

function fieldsOf(item: Item): ItemFields {
  return {
    title: item.title,
    subtitle: item.subtitle,
    summary: item.summary,
    body: item.body,
    coverAssetId: item.coverAssetId,
    byline: item.byline,
    contributors: item.contributors,
    source: item.source,
    creditLine: item.creditLine,
    tags: item.tags,
    category: item.category,
    regionCode: item.regionCode,
    language: item.language,
    liveUrl: item.liveUrl,
    embargoUntil: item.embargoUntil,
    aiAssisted: item.aiAssisted,
  };
}

/** The fields that differ from what the server last saved: a save sends only those. */
function changedFields(now: ItemFields, saved: ItemFields): Partial<ItemFields> {
  const out: Partial<ItemFields> = {};
  for (const key of Object.keys(now) as (keyof ItemFields)[]) {
    if (JSON.stringify(now[key]) !== JSON.stringify(saved[key])) Object.assign(out, { [key]: now[key] });
  }
  // contributors with no name yet are kept in the form but not sent
  if (out.contributors) out.contributors = out.contributors.filter((c) => c.name.trim()).map((c) => ({ name: c.name.trim(), role: c.role.trim() }));
  if (out.title !== undefined && !out.title.trim()) delete out.title;
  return out;
}

/** autosaved: kept as my working copy, no revision yet; saved: a numbered revision made with intent. */
type SaveState = 'clean' | 'dirty' | 'saving' | 'autosaved' | 'saved' | 'error' | 'conflict';

interface Props {
  id: string;
  /** The list this editor was opened from (稿库, 共享稿池, 汇聚). */
  backPath: string;
}

/**
 * 稿件编辑: the body in TipTap, metadata beside it, autosave 3 s after the last change (never mid-IME
 * composition) into the person's working copy, which numbers no revision; 保存 (with a note) and the
 * workflow moves (提交 …) make the next revision. Saves run one at a time, each on the revision the last
 * one left, so only someone else's save shows as a conflict. History with diffs and restore, sharing,
 * 上报/下发, and 采用 for others' items.
 */
export function ItemEditor({ id, backPath }: Props) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const { session } = useSession();
  const { units } = useUnits();

  const [item, setItem] = useState<Item | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [fields, setFields] = useState<ItemFields | null>(null);
  const [editorKey, setEditorKey] = useState(0);
  const [saveState, setSaveState] = useState<SaveState>('clean');
  /** The last save: when, the revision it made or started from, and its note (shown in the status line). */
  const [lastSaved, setLastSaved] = useState<{ at: string; revision: number; note: string | null } | null>(null);
  const [conflict, setConflict] = useState<RevisionConflict | null>(null);
  const [noteOpen, setNoteOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const [history, setHistory] = useState(false);
  const [renditions, setRenditions] = useState(false);
  const [picker, setPicker] = useState<'image' | 'cover' | null>(null);
  const [sendDialog, setSendDialog] = useState<RelayKind | null>(null);
  const [busy, setBusy] = useState(false);

  // Refs the autosave timer reads, so it always sees the latest state without re-arming on every render.
  const editorRef = useRef<Editor | null>(null);
  const fieldsRef = useRef<ItemFields | null>(null);
  /** The fields of the item's latest revision: a save sends what differs from them. */
  const savedRef = useRef<ItemFields | null>(null);
  /** What the server keeps for this person (the revision plus their working copy): unsaved is what differs. */
  const storedRef = useRef<ItemFields | null>(null);
  const baseRevisionRef = useRef(0);
  const changeSeq = useRef(0);
  /** The save under way, if any: saves run one after another, each from where the last one left. */
  const queueRef = useRef<Promise<unknown>>(Promise.resolve());
  const conflictRef = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** An IME composition is open in any field of the page (title, metadata, body). */
  const composingRef = useRef(false);

  // 编辑锁: someone else editing makes the page read-only until they leave or it is taken over
  const lock = useEditLock(id, !!item?.canEdit, () => void load());
  const editable = !!item?.canEdit && lock.state.kind !== 'other';

  /** Takes the item as the server has it; with resetLocal, the form too, carrying on from my working copy. */
  const adopt = useCallback((next: Item, resetLocal: boolean, workingCopy: WorkingCopy | null = null) => {
    setItem(next);
    baseRevisionRef.current = next.revision;
    if (resetLocal) {
      const saved = fieldsOf(next);
      const f = workingCopy ? { ...saved, ...(workingCopy.changes as Partial<ItemFields>) } : saved;
      // a working copy begun on an older revision is saved against it, so the conflict shows the other save
      if (workingCopy) baseRevisionRef.current = workingCopy.baseRevision;
      fieldsRef.current = f;
      savedRef.current = saved;
      storedRef.current = f;
      setFields(f);
      setEditorKey((k) => k + 1);
      setSaveState(workingCopy ? 'autosaved' : 'clean');
      setLastSaved(workingCopy && { at: workingCopy.savedAt, revision: next.revision, note: null });
    }
  }, []);

  const load = useCallback(async () => {
    try {
      const [next, mine] = await Promise.all([api.get<Item>(`/api/items/${id}`), api.get<{ workingCopy: WorkingCopy | null }>(`/api/items/${id}/working-copy`)]);
      adopt(next, true, next.canEdit ? mine.workingCopy : null);
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, [id, adopt]);

  useEffect(() => {
    void load();
  }, [load]);

  const clearTimer = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };

  /** Queues a save behind the one under way, so two never carry the same base revision. */
  const enqueue = useCallback(<T,>(work: () => Promise<T>): Promise<T> => {
    const next = queueRef.current.then(work);
    queueRef.current = next.catch(() => undefined);
    return next;
  }, []);

  const failed = useCallback(
    (err: unknown) => {
      // 409 with the current revision: someone else saved a revision since mine started (my own autosaves never do)
      if (err instanceof ApiError && err.status === 409 && typeof err.body.currentRevision === 'number') {
        conflictRef.current = true;
        setConflict({ currentRevision: err.body.currentRevision, diff: (err.body.diff as RevisionConflict['diff']) ?? null });
        setSaveState('conflict');
      } else {
        setSaveState('error');
        notifyError(err);
      }
    },
    [notifyError],
  );

  /** Autosave: my edits kept as my working copy, no revision numbered. */
  const autosave = useCallback(
    () =>
      enqueue(async () => {
        const [now, saved, stored] = [fieldsRef.current, savedRef.current, storedRef.current];
        if (!now || !saved || !stored || conflictRef.current || Object.keys(changedFields(now, stored)).length === 0) return;
        const changes = changedFields(now, saved);
        const seq = changeSeq.current;
        setSaveState('saving');
        try {
          const res = await api.put<{ workingCopy: WorkingCopy | null }>(`/api/items/${id}/working-copy`, { ...changes, baseRevision: baseRevisionRef.current });
          storedRef.current = { ...saved, ...changes };
          setLastSaved(res.workingCopy && { at: res.workingCopy.savedAt, revision: baseRevisionRef.current, note: null });
          // typing went on while the request was out: stay dirty, the timer is already re-armed
          setSaveState(changeSeq.current !== seq ? 'dirty' : res.workingCopy ? 'autosaved' : 'clean');
        } catch (err) {
          failed(err);
        }
      }),
    [id, enqueue, failed],
  );

  /** A save with intent (保存, before 提交 …): the next numbered revision, after any autosave under way. */
  const saveRevision = useCallback(
    (opts: { note?: string; overwriteRevision?: number; onlyIfChanged?: boolean } = {}) =>
      enqueue(async (): Promise<boolean> => {
        const [now, saved] = [fieldsRef.current, savedRef.current];
        if (!now || !saved) return false;
        if (!now.title.trim()) {
          message.error(t('标题不能为空，未保存', 'The title cannot be empty; nothing saved'));
          return false;
        }
        if (conflictRef.current && opts.overwriteRevision === undefined) return false;
        const changes = changedFields(now, saved);
        if (Object.keys(changes).length === 0 && (!opts.note || opts.onlyIfChanged)) return true;
        const seq = changeSeq.current;
        setSaveState('saving');
        try {
          const base = opts.overwriteRevision ?? baseRevisionRef.current;
          const res = await api.patch<Item>(`/api/items/${id}`, { ...changes, ...(opts.note ? { note: opts.note } : {}), baseRevision: base });
          savedRef.current = { ...saved, ...changes };
          storedRef.current = savedRef.current;
          adopt(res, false);
          setLastSaved({ at: res.updatedAt, revision: res.revision, note: opts.note ?? null });
          conflictRef.current = false;
          setConflict(null);
          setSaveState(changeSeq.current === seq ? 'saved' : 'dirty');
          return true;
        } catch (err) {
          failed(err);
          return false;
        }
      }),
    [id, enqueue, failed, adopt, message, t],
  );

  /** The debounced autosave: waits while an IME composition is open. */
  const schedule = useCallback(
    (delay = AUTOSAVE_MS) => {
      clearTimer();
      timer.current = setTimeout(() => {
        timer.current = null;
        if (conflictRef.current) return;
        if (composingRef.current || editorRef.current?.view.composing) return schedule(800);
        void autosave();
      }, delay);
    },
    [autosave],
  );

  useEffect(() => clearTimer, []);

  const unsaved = () => !!fieldsRef.current && !!storedRef.current && Object.keys(changedFields(fieldsRef.current, storedRef.current)).length > 0;

  // leaving the page with unsaved changes: keep them (the request outlives the component)
  useEffect(
    () => () => {
      if (!conflictRef.current && unsaved()) void autosave();
    },
    [autosave],
  );

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (unsaved()) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const editableRef = useRef(false);
  editableRef.current = editable;

  const change = useCallback(
    (patch: Partial<ItemFields>) => {
      if (!fieldsRef.current || !editableRef.current) return;
      const next = { ...fieldsRef.current, ...patch };
      fieldsRef.current = next;
      setFields(next);
      changeSeq.current += 1;
      setSaveState('dirty');
      if (!conflictRef.current) schedule();
    },
    [schedule],
  );

  const onBodyChange = useCallback(
    (body: DocNode) => {
      if (fieldsRef.current && JSON.stringify(body) === JSON.stringify(fieldsRef.current.body)) return;
      change({ body });
    },
    [change],
  );
  const onEditorReady = useCallback((editor: Editor) => {
    editorRef.current = editor;
    // The editor's own reading of the stored body is the baseline, so opening an item is never a change.
    const body = editor.getJSON() as DocNode;
    const f = fieldsRef.current;
    const same = (ref: typeof savedRef) => !!f && !!ref.current && JSON.stringify(ref.current.body) === JSON.stringify(f.body);
    if (!f || !same(storedRef)) return;
    if (same(savedRef)) savedRef.current = { ...savedRef.current!, body };
    storedRef.current = { ...storedRef.current!, body };
    fieldsRef.current = { ...f, body };
  }, []);

  const explicitSave = async () => {
    clearTimer();
    setConfirming(true);
    try {
      if (await saveRevision({ note: note.trim() || undefined })) {
        message.success(t('已保存', 'Saved'));
        setNoteOpen(false);
        setNote('');
      }
    } finally {
      setConfirming(false);
    }
  };

  /** Before a workflow move: the title is there, an empty body is confirmed, and pending edits become a revision. */
  const beforeAct = async (action: WorkflowAction): Promise<boolean> => {
    clearTimer();
    if (!fieldsRef.current?.title.trim()) {
      message.error(t('标题不能为空，未保存', 'The title cannot be empty; nothing saved'));
      return false;
    }
    if (action === 'submit' && editorRef.current?.isEmpty) {
      const go = await new Promise<boolean>((resolve) =>
        modal.confirm({
          title: t('正文是空的', 'The body is empty'),
          content: t('稿件还没有正文，仍要提交审核吗？', 'This item has no body yet. Submit it for review anyway?'),
          okText: t('仍要提交', 'Submit anyway'),
          cancelText: t('返回编辑', 'Keep editing'),
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        }),
      );
      if (!go) return false;
    }
    // stored in Chinese like the server's own notes (创建, 恢复到第 n 版): the history is shared
    return saveRevision({ note: actionLabels[action][0], onlyIfChanged: true });
  };

  /** 放弃我的修改: my working copy goes, and the item is read again as saved. */
  const discardMine = async () => {
    try {
      await api.del(`/api/items/${id}/working-copy`);
      conflictRef.current = false;
      setConflict(null);
      await load();
    } catch (err) {
      notifyError(err);
    }
  };

  const share = async (scope: ShareScope, unitIds: string[]) => {
    try {
      const res = await api.put<Item>(`/api/items/${id}/share`, { scope, ...(scope === 'units' ? { unitIds } : {}) });
      setItem((cur) => (cur ? { ...cur, shareScope: res.shareScope, shareUnitIds: res.shareUnitIds } : res));
      message.success(t('共享范围已更新', 'Sharing updated'));
    } catch (err) {
      notifyError(err);
    }
  };

  const refreshUnderstanding = async () => {
    try {
      const res = await api.get<Item>(`/api/items/${id}`);
      setItem((cur) => (cur ? { ...cur, understanding: res.understanding } : res));
    } catch (err) {
      notifyError(err);
    }
  };

  const correctUnderstanding = async (correction: { keywords?: string[]; summary?: string; category?: string }) => {
    try {
      const understanding = await api.patch<unknown>(`/api/items/${id}/understanding`, correction);
      setItem((cur) => (cur ? { ...cur, understanding } : cur));
    } catch (err) {
      notifyError(err);
    }
  };

  const accept = async () => {
    setBusy(true);
    try {
      adopt(await api.post<Item>(`/api/items/${id}/accept`), true);
      message.success(t('已采纳进入稿库', 'Accepted into the hub'));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  const adoptCopy = async () => {
    setBusy(true);
    try {
      const copy = await api.post<Item>(`/api/items/${id}/adopt`);
      message.success(t('已采用到本单位稿库', 'Adopted into your hub'));
      navigate(`/hub/${copy.id}`);
    } catch (err) {
      if (err instanceof ApiError && typeof err.body.copyItemId === 'string') {
        message.info(t('本单位已采用过，打开已有副本', 'Already adopted: opening your copy'));
        navigate(`/hub/${err.body.copyItemId}`);
      } else notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  const onAssetPicked = (asset: Asset) => {
    if (picker === 'cover') change({ coverAssetId: asset.id });
    else editorRef.current?.chain().focus().insertAssetImage({ assetId: asset.id, alt: asset.caption ?? '', caption: asset.caption ?? '' }).run();
    setPicker(null);
  };

  const { hasChildren } = relayTargets(units, session.activeUnitId);

  if (loadError) {
    return (
      <Result
        status={loadError instanceof ApiError && loadError.status === 404 ? '404' : 'error'}
        title={loadError instanceof ApiError ? (i18n.lang === 'zh' ? loadError.detail : loadError.detailEn) : String(loadError)}
        extra={<Button onClick={() => navigate(backPath)}>{t('返回', 'Back')}</Button>}
      />
    );
  }
  if (!item || !fields) return <Spin />;

  const own = item.unitId === session.activeUnitId;
  const titleMissing = editable && !fields.title.trim();
  const canPickUp = !own && session.can.pickUp && item.status !== 'incoming';
  const saveText: Record<SaveState, string> = {
    clean: t(`第 ${item.revision} 版`, `Revision ${item.revision}`),
    dirty: t('有未保存的修改', 'Unsaved changes'),
    saving: t('保存中…', 'Saving…'),
    autosaved: t(
      `已自动保存 ${formatTime(lastSaved?.at, locale)} · 点「保存」存为第 ${item.revision + 1} 版`,
      `Autosaved ${formatTime(lastSaved?.at, locale)} · “Save” makes it revision ${item.revision + 1}`,
    ),
    saved: lastSaved?.note
      ? t(`已保存为第 ${item.revision} 版：「${lastSaved.note}」`, `Saved as revision ${item.revision}: “${lastSaved.note}”`)
      : t(`已保存为第 ${item.revision} 版 · ${formatTime(lastSaved?.at, locale)}`, `Saved as revision ${item.revision} · ${formatTime(lastSaved?.at, locale)}`),
    error: t('保存失败，稍后重试', 'Save failed; will retry on the next change'),
    conflict: t('保存冲突', 'Save conflict'),
  };

  return (
    <div
      data-testid="item-editor"
      onCompositionStart={() => (composingRef.current = true)}
      onCompositionEnd={() => (composingRef.current = false)}
    >
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(backPath)}>
            {t('返回', 'Back')}
          </Button>
          <Tag>{pick(i18n, typeLabels[item.type])}</Tag>
          <WorkflowBar item={{ ...item, canEdit: editable }} beforeAct={beforeAct} onMoved={(status) => setItem((cur) => (cur ? { ...cur, status } : cur))} />
          {!own && <Tag color="blue">{item.unitName}</Tag>}
          <Typography.Text type={saveState === 'error' || saveState === 'conflict' ? 'danger' : 'secondary'} data-testid="save-status" data-state={saveState}>
            {saveText[saveState]}
          </Typography.Text>
        </Space>
        <Space wrap>
          {item.status === 'incoming' && item.canShare && (
            <Button type="primary" onClick={accept} loading={busy} data-testid="accept-button">
              {t('采纳入库', 'Accept into the hub')}
            </Button>
          )}
          {canPickUp && (
            <Button type="primary" icon={<ImportOutlined />} loading={busy} onClick={adoptCopy} data-testid="adopt-button">
              {t('采用', 'Adopt')}
            </Button>
          )}
          {item.canShare && (
            <Button icon={<CloudUploadOutlined />} onClick={() => setSendDialog('relay-up')} data-testid="relay-up-button">
              {t('上报', 'Relay up')}
            </Button>
          )}
          {item.canShare && hasChildren && (
            <Button icon={<SendOutlined />} onClick={() => setSendDialog('relay-down')}>
              {t('下发', 'Relay down')}
            </Button>
          )}
          {own && session.can.previewRenditions && (
            <Button icon={<EyeOutlined />} onClick={() => setRenditions(true)} data-testid="renditions-button">
              {t('渠道预览', 'Channel preview')}
            </Button>
          )}
          <Button icon={<HistoryOutlined />} onClick={() => setHistory(true)} data-testid="history-button">
            {t('历史版本', 'History')}
          </Button>
          {editable && (
            <Button type="primary" icon={<SaveOutlined />} onClick={() => setNoteOpen(true)} data-testid="save-button">
              {t('保存', 'Save')}
            </Button>
          )}
        </Space>
      </Space>

      <LockBanner lock={lock} />
      <WorkflowNotice itemId={item.id} status={item.status} />

      {item.provenance && (
        <Alert
          type="info"
          showIcon
          icon={<ImportOutlined />}
          style={{ marginBottom: 12 }}
          title={
            <span data-testid="provenance">
              {provenanceLine(i18n, item.provenance)}
            </span>
          }
        />
      )}

      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Input
            variant="borderless"
            value={fields.title}
            maxLength={200}
            readOnly={!editable}
            onChange={(e) => change({ title: e.target.value })}
            placeholder={t('标题', 'Title')}
            data-testid="title-input"
            status={titleMissing ? 'error' : undefined}
            aria-invalid={titleMissing}
            style={{ fontSize: 26, fontWeight: 600, padding: '4px 0', marginBottom: titleMissing ? 0 : 8 }}
          />
          {titleMissing && (
            <Typography.Text type="danger" role="alert" data-testid="title-error" style={{ display: 'block', marginBottom: 8 }}>
              {t('标题不能为空。没有标题时不会保存标题的修改，也不能提交。', 'The title cannot be empty. Without one, title changes are not saved and the item cannot be submitted.')}
            </Typography.Text>
          )}
          {!editable && fields.subtitle && <Typography.Title level={5} type="secondary">{fields.subtitle}</Typography.Title>}
          {item.type === 'special' && item.specialItems && item.specialItems.length > 0 && (
            <Alert
              style={{ marginBottom: 12 }}
              type="success"
              title={t('专题包含的稿件', 'Items in this special topic')}
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {item.specialItems.map((s) => (
                    <li key={s.id}>
                      <Typography.Link onClick={() => navigate(`${backPath}/${s.id}`)}>{s.title}</Typography.Link> <Tag>{pick(i18n, typeLabels[s.type])}</Tag>
                    </li>
                  ))}
                </ul>
              }
            />
          )}
          <RichEditor key={editorKey} initial={fields.body} editable={editable} onChange={onBodyChange} onReady={onEditorReady} onPickImage={editable ? () => setPicker('image') : undefined} />
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
            {t(`创建于 ${formatTime(item.createdAt, locale)} · 更新于 ${formatTime(item.updatedAt, locale)} · ${item.unitName}`, `Created ${formatTime(item.createdAt, locale)} · updated ${formatTime(item.updatedAt, locale)} · ${item.unitName}`)}
          </Typography.Text>
          <ItemFindingsPanel itemId={item.id} body={item.body} revision={item.revision} getEditor={() => editorRef.current} editable={editable} />
        </Col>
        <Col xs={24} xl={8}>
          <MetadataPanel
            item={item}
            fields={fields}
            editable={editable}
            units={units}
            onChange={change}
            onPickCover={() => setPicker('cover')}
            onShare={share}
            onRefreshUnderstanding={refreshUnderstanding}
            onCorrectUnderstanding={correctUnderstanding}
          />
          <ItemNewsroomPanel item={item} getEditor={() => editorRef.current} />
        </Col>
      </Row>

      {noteOpen && (
        <Modal
          open
          title={t('保存为新版本', 'Save a revision')}
          onCancel={() => setNoteOpen(false)}
          onOk={explicitSave}
          okText={t('保存', 'Save')}
          okButtonProps={{ 'data-testid': 'save-confirm', loading: confirming }}
          destroyOnHidden
        >
          <Input
            autoFocus
            value={note}
            maxLength={200}
            onChange={(e) => setNote(e.target.value)}
            onPressEnter={(e) => !e.nativeEvent.isComposing && explicitSave()}
            placeholder={t('修订说明（可选），如：补充现场采访', 'Revision note (optional), e.g. added an interview')}
            data-testid="revision-note"
          />
        </Modal>
      )}

      {conflict && (
        <Modal
          open
          width={760}
          closable={false}
          maskClosable={false}
          title={t('保存冲突', 'Save conflict')}
          footer={[
            <Button key="reload" onClick={() => void discardMine()}>
              {t('放弃我的修改，重新加载', 'Discard mine and reload')}
            </Button>,
            <Button key="overwrite" danger type="primary" onClick={() => void saveRevision({ overwriteRevision: conflict.currentRevision, note: '覆盖他人的修改' })}>
              {t('用我的版本覆盖', 'Overwrite with mine')}
            </Button>,
          ]}
        >
          <div data-testid="conflict-dialog">
            <Typography.Paragraph>
              {t(
                `在你编辑期间，有人把稿件保存成了第 ${conflict.currentRevision} 版。以下是从你开始编辑的版本到第 ${conflict.currentRevision} 版的改动：`,
                `While you were editing, someone saved this item as revision ${conflict.currentRevision}. Their changes since the revision you started from:`,
              )}
            </Typography.Paragraph>
            <div style={{ maxHeight: 400, overflow: 'auto' }}>{conflict.diff ? <DiffView body={conflict.diff.body} /> : <Typography.Text type="secondary">{t('（无正文差异）', '(no body changes)')}</Typography.Text>}</div>
          </div>
        </Modal>
      )}

      {renditions && <RenditionsDrawer itemId={item.id} unitName={item.unitName} canSeeLatest={item.canShare} revision={item.revision} onClose={() => setRenditions(false)} />}

      {history && <RevisionDrawer item={item} onClose={() => setHistory(false)} onRestored={(restored) => adopt(restored, true)} unsaved={!!fields && !!savedRef.current && Object.keys(changedFields(fields, savedRef.current)).length > 0} />}

      {picker && <AssetPicker title={picker === 'cover' ? t('选择封面图', 'Choose a cover image') : t('插入图片', 'Insert a picture')} onPick={onAssetPicked} onClose={() => setPicker(null)} />}

      {sendDialog && <RelayDialog itemId={item.id} kind={sendDialog} units={units} onClose={() => setSendDialog(null)} />}
    </div>
  );
}
