import { ArrowLeftOutlined, DeleteOutlined, DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Radio, Row, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useRef, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { pick } from '../content/model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { severityColors, severityLabels } from '../newsroom/model.ts';
import { useSession } from '../shared/session.ts';
import { categories, categoryLabels, scopeLabels, type Category, type ChangeResult, type ImportError, type Lexicon, type LexiconDetail, type LexiconTerm, type Scope, type Severity } from './model.ts';

const severities: Severity[] = ['block', 'review', 'info'];

/** 敏感词库: the lexicons that apply to my unit; open one for its terms, import/export and versions. */
export function LexiconsTab() {
  const [open, setOpen] = useState<string | null>(null);
  if (open) return <LexiconView id={open} onBack={() => setOpen(null)} />;
  return <LexiconList onOpen={setOpen} />;
}

function LexiconList({ onOpen }: { onOpen(id: string): void }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { session } = useSession();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ name: string; scope: Scope; description?: string }>();

  const { data: items, loading, reload: load } = useLoad<Lexicon[]>(async (signal) => (await api.get<{ items: Lexicon[] }>('/api/screening/lexicons', undefined, signal)).items, [], []);

  const toggle = async (l: Lexicon, enabled: boolean) => {
    try {
      await api.patch<Lexicon>(`/api/screening/lexicons/${l.id}`, { enabled });
      void load();
    } catch (err) {
      notifyError(err);
    }
  };

  const create = async (values: { name: string; scope: Scope; description?: string }) => {
    try {
      const l = await api.post<Lexicon>('/api/screening/lexicons', { name: values.name.trim(), scope: values.scope, description: values.description?.trim() || undefined });
      message.success(t('词库已创建', 'Lexicon created'));
      setCreating(false);
      form.resetFields();
      onOpen(l.id);
    } catch (err) {
      notifyError(err);
    }
  };

  const columns: TableColumnsType<Lexicon> = [
    {
      title: t('名称', 'Name'),
      key: 'name',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Link onClick={() => onOpen(r.id)} data-testid="lexicon-name">
            {r.name}
          </Typography.Link>
          {r.description && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.description}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('范围', 'Scope'), key: 'scope', width: 120, render: (_, r) => <Tag color={r.scope === 'alliance' ? 'purple' : 'cyan'}>{pick(i18n, scopeLabels[r.scope])}</Tag> },
    { title: t('词条数', 'Terms'), key: 'count', width: 100, render: (_, r) => (r.termCount ?? 0).toLocaleString(locale) },
    { title: t('版本', 'Version'), key: 'version', width: 80, render: (_, r) => t(`第 ${r.version} 版`, `v${r.version}`) },
    { title: t('内置', 'Built-in'), key: 'builtin', width: 80, render: (_, r) => (r.builtin ? <Tag>{t('内置', 'built-in')}</Tag> : null) },
    { title: t('更新时间', 'Updated'), key: 'updatedAt', width: 170, render: (_, r) => formatTime(r.updatedAt, locale) },
    {
      title: t('启用', 'Enabled'),
      key: 'enabled',
      width: 80,
      render: (_, r) => <Switch size="small" checked={r.enabled} disabled={!r.manageable} onChange={(v) => void toggle(r, v)} />,
    },
  ];

  return (
    <div data-testid="lexicon-list">
      {session.can.manageUnitScreening && (
        <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setCreating(true)} data-testid="lexicon-create">
          {t('新建词库', 'New lexicon')}
        </Button>
      )}
      <Table<Lexicon> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={items} pagination={false} />
      {creating && (
        <Modal open title={t('新建词库', 'New lexicon')} onCancel={() => setCreating(false)} onOk={() => form.submit()} okText={t('创建', 'Create')} destroyOnHidden>
          <Form form={form} layout="vertical" initialValues={{ scope: 'unit' }} onFinish={create}>
            <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
              <Input data-testid="lexicon-create-name" />
            </Form.Item>
            <Form.Item name="scope" label={t('范围', 'Scope')}>
              <Radio.Group
                options={(['unit', 'alliance'] as const)
                  .filter((s) => s === 'unit' || session.can.manageAllianceScreening)
                  .map((s) => ({ value: s, label: pick(i18n, scopeLabels[s]) }))}
              />
            </Form.Item>
            <Form.Item name="description" label={t('说明', 'Description')} rules={[{ max: 500 }]}>
              <Input.TextArea autoSize={{ minRows: 2 }} />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </div>
  );
}

const PAGE = 50;

function LexiconView({ id, onBack }: { id: string; onBack(): void }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [version, setVersion] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);

  const { data: detail, loading, reload: load } = useLoad<LexiconDetail | null>((signal) => api.get<LexiconDetail>(`/api/screening/lexicons/${id}`, { q: q.trim() || undefined, version: version ?? undefined, limit: PAGE, offset: (page - 1) * PAGE }, signal), [id, q, page, version], null);

  const remove = async (terms: string[]) => {
    try {
      const res = await api.del<ChangeResult>(`/api/screening/lexicons/${id}/terms`, { terms });
      message.success(t(`已移除 ${res.removed} 个词，生成第 ${res.version} 版`, `Removed ${res.removed}; now version ${res.version}`));
      setSelected([]);
      void load();
    } catch (err) {
      notifyError(err);
    }
  };

  const exportFile = (format: 'txt' | 'csv') => {
    const params = new URLSearchParams({ format });
    if (version !== null) params.set('version', String(version));
    const a = document.createElement('a');
    a.href = `/api/screening/lexicons/${id}/export?${params.toString()}`;
    a.download = `${detail?.lexicon.name ?? 'lexicon'}-v${version ?? detail?.lexicon.version ?? ''}.${format}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  if (!detail) return <Card loading />;
  const l = detail.lexicon;
  const editable = Boolean(l.manageable) && version === null;

  const columns: TableColumnsType<LexiconTerm> = [
    { title: t('词', 'Term'), dataIndex: 'term', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('分类', 'Category'), dataIndex: 'category', width: 110, render: (v: Category) => pick(i18n, categoryLabels[v] ?? [v, v]) },
    { title: t('级别', 'Severity'), dataIndex: 'severity', width: 120, render: (v: Severity) => <Tag color={severityColors[v]}>{pick(i18n, severityLabels[v])}</Tag> },
    { title: t('加入版本', 'Since'), dataIndex: 'addedVersion', width: 90, render: (v: number) => t(`第 ${v} 版`, `v${v}`) },
  ];

  return (
    <div data-testid="lexicon-view">
      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
          {t('词库列表', 'Lexicons')}
        </Button>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {l.name}
        </Typography.Title>
        <Tag color={l.scope === 'alliance' ? 'purple' : 'cyan'}>{pick(i18n, scopeLabels[l.scope])}</Tag>
        <Tag>{t(`当前第 ${l.version} 版`, `version ${l.version}`)}</Tag>
        {!l.enabled && <Tag color="default">{t('已停用', 'disabled')}</Tag>}
      </Space>
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card
            size="small"
            title={version === null ? t(`词条（共 ${detail.total.toLocaleString(locale)} 个）`, `Terms (${detail.total.toLocaleString(locale)})`) : t(`第 ${version} 版的词条（共 ${detail.total} 个）`, `Terms at version ${version} (${detail.total})`)}
            extra={
              <Space wrap>
                {editable && (
                  <>
                    <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="lexicon-add">
                      {t('加词', 'Add')}
                    </Button>
                    <Button size="small" icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="lexicon-import">
                      {t('导入', 'Import')}
                    </Button>
                  </>
                )}
                <Button size="small" icon={<DownloadOutlined />} onClick={() => exportFile('txt')} data-testid="lexicon-export-txt">
                  TXT
                </Button>
                <Button size="small" icon={<DownloadOutlined />} onClick={() => exportFile('csv')} data-testid="lexicon-export-csv">
                  CSV
                </Button>
              </Space>
            }
          >
            <Space style={{ marginBottom: 8 }} wrap>
              <Input.Search
                allowClear
                placeholder={t('搜索词条', 'Search terms')}
                onSearch={(v) => {
                  setQ(v);
                  setPage(1);
                }}
                style={{ width: 240 }}
                data-testid="lexicon-search"
              />
              {editable && selected.length > 0 && (
                <Button danger size="small" icon={<DeleteOutlined />} onClick={() => void remove(selected)} data-testid="lexicon-remove">
                  {t(`移除所选 ${selected.length} 个`, `Remove ${selected.length} selected`)}
                </Button>
              )}
            </Space>
            <Table<LexiconTerm>
              rowKey="term"
              size="small"
              loading={loading}
              columns={columns}
              dataSource={detail.terms}
              rowSelection={editable ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) } : undefined}
              pagination={{ current: page, pageSize: PAGE, total: detail.total, showSizeChanger: false, onChange: setPage }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('版本', 'Versions')} extra={version !== null && <Button size="small" type="link" onClick={() => { setVersion(null); setPage(1); }}>{t('回到当前版', 'Back to current')}</Button>} data-testid="lexicon-versions">
            <Table
              rowKey="version"
              size="small"
              dataSource={detail.versions}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              rowClassName={(r) => (r.version === version ? 'ant-table-row-selected' : '')}
              columns={[
                {
                  title: t('版本', 'Ver.'),
                  dataIndex: 'version',
                  width: 60,
                  render: (v: number) => (
                    <Typography.Link onClick={() => { setVersion(v === l.version ? null : v); setPage(1); setSelected([]); }}>v{v}</Typography.Link>
                  ),
                },
                { title: t('变更', 'Change'), key: 'change', render: (_, r) => <span>+{r.added} / −{r.removed}{r.note ? ` · ${r.note}` : ''}</span> },
                {
                  title: t('时间', 'When'),
                  key: 'at',
                  render: (_, r) => (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatTime(r.changedAt, locale)}
                      {r.changedByName ? ` · ${r.changedByName}` : ''}
                    </Typography.Text>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {adding && <AddTermsDialog lexiconId={id} onClose={() => setAdding(false)} onDone={() => { setAdding(false); void load(); }} />}
      {importing && <ImportDialog lexiconId={id} onClose={() => setImporting(false)} onDone={() => { setImporting(false); void load(); }} />}
    </div>
  );
}

function AddTermsDialog({ lexiconId, onClose, onDone }: { lexiconId: string; onClose(): void; onDone(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [text, setText] = useState('');
  const [category, setCategory] = useState<Category>('custom');
  const [severity, setSeverity] = useState<Severity>('review');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const words = [...new Set(text.split(/[\n,，、;；]+/).map((w) => w.trim()).filter(Boolean))];

  const submit = async () => {
    setBusy(true);
    try {
      const res = await api.post<ChangeResult>(`/api/screening/lexicons/${lexiconId}/terms`, { terms: words.map((term) => ({ term, category, severity })), note: note.trim() || undefined });
      message.success(res.changed ? t(`已加入 ${res.added} 个词，生成第 ${res.version} 版`, `Added ${res.added}; now version ${res.version}`) : t('没有变化', 'No change'));
      onDone();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('加入词条', 'Add terms')} onCancel={onClose} onOk={submit} okText={t('加入', 'Add')} okButtonProps={{ loading: busy, disabled: words.length === 0, 'data-testid': 'lexicon-add-confirm' }} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} autoSize={{ minRows: 4, maxRows: 12 }} placeholder={t('每行一个词，或用逗号分隔', 'One term per line, or comma-separated')} data-testid="lexicon-add-terms" />
        <Space wrap>
          <Select<Category> value={category} onChange={setCategory} style={{ width: 140 }} options={categories.map((c) => ({ value: c, label: pick(i18n, categoryLabels[c]) }))} />
          <Select<Severity> value={severity} onChange={setSeverity} style={{ width: 140 }} options={severities.map((s) => ({ value: s, label: pick(i18n, severityLabels[s]) }))} />
        </Space>
        <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder={t('版本说明（可选）', 'Version note (optional)')} />
      </Space>
    </Modal>
  );
}

/** Import a txt or CSV file: read in the browser, sent as text; a bad file comes back with line-numbered errors. */
function ImportDialog({ lexiconId, onClose, onDone }: { lexiconId: string; onClose(): void; onDone(): void }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [format, setFormat] = useState<'txt' | 'csv'>('txt');
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [category, setCategory] = useState<Category>('custom');
  const [severity, setSeverity] = useState<Severity>('review');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ summary: string; lines: ImportError[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const pickFile = async (f: File | undefined) => {
    if (!f) return;
    if (f.size > 4 * 1024 * 1024) {
      message.error(t('文件不能超过 4 MB', 'The file must be at most 4 MB'));
      return;
    }
    const content = (await f.text()).replace(/^\uFEFF/, '');
    setFile({ name: f.name, content });
    setFormat(/\.csv$/i.test(f.name) ? 'csv' : 'txt');
    setErrors(null);
  };

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setErrors(null);
    try {
      const res = await api.post<ChangeResult>(`/api/screening/lexicons/${lexiconId}/import`, {
        format,
        content: file.content,
        mode,
        ...(format === 'txt' ? { category, severity } : {}),
        note: note.trim() || undefined,
      });
      message.success(res.changed ? t(`导入完成：加入 ${res.added}，移除 ${res.removed}，生成第 ${res.version} 版`, `Imported: ${res.added} added, ${res.removed} removed; now version ${res.version}`) : t('导入完成，没有变化', 'Imported; nothing changed'));
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'bad_lexicon_file') {
        const raw = err.body.errors;
        const lines = Array.isArray(raw)
          ? raw.filter((e): e is ImportError => typeof e === 'object' && e !== null && typeof (e as ImportError).line === 'number' && typeof (e as ImportError).message === 'string')
          : [];
        setErrors({ summary: lang === 'zh' ? err.detail : err.detailEn, lines });
      } else notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open width={640} title={t('导入词条', 'Import terms')} onCancel={onClose} onOk={submit} okText={t('导入', 'Import')} okButtonProps={{ loading: busy, disabled: !file, 'data-testid': 'lexicon-import-confirm' }} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('txt：每行一个词（可带分类与级别）；CSV：term,category,severity。文件在浏览器中读取后提交，有错误时不做任何修改。', 'txt: one term per line (optionally with category and severity); CSV: term,category,severity. The file is read in the browser; if it has errors nothing is changed.')}
        </Typography.Text>
        <Space wrap>
          <input ref={fileRef} type="file" accept=".txt,.csv,text/plain,text/csv" style={{ display: 'none' }} onChange={(e) => void pickFile(e.target.files?.[0])} data-testid="lexicon-import-file" />
          <Button icon={<UploadOutlined />} onClick={() => fileRef.current?.click()}>
            {t('选择文件', 'Choose a file')}
          </Button>
          {file && <Typography.Text>{t(`${file.name}（${file.content.split('\n').length} 行）`, `${file.name} (${file.content.split('\n').length} lines)`)}</Typography.Text>}
        </Space>
        <Space wrap>
          <Radio.Group value={format} onChange={(e) => setFormat(e.target.value as 'txt' | 'csv')} optionType="button" options={[{ value: 'txt', label: 'TXT' }, { value: 'csv', label: 'CSV' }]} />
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value as 'merge' | 'replace')}
            options={[
              { value: 'merge', label: t('合并（加入或更新）', 'Merge (add or update)') },
              { value: 'replace', label: t('替换（以文件为准）', 'Replace (file wins)') },
            ]}
          />
        </Space>
        {format === 'txt' && (
          <Space wrap>
            <Typography.Text type="secondary">{t('未注明时：', 'Defaults:')}</Typography.Text>
            <Select<Category> value={category} onChange={setCategory} style={{ width: 140 }} options={categories.map((c) => ({ value: c, label: pick(i18n, categoryLabels[c]) }))} />
            <Select<Severity> value={severity} onChange={setSeverity} style={{ width: 140 }} options={severities.map((s) => ({ value: s, label: pick(i18n, severityLabels[s]) }))} />
          </Space>
        )}
        <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder={t('版本说明（可选）', 'Version note (optional)')} />
        {errors && (
          <Alert
            type="error"
            showIcon
            data-testid="lexicon-import-errors"
            title={errors.summary}
            description={
              <div style={{ maxHeight: 220, overflow: 'auto' }}>
                {errors.lines.map((e) => (
                  <div key={`${e.line}:${e.message}`} data-testid="lexicon-import-error">
                    <Typography.Text code>{t(`第 ${e.line} 行`, `line ${e.line}`)}</Typography.Text> {e.message}
                  </div>
                ))}
              </div>
            }
          />
        )}
      </Space>
    </Modal>
  );
}
