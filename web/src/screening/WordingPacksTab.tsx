import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { pick } from '../content/model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { severityColors, severityLabels } from '../newsroom/model.ts';
import { useSession } from '../shared/session.ts';
import { scopeLabels, type Scope, type Severity, type WordingPack, type WordingRule } from './model.ts';

/** 规范表述: packs of wrong → right wording rules (with explanation and source); edit a pack's rules as a table. */
export function WordingPacksTab() {
  const [open, setOpen] = useState<string | null>(null);
  if (open) return <PackEditor id={open} onBack={() => setOpen(null)} />;
  return <PackList onOpen={setOpen} />;
}

function PackList({ onOpen }: { onOpen(id: string): void }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const notifyError = useNotifyError();
  const { session } = useSession();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ name: string; scope: Scope }>();

  const { data: items, loading, reload: load } = useLoad<WordingPack[]>(async (signal) => (await api.get<{ items: WordingPack[] }>('/api/screening/wording-packs', undefined, signal)).items, [], []);

  const toggle = async (p: WordingPack, enabled: boolean) => {
    try {
      await api.put<WordingPack>(`/api/screening/wording-packs/${p.id}`, { enabled });
      void load();
    } catch (err) {
      notifyError(err);
    }
  };
  const create = async (values: { name: string; scope: Scope }) => {
    try {
      const p = await api.post<WordingPack>('/api/screening/wording-packs', { name: values.name.trim(), scope: values.scope, rules: [] });
      setCreating(false);
      onOpen(p.id);
    } catch (err) {
      notifyError(err);
    }
  };

  const columns: TableColumnsType<WordingPack> = [
    { title: t('名称', 'Name'), key: 'name', render: (_, r) => <Typography.Link onClick={() => onOpen(r.id)} data-testid="pack-name">{r.name}</Typography.Link> },
    { title: t('范围', 'Scope'), key: 'scope', width: 120, render: (_, r) => <Tag color={r.scope === 'alliance' ? 'purple' : 'cyan'}>{pick(i18n, scopeLabels[r.scope])}</Tag> },
    { title: t('规则数', 'Rules'), key: 'rules', width: 90, render: (_, r) => r.rules.length },
    { title: t('版本', 'Version'), key: 'version', width: 80, render: (_, r) => t(`第 ${r.version} 版`, `v${r.version}`) },
    { title: t('内置', 'Built-in'), key: 'builtin', width: 80, render: (_, r) => (r.builtin ? <Tag>{t('内置', 'built-in')}</Tag> : null) },
    { title: t('更新时间', 'Updated'), key: 'updatedAt', width: 170, render: (_, r) => formatTime(r.updatedAt, locale) },
    { title: t('启用', 'Enabled'), key: 'enabled', width: 80, render: (_, r) => <Switch size="small" checked={r.enabled} disabled={!r.manageable} onChange={(v) => void toggle(r, v)} /> },
  ];

  return (
    <div data-testid="pack-list">
      {session.can.manageUnitScreening && (
        <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setCreating(true)} data-testid="pack-create">
          {t('新建规则包', 'New pack')}
        </Button>
      )}
      <Table<WordingPack> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={items} pagination={false} />
      {creating && (
        <Modal open title={t('新建规则包', 'New pack')} onCancel={() => setCreating(false)} onOk={() => form.submit()} okText={t('创建', 'Create')} destroyOnHidden>
          <Form form={form} layout="vertical" initialValues={{ scope: 'unit' }} onFinish={create}>
            <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="scope" label={t('范围', 'Scope')}>
              <Radio.Group options={(['unit', 'alliance'] as const).filter((s) => s === 'unit' || session.can.manageAllianceScreening).map((s) => ({ value: s, label: pick(i18n, scopeLabels[s]) }))} />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </div>
  );
}

interface Row extends WordingRule {
  key: number;
}

function PackEditor({ id, onBack }: { id: string; onBack(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [pack, setPack] = useState<WordingPack | null>(null);
  const [name, setName] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [filter, setFilter] = useState('');
  const [nextKey, setNextKey] = useState(0);

  const adopt = (p: WordingPack) => {
    setPack(p);
    setName(p.name);
    setRows(p.rules.map((r, i) => ({ ...r, key: i })));
    setNextKey(p.rules.length);
    setDirty(false);
  };

  useEffect(() => {
    api.get<WordingPack>(`/api/screening/wording-packs/${id}`).then(adopt, notifyError);
  }, [id, notifyError]);

  if (!pack) return <Card loading />;
  const editable = Boolean(pack.manageable);

  const update = (key: number, patch: Partial<WordingRule>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setDirty(true);
  };
  const addRow = () => {
    setRows((rs) => [{ key: nextKey, wrong: '', right: '', explanation: '', source: '', severity: 'review' }, ...rs]);
    setNextKey((k) => k + 1);
    setFilter('');
    setDirty(true);
  };
  const removeRow = (key: number) => {
    setRows((rs) => rs.filter((r) => r.key !== key));
    setDirty(true);
  };
  const save = async () => {
    const rules: WordingRule[] = rows
      .filter((r) => r.wrong.trim())
      .map((r) => ({ wrong: r.wrong.trim(), right: r.right.trim(), explanation: r.explanation.trim(), source: r.source.trim(), ...(r.severity ? { severity: r.severity } : {}) }));
    setSaving(true);
    try {
      adopt(await api.put<WordingPack>(`/api/screening/wording-packs/${id}`, { name: name.trim() || pack.name, rules }));
      message.success(t('规则包已保存', 'Pack saved'));
    } catch (err) {
      notifyError(err);
    } finally {
      setSaving(false);
    }
  };
  const del = async () => {
    try {
      await api.del(`/api/screening/wording-packs/${id}`);
      message.success(t('规则包已删除', 'Pack deleted'));
      onBack();
    } catch (err) {
      notifyError(err);
    }
  };

  const shown = filter ? rows.filter((r) => r.wrong.includes(filter) || r.right.includes(filter) || r.explanation.includes(filter)) : rows;
  const cell = (r: Row, field: 'wrong' | 'right' | 'explanation' | 'source', max: number) =>
    editable ? <Input.TextArea autoSize value={r[field]} maxLength={max} onChange={(e) => update(r.key, { [field]: e.target.value })} status={field === 'wrong' && !r.wrong.trim() ? 'warning' : undefined} /> : r[field] || '—';

  const columns: TableColumnsType<Row> = [
    { title: t('错误表述', 'Wrong'), key: 'wrong', width: 160, render: (_, r) => cell(r, 'wrong', 100) },
    { title: t('规范表述', 'Right'), key: 'right', width: 180, render: (_, r) => cell(r, 'right', 200) },
    { title: t('说明', 'Explanation'), key: 'explanation', render: (_, r) => cell(r, 'explanation', 1000) },
    { title: t('依据', 'Source'), key: 'source', width: 180, render: (_, r) => cell(r, 'source', 500) },
    {
      title: t('级别', 'Severity'),
      key: 'severity',
      width: 130,
      render: (_, r) =>
        editable ? (
          <Select<Severity> size="small" value={r.severity ?? 'review'} style={{ width: 120 }} onChange={(v) => update(r.key, { severity: v })} options={(['block', 'review', 'info'] as const).map((s) => ({ value: s, label: pick(i18n, severityLabels[s]) }))} />
        ) : (
          <Tag color={severityColors[r.severity ?? 'review']}>{pick(i18n, severityLabels[r.severity ?? 'review'])}</Tag>
        ),
    },
    ...(editable ? [{ title: '', key: 'del', width: 50, render: (_: unknown, r: Row) => <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => removeRow(r.key)} aria-label={t('删除', 'Delete')} /> }] : []),
  ];

  return (
    <div data-testid="pack-editor">
      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
          {t('规则包列表', 'Packs')}
        </Button>
        {editable ? <Input value={name} onChange={(e) => { setName(e.target.value); setDirty(true); }} maxLength={100} style={{ width: 240 }} /> : <Typography.Title level={5} style={{ margin: 0 }}>{pack.name}</Typography.Title>}
        <Tag color={pack.scope === 'alliance' ? 'purple' : 'cyan'}>{pick(i18n, scopeLabels[pack.scope])}</Tag>
        <Tag>v{pack.version}</Tag>
        {editable && (
          <>
            <Button icon={<PlusOutlined />} onClick={addRow} data-testid="pack-add-rule">
              {t('加一条', 'Add a rule')}
            </Button>
            <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} loading={saving} onClick={save} data-testid="pack-save">
              {t('保存', 'Save')}
            </Button>
            {!pack.builtin && (
              <Popconfirm title={t('删除这个规则包？', 'Delete this pack?')} onConfirm={del}>
                <Button danger icon={<DeleteOutlined />}>
                  {t('删除', 'Delete')}
                </Button>
              </Popconfirm>
            )}
          </>
        )}
        {!editable && <Typography.Text type="secondary">{t('只读：你不能修改这个规则包', 'Read-only: you cannot change this pack')}</Typography.Text>}
      </Space>
      <Input.Search allowClear placeholder={t('筛选规则', 'Filter rules')} onSearch={setFilter} onChange={(e) => !e.target.value && setFilter('')} style={{ width: 260, marginBottom: 8, display: 'block' }} />
      <Table<Row> rowKey="key" size="small" columns={columns} dataSource={shown} pagination={{ pageSize: 30, showSizeChanger: false, hideOnSinglePage: true }} />
    </div>
  );
}
