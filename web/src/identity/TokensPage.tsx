import { CopyOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import type { ApiToken, ListOf } from '../shared/types.ts';

interface CreateForm {
  name: string;
  expiresInDays?: number | null;
}

/** API 令牌: bearer tokens for scripts, acting as the signed-in user in the active unit; the secret is shown once. */
export default function TokensPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<(ApiToken & { token: string }) | null>(null);
  const [form] = Form.useForm<CreateForm>();

  const { data: tokens, loading, reload: load } = useLoad(async (signal) => (await api.get<ListOf<ApiToken>>('/api/tokens', undefined, signal)).items, [], []);

  const create = async (v: CreateForm) => {
    setBusy(true);
    try {
      const token = await api.post<ApiToken & { token: string }>('/api/tokens', {
        name: v.name.trim(),
        ...(v.expiresInDays ? { expiresInDays: v.expiresInDays } : {}),
      });
      setCreated(token);
      form.resetFields();
      await load();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (id: string) => {
    try {
      await api.del(`/api/tokens/${id}`);
      message.success(t('已吊销', 'Revoked'));
      await load();
    } catch (err) {
      notifyError(err);
    }
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      message.success(t('已复制', 'Copied'));
    } catch {
      message.warning(t('无法访问剪贴板，请手动选中复制', 'No clipboard access; select and copy it by hand'));
    }
  };

  const columns: TableColumnsType<ApiToken> = [
    { title: t('名称', 'Name'), dataIndex: 'name', key: 'name' },
    { title: t('前缀', 'Prefix'), key: 'prefix', render: (_, tk) => <Typography.Text code>{tk.prefix}…</Typography.Text> },
    { title: t('创建时间', 'Created'), key: 'createdAt', render: (_, tk) => formatTime(tk.createdAt, locale) },
    { title: t('过期时间', 'Expires'), key: 'expiresAt', render: (_, tk) => (tk.expiresAt ? formatTime(tk.expiresAt, locale) : t('永不过期', 'Never')) },
    { title: t('最近使用', 'Last used'), key: 'lastUsedAt', render: (_, tk) => formatTime(tk.lastUsedAt, locale) },
    {
      title: t('操作', 'Actions'),
      key: 'actions',
      render: (_, tk) => (
        <Popconfirm title={t(`吊销令牌 ${tk.name}？使用它的程序将立即失去访问权限。`, `Revoke ${tk.name}? Programs using it lose access at once.`)} onConfirm={() => revoke(tk.id)}>
          <Button size="small" danger>
            {t('吊销', 'Revoke')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={<><KeyOutlined /> {t('创建 API 令牌', 'Create an API token')}</>}>
        <Form<CreateForm> form={form} layout="inline" onFinish={create}>
          <Form.Item name="name" rules={[{ required: true, whitespace: true, max: 80, message: t('请填写名称', 'Give it a name') }]}>
            <Input placeholder={t('名称，如 稿件同步脚本', 'Name, e.g. content sync script')} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="expiresInDays">
            <InputNumber min={1} max={3650} placeholder={t('有效天数（可选）', 'Valid days (optional)')} style={{ width: 180 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={busy}>
            {t('创建', 'Create')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('令牌以你在当前单位的身份和角色调用接口，请求头写作', 'A token calls the API as you, in your active unit and role, with the header')}{' '}
          <Typography.Text code>Authorization: Bearer {t('<令牌>', '<token>')}</Typography.Text>
        </Typography.Paragraph>
      </Card>
      <Card title={t('我的令牌', 'My tokens')}>
        <Table<ApiToken> rowKey="id" size="middle" columns={columns} dataSource={tokens} loading={loading} pagination={false} />
      </Card>
      {created && (
        <Modal
          open
          title={t(`令牌已创建：${created.name}`, `Token created: ${created.name}`)}
          onCancel={() => setCreated(null)}
          footer={
            <Button type="primary" onClick={() => setCreated(null)}>
              {t('我已保存', 'I have saved it')}
            </Button>
          }
        >
          <Alert type="warning" showIcon title={t('令牌只显示这一次，关闭后无法再查看，请立即复制保存。', 'The token is shown only this once; copy it now.')} style={{ marginBottom: 12 }} />
          <Space.Compact style={{ width: '100%' }}>
            <Input readOnly value={created.token} data-testid="new-token" onFocus={(e) => e.target.select()} />
            <Button icon={<CopyOutlined />} onClick={() => copy(created.token)}>
              {t('复制', 'Copy')}
            </Button>
          </Space.Compact>
        </Modal>
      )}
    </Space>
  );
}
