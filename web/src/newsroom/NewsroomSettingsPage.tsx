import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Radio, Select, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { pick, typeLabels } from '../content/model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { notificationKindLabels, notificationKinds, returnTargets, type EditReturnsTo, type ReviewLevel, type ReviewPolicy, type Webhook } from './model.ts';
import { itemTypes, type ListOf, type Role } from '../shared/types.ts';

/** Oversight roles (supervisor, alliance admin) watch the chain and never act in it; the server refuses them. */
const reviewerRoles: Role[] = ['editor', 'chief_editor', 'unit_admin'];

/** 审核流程设置 (unit admins): the levels of the review chain, who acts at each, and the unit's webhooks. */
export default function NewsroomSettingsPage() {
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <PolicyCard />
      <WebhooksCard />
    </Space>
  );
}

function PolicyCard() {
  const i18n = useI18n();
  const { t, role } = i18n;
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [policy, setPolicy] = useState<ReviewPolicy | null>(null);
  const [saved, setSaved] = useState<string>('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .get<ReviewPolicy>('/api/review/policy')
      .then((p) => {
        setPolicy(p);
        setSaved(JSON.stringify(p));
      })
      .catch(notifyError);
  }, [notifyError]);

  if (!policy) return <Spin />;
  const dirty = JSON.stringify(policy) !== saved;
  const setLevel = (i: number, patch: Partial<ReviewLevel>) => setPolicy({ ...policy, levels: policy.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const move = (i: number, by: -1 | 1) => {
    const levels = [...policy.levels];
    [levels[i], levels[i + by]] = [levels[i + by]!, levels[i]!];
    setPolicy({ ...policy, levels });
  };
  const invalid = policy.levels.some((l) => !l.name.trim() || l.roles.length === 0);

  const save = async () => {
    setBusy(true);
    try {
      const body: ReviewPolicy = {
        editReturnsTo: policy.editReturnsTo,
        levels: policy.levels.map((l) => ({ name: l.name.trim(), roles: l.roles, ...(l.skipTypes?.length ? { skipTypes: l.skipTypes } : {}) })),
      };
      const res = await api.put<ReviewPolicy>('/api/review/policy', body);
      setPolicy(res);
      setSaved(JSON.stringify(res));
      message.success(t('审核流程已保存', 'Review chain saved'));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<ReviewLevel & { index: number }> = [
    { title: t('顺序', 'Order'), key: 'n', width: 60, render: (_, l) => l.index + 1 },
    {
      title: t('审级名称', 'Level'),
      key: 'name',
      width: 140,
      render: (_, l) => <Input value={l.name} maxLength={20} onChange={(e) => setLevel(l.index, { name: e.target.value })} status={l.name.trim() ? undefined : 'error'} data-testid="level-name" />,
    },
    {
      title: t('可审核的角色', 'Roles that review'),
      key: 'roles',
      render: (_, l) => (
        <Checkbox.Group value={l.roles} onChange={(v) => setLevel(l.index, { roles: v as Role[] })} options={reviewerRoles.map((r) => ({ value: r, label: role(r) }))} />
      ),
    },
    {
      title: t('跳过的稿件类型', 'Skipped for'),
      key: 'skip',
      width: 240,
      render: (_, l) => (
        <Select
          mode="multiple"
          allowClear
          style={{ width: '100%' }}
          value={l.skipTypes ?? []}
          onChange={(v: ReviewLevel['skipTypes']) => setLevel(l.index, { skipTypes: v })}
          options={itemTypes.map((x) => ({ value: x, label: pick(i18n, typeLabels[x]) }))}
          placeholder={t('不跳过', 'None')}
        />
      ),
    },
    {
      title: '',
      key: 'ops',
      width: 130,
      render: (_, l) => (
        <Space size={2}>
          <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={l.index === 0} onClick={() => move(l.index, -1)} aria-label={t('上移', 'Up')} />
          <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={l.index === policy.levels.length - 1} onClick={() => move(l.index, 1)} aria-label={t('下移', 'Down')} />
          <Button
            size="small"
            type="text"
            danger
            icon={<DeleteOutlined />}
            disabled={policy.levels.length <= 1}
            onClick={() => setPolicy({ ...policy, levels: policy.levels.filter((_, j) => j !== l.index) })}
            aria-label={t('删除', 'Remove')}
          />
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t('审核流程设置（三审三校）', 'Review chain')}
      data-testid="policy-card"
      extra={
        <Button type="primary" icon={<SaveOutlined />} disabled={!dirty || invalid} loading={busy} onClick={save} data-testid="policy-save">
          {t('保存', 'Save')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        {t(
          '稿件按顺序逐级审核，最后一级通过即为签发。每一级须由不同的人审核，作者不能审核自己的稿件。',
          'Items pass the levels in order; approval at the last level is the sign-off. Each level needs a different person, and nobody reviews their own work.',
        )}
      </Typography.Paragraph>
      <Table rowKey="index" size="small" pagination={false} columns={columns} dataSource={policy.levels.map((l, index) => ({ ...l, index }))} />
      <Button
        icon={<PlusOutlined />}
        style={{ marginTop: 8 }}
        disabled={policy.levels.length >= 5}
        onClick={() => setPolicy({ ...policy, levels: [...policy.levels, { name: t(`第${policy.levels.length + 1}审`, `Level ${policy.levels.length + 1}`), roles: ['unit_admin'] }] })}
      >
        {t('增加审级', 'Add a level')}
      </Button>
      <Form layout="vertical" style={{ marginTop: 16 }}>
        <Form.Item label={t('审核中的稿件被修改后', 'When an item in review is edited')}>
          <Radio.Group value={policy.editReturnsTo} onChange={(e) => setPolicy({ ...policy, editReturnsTo: e.target.value as EditReturnsTo })}>
            <Space orientation="vertical">
              {(Object.keys(returnTargets) as EditReturnsTo[]).map((k) => (
                <Radio key={k} value={k}>
                  {pick(i18n, returnTargets[k])}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
      </Form>
      {invalid && <Alert type="error" showIcon title={t('每一级都需要名称和至少一个角色', 'Every level needs a name and at least one role')} />}
    </Card>
  );
}

function WebhooksCard() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const notifyError = useNotifyError();
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm<{ url: string; events: string[] }>();
  const [busy, setBusy] = useState(false);

  const { data: hooks, loading, refresh: load } = useLoad<Webhook[]>(async (signal) => (await api.get<ListOf<Webhook>>('/api/webhooks', undefined, signal)).items, [], []);

  const add = async (v: { url: string; events: string[] }) => {
    setBusy(true);
    try {
      const res = await api.post<Webhook & { secret: string }>('/api/webhooks', { url: v.url.trim(), events: v.events });
      setAdding(false);
      form.resetFields();
      setSecret(res.secret);
      void load();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    try {
      await api.del(`/api/webhooks/${id}`);
      void load();
    } catch (err) {
      notifyError(err);
    }
  };
  const kindLabel = (k: string) => {
    const pair = notificationKindLabels[k as keyof typeof notificationKindLabels];
    return pair ? pick(i18n, pair) : k;
  };

  const columns: TableColumnsType<Webhook> = [
    { title: t('地址', 'URL'), key: 'url', render: (_, h) => <Typography.Text code>{h.url}</Typography.Text> },
    { title: t('事件', 'Events'), key: 'events', render: (_, h) => h.events.map((e) => <Tag key={e}>{kindLabel(e)}</Tag>) },
    {
      title: t('最近投递', 'Last delivery'),
      key: 'last',
      width: 200,
      render: (_, h) =>
        h.lastStatus === null && !h.lastError ? (
          <Typography.Text type="secondary">{t('尚未投递', 'Not yet')}</Typography.Text>
        ) : h.lastError ? (
          <Typography.Text type="danger">{h.lastError}</Typography.Text>
        ) : (
          <Tag color={h.lastStatus && h.lastStatus < 300 ? 'green' : 'red'}>HTTP {h.lastStatus}</Tag>
        ),
    },
    { title: t('创建时间', 'Created'), key: 'created', width: 170, render: (_, h) => formatTime(h.createdAt, locale) },
    {
      title: '',
      key: 'ops',
      width: 70,
      render: (_, h) => (
        <Popconfirm title={t('删除这个事件回调？', 'Remove this webhook?')} onConfirm={() => void remove(h.id)}>
          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('删除', 'Remove')} />
        </Popconfirm>
      ),
    },
  ];

  return (
    <Card
      title={t('事件回调', 'Webhooks')}
      data-testid="webhooks-card"
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('新增', 'Add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        {t('本单位的采编事件（派单、退回、签发、发布……）以带签名的 JSON 发送到这些地址，供本单位的其他系统接收。', "The unit's newsroom events (tasks, returns, sign-offs, publications…) are POSTed to these addresses as signed JSON.")}
      </Typography.Paragraph>
      <Table<Webhook> rowKey="id" size="small" loading={loading} columns={columns} dataSource={hooks} pagination={false} />
      {adding && (
        <Modal open title={t('新增事件回调', 'Add a webhook')} onCancel={() => setAdding(false)} onOk={() => form.submit()} okButtonProps={{ loading: busy }} destroyOnHidden>
          <Form form={form} layout="vertical" onFinish={add} initialValues={{ events: ['signoff', 'publish'] }}>
            <Form.Item name="url" label={t('接收地址', 'URL')} rules={[{ required: true, type: 'url' }]}>
              <Input placeholder="https://example.com/hooks/tianfu" />
            </Form.Item>
            <Form.Item name="events" label={t('事件', 'Events')} rules={[{ required: true, type: 'array', min: 1 }]}>
              <Checkbox.Group options={notificationKinds.map((k) => ({ value: k, label: kindLabel(k) }))} />
            </Form.Item>
          </Form>
        </Modal>
      )}
      {secret && (
        <Modal open title={t('签名密钥', 'Signing secret')} onCancel={() => setSecret(null)} footer={<Button type="primary" onClick={() => setSecret(null)}>{t('我已保存', 'I have saved it')}</Button>}>
          <Alert type="warning" showIcon title={t('密钥只显示这一次，请立即保存。', 'The secret is shown only this once; save it now.')} style={{ marginBottom: 12 }} />
          <Typography.Paragraph copyable code>
            {secret}
          </Typography.Paragraph>
        </Modal>
      )}
    </Card>
  );
}
