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
import type { Asset, DocNode, Item, ItemFields, RevisionConflict, ShareScope } from '../../shared/types.ts';
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

type SaveState = 'clean' | 'dirty' | 'saving' | 'saved' | 'error' | 'conflict';

interface Props {
  id: string;
  /** The list this editor was opened from (稿库, 共享稿池, 汇聚). */
  backPath: string;
}

/**
 * 稿件编辑: the body in TipTap, metadata beside it, autosave 3 s after the last change (never mid-IME
 * composition) with baseRevision so a parallel save by someone else shows as a conflict, an explicit
 * save with a revision note, history with diffs and restore, sharing, 上报/下发, and 采用 for others' items.
 */
export function ItemEditor({ id, backPath }: Props) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { session } = useSession();
  const { units } = useUnits();

  const [item, setItem] = useState<Item | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [fields, setFields] = useState<ItemFields | null>(null);
  const [editorKey, setEditorKey] = useState(0);
  const [saveState, setSaveState] = useState<SaveState>('clean');
  const [lastSavedAt, setLastSavedAt] = useState<string | null>(null);
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
  const savedRef = useRef<ItemFields | null>(null);
  const baseRevisionRef = useRef(0);
  const changeSeq = useRef(0);
  const savingRef = useRef(false);
  const conflictRef = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** An IME composition is open in any field of the page (title, metadata, body). */
  const composingRef = useRef(false);

  // 编辑锁: someone else editing makes the page read-only until they leave or it is taken over
  const lock = useEditLock(id, !!item?.canEdit, () => void load());
  const editable = !!item?.canEdit && lock.state.kind !== 'other';

  const adopt = useCallback((next: Item, resetLocal: boolean) => {
    setItem(next);
    baseRevisionRef.current = next.revision;
    if (resetLocal) {
      const f = fieldsOf(next);
      fieldsRef.current = f;
      savedRef.current = f;
      setFields(f);
      setEditorKey((k) => k + 1);
      setSaveState('clean');
    }
  }, []);

  const load = useCallback(async () => {
    try {
      adopt(await api.get<Item>(`/api/items/${id}`), true);
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

  /** One save: the changed fields, the revision they were based on, an optional note. */
  const save = useCallback(
    async (opts: { note?: string; overwriteRevision?: number } = {}): Promise<boolean> => {
      const now = fieldsRef.current;
      const saved = savedRef.current;
      if (!now || !saved) return false;
      const changes = changedFields(now, saved);
      if (Object.keys(changes).length === 0 && !opts.note) {
        setSaveState('clean');
        return true;
      }
      savingRef.current = true;
      const seq = changeSeq.current;
      setSaveState('saving');
      try {
        const base = opts.overwriteRevision ?? baseRevisionRef.current;
        const res = await api.patch<Item>(`/api/items/${id}`, { ...changes, ...(opts.note ? { note: opts.note } : {}), baseRevision: base });
        savedRef.current = { ...saved, ...changes };
        adopt(res, false);
        setLastSavedAt(res.updatedAt);
        conflictRef.current = false;
        setConflict(null);
        // typing went on while the request was out: stay dirty, the timer is already re-armed
        setSaveState(changeSeq.current === seq ? 'saved' : 'dirty');
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.status === 409 && typeof err.body.currentRevision === 'number') {
          conflictRef.current = true;
          setConflict({ currentRevision: err.body.currentRevision, diff: (err.body.diff as RevisionConflict['diff']) ?? null });
          setSaveState('conflict');
        } else {
          setSaveState('error');
          notifyError(err);
        }
        return false;
      } finally {
        savingRef.current = false;
      }
    },
    [id, adopt, notifyError],
  );

  /** The debounced autosave: waits while an IME composition or another save is in progress. */
  const schedule = useCallback(
    (delay = AUTOSAVE_MS) => {
      clearTimer();
      timer.current = setTimeout(() => {
        timer.current = null;
        if (conflictRef.current) return;
        if (composingRef.current || editorRef.current?.view.composing || savingRef.current) return schedule(800);
        void save({});
      }, delay);
    },
    [save],
  );

  useEffect(() => clearTimer, []);

  // leaving the page with unsaved changes: save them (the request outlives the component)
  useEffect(
    () => () => {
      if (fieldsRef.current && savedRef.current && !conflictRef.current && Object.keys(changedFields(fieldsRef.current, savedRef.current)).length > 0) void save({});
    },
    [save],
  );

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (fieldsRef.current && savedRef.current && Object.keys(changedFields(fieldsRef.current, savedRef.current)).length > 0) e.preventDefault();
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
    if (fieldsRef.current && savedRef.current && JSON.stringify(fieldsRef.current.body) === JSON.stringify(savedRef.current.body)) {
      fieldsRef.current = { ...fieldsRef.current, body };
      savedRef.current = { ...savedRef.current, body };
    }
  }, []);

  const explicitSave = async () => {
    clearTimer();
    setConfirming(true);
    try {
      // An autosave already on its way finishes first; the click is never swallowed by it.
      while (savingRef.current) await new Promise((r) => setTimeout(r, 50));
      if (await save({ note: note.trim() || undefined })) {
        message.success(t('已保存', 'Saved'));
        setNoteOpen(false);
        setNote('');
      }
    } finally {
      setConfirming(false);
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
  const canPickUp = !own && session.can.pickUp && item.status !== 'incoming';
  const saveText: Record<SaveState, string> = {
    clean: t(`第 ${item.revision} 版`, `Revision ${item.revision}`),
    dirty: t('有未保存的修改', 'Unsaved changes'),
    saving: t('保存中…', 'Saving…'),
    saved: t(`已自动保存 · 第 ${item.revision} 版 · ${formatTime(lastSavedAt, locale)}`, `Saved · revision ${item.revision} · ${formatTime(lastSavedAt, locale)}`),
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
          <WorkflowBar item={{ ...item, canEdit: editable }} beforeAct={() => save({})} onMoved={(status) => setItem((cur) => (cur ? { ...cur, status } : cur))} />
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
            style={{ fontSize: 26, fontWeight: 600, padding: '4px 0', marginBottom: 8 }}
          />
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
            <Button key="reload" onClick={() => void load().then(() => setConflict(null)).finally(() => (conflictRef.current = false))}>
              {t('放弃我的修改，重新加载', 'Discard mine and reload')}
            </Button>,
            <Button key="overwrite" danger type="primary" onClick={() => void save({ overwriteRevision: conflict.currentRevision, note: t('覆盖他人的修改', 'Overwrote a parallel edit') })}>
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

      {history && <RevisionDrawer item={item} onClose={() => setHistory(false)} onRestored={(restored) => adopt(restored, true)} />}

      {picker && <AssetPicker title={picker === 'cover' ? t('选择封面图', 'Choose a cover image') : t('插入图片', 'Insert a picture')} onPick={onAssetPicked} onClose={() => setPicker(null)} />}

      {sendDialog && <RelayDialog itemId={item.id} kind={sendDialog} units={units} onClose={() => setSendDialog(null)} />}
    </div>
  );
}
