import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, type FormRule as Rule, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, describeError } from '../shared/api.ts';
import { useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { useSession } from '../shared/session.ts';
import { type Channel, type ChannelKind, type ChannelKindInfo, channelKindLabels, type SettingsSchema } from './channels.ts';
import { settingValueLabels } from '../../../src/shared/labels.ts';

/**
 * 渠道设置: the unit's channels. Unit admins add, edit and disable them; credentials are write-only
 * (the page only learns which are set). Supervisors and chief editors see the list.
 */
export function ChannelsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { session } = useSession();
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const admin = session.can.configureChannels;

  const {
    data: { channels, kinds },
    loading,
    reload: load,
  } = useLoad(
    async (signal) => {
      const [list, k] = await Promise.all([api.get<{ items: Channel[] }>('/api/channels', undefined, signal), api.get<{ items: ChannelKindInfo[] }>('/api/channel-kinds', undefined, signal)]);
      return { channels: list.items, kinds: k.items };
    },
    [],
    { channels: [] as Channel[], kinds: [] as ChannelKindInfo[] },
  );

  const toggle = async (c: Channel, enabled: boolean) => {
    try {
      await api.patch(`/api/channels/${c.id}`, { enabled });
      void load();
    } catch (err) {
      message.error(describeError(err, lang));
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="channels-page">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('发布渠道', 'Channels')}
        </Typography.Title>
        {admin && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="channel-add">
            {t('添加渠道', 'Add channel')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary">
        {t('签发的稿件按这里的渠道分发（一次采集、多元传播）。凭据加密保存，保存后不再显示。', 'Signed-off stories go out through these channels. Credentials are stored encrypted and never shown again.')}
      </Typography.Paragraph>
      <Table
        rowKey="id"
        loading={loading}
        dataSource={channels}
        pagination={false}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name', render: (name: string) => <span data-testid={`channel-row-${name}`}>{name}</span> },
          { title: t('类型', 'Kind'), dataIndex: 'kind', render: (k: ChannelKind) => <Tag>{t(...channelKindLabels[k])}</Tag> },
          {
            title: t('凭据', 'Credentials'),
            render: (_, c) => {
              const secrets = kinds.find((k) => k.kind === c.kind)?.secrets;
              return c.secretFields.length
                ? c.secretFields.map((f) => {
                    const name = settingLabel(secrets, f, t);
                    return <Tag key={f} color="green">{t(`${name} 已设置`, `${name} set`)}</Tag>;
                  })
                : '—';
            },
          },
          { title: t('默认选中', 'Default'), render: (_, c) => (c.autoSelect ? t('是', 'Yes') : t('否', 'No')) },
          { title: t('限速（次/分）', 'Rate (/min)'), render: (_, c) => c.rateLimitPerMinute ?? '—' },
          {
            title: t('启用', 'Enabled'),
            render: (_, c) => <Switch checked={c.enabled} disabled={!admin} onChange={(v) => void toggle(c, v)} data-testid={`channel-enabled-${c.name}`} />,
          },
          {
            title: '',
            render: (_, c) =>
              admin ? (
                <Button size="small" onClick={() => setEditing(c)} data-testid={`channel-edit-${c.name}`}>
                  {t('编辑', 'Edit')}
                </Button>
              ) : null,
          },
        ]}
      />
      {editing && (
        <ChannelDialog
          channel={editing === 'new' ? null : editing}
          kinds={kinds}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
    </Space>
  );
}

interface FormValues {
  kind: ChannelKind;
  name: string;
  autoSelect: boolean;
  rateLimitPerMinute: number | null;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** Add or edit one channel; the settings fields come from the adapter's schema. */
function ChannelDialog({ channel, kinds, onClose, onSaved }: { channel: Channel | null; kinds: ChannelKindInfo[]; onClose(): void; onSaved(): void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form) ?? channel?.kind;
  const info = kinds.find((k) => k.kind === kind);

  const submit = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // antd shows what is missing under each field
    }
    setBusy(true);
    setError(null);
    const secrets = Object.fromEntries(Object.entries(values.secrets ?? {}).filter(([, v]) => typeof v === 'string' && v !== ''));
    const config = Object.fromEntries(Object.entries(values.config ?? {}).filter(([, v]) => v !== undefined && v !== ''));
    try {
      const common = { name: values.name, autoSelect: values.autoSelect, rateLimitPerMinute: values.rateLimitPerMinute ?? null, config };
      if (channel) await api.patch(`/api/channels/${channel.id}`, { ...common, ...(Object.keys(secrets).length ? { secrets } : {}) });
      else await api.post('/api/channels', { ...common, kind: values.kind, secrets });
      message.success(t('渠道已保存', 'Channel saved'));
      onSaved();
    } catch (err) {
      setError(describeError(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={channel ? t(`编辑渠道：${channel.name}`, `Edit channel: ${channel.name}`) : t('添加渠道', 'Add channel')} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ loading: busy, 'data-testid': 'channel-save' }} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: channel?.kind, name: channel?.name, autoSelect: channel?.autoSelect ?? true, rateLimitPerMinute: channel?.rateLimitPerMinute ?? null, config: channel?.config ?? {}, secrets: {} }}
        data-testid="channel-form"
      >
        <Form.Item name="kind" label={t('类型', 'Kind')} rules={[{ required: true, message: t('请选择渠道类型', 'Choose a kind') }]}>
          <Select disabled={!!channel} data-testid="channel-kind" options={kinds.map((k) => ({ value: k.kind, label: t(...channelKindLabels[k.kind]) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, message: t('请填写名称', 'Name it') }]}>
          <Input maxLength={60} data-testid="channel-name" />
        </Form.Item>
        {info && <SchemaFields schema={info.config} prefix="config" />}
        {info && <SchemaFields schema={info.secrets} prefix="secrets" secret setFields={channel?.secretFields ?? []} />}
        <Space size="large">
          <Form.Item name="autoSelect" label={t('发布时默认选中', 'Chosen by default')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="rateLimitPerMinute" label={t('每分钟最多投递', 'Max per minute')}>
            <InputNumber min={1} max={100000} placeholder={t('不限', 'no limit')} />
          </Form.Item>
        </Space>
        {info && (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {info.supports.update ? t('支持更正同步；', 'Corrections are sent; ') : t('不支持修改已发内容（更正时门户显示更正说明）；', 'Cannot edit what it posted (the portal shows the correction); ')}
            {info.supports.retract ? t('支持撤稿同步。', 'retractions are sent.') : t('不支持撤回（撤稿时门户标注已撤稿）。', 'cannot take posts down (the portal marks the retraction).')}
          </Typography.Paragraph>
        )}
        {error && (
          <Typography.Text type="danger" data-testid="channel-error">
            {error}
          </Typography.Text>
        )}
      </Form>
    </Modal>
  );
}

/** A setting's name: adapters describe each as "中文 / English" (or Chinese only), and the console shows its language. */
function settingLabel(schema: SettingsSchema | undefined, key: string, t: (zh: string, en: string) => string): string {
  const [zh, en = zh] = (schema?.properties?.[key]?.description ?? key).split(' / ');
  return t(zh!, en);
}

/** Inputs for one settings object: text, number, switch or choice by its JSON Schema; credentials as password fields. */
function SchemaFields({ schema, prefix, secret, setFields = [] }: { schema: SettingsSchema; prefix: 'config' | 'secrets'; secret?: boolean; setFields?: string[] }) {
  const { t } = useI18n();
  const entries = Object.entries(schema.properties ?? {});
  if (!entries.length) return null;
  return (
    <>
      {entries.map(([key, prop]) => {
        const isSet = setFields.includes(key);
        const required = (schema.required ?? []).includes(key) && !(secret && isSet);
        const name = settingLabel(schema, key, t);
        const label = `${name}${secret ? t('（凭据）', ' (credential)') : ''}`;
        // What the server would refuse, said under the field before saving.
        const rules: Rule[] = [];
        if (required) rules.push({ required: true, message: t(`请填写${name}`, `${name} is required`) });
        if (prop.format === 'uri') rules.push({ type: 'url', message: t(`${name}应为完整的网址，如 https://example.cn/`, `${name} must be a full web address, e.g. https://example.cn/`) });
        if (prop.minLength && prop.minLength > 1) rules.push({ min: prop.minLength, message: t(`${name}至少 ${prop.minLength} 个字符`, `${name} needs at least ${prop.minLength} characters`) });
        let input;
        if (secret) input = <Input.Password autoComplete="new-password" placeholder={isSet ? t('已设置；留空则不变', 'Set; leave empty to keep') : ''} data-testid={`channel-secret-${key}`} />;
        else if (prop.enum) input = <Select options={prop.enum.map((v) => ({ value: v, label: settingValueLabels[v] ? t(...settingValueLabels[v]) : v }))} />;
        else if (prop.type === 'integer' || prop.type === 'number') input = <InputNumber min={prop.minimum} max={prop.maximum} />;
        else if (prop.type === 'boolean') input = <Switch />;
        else input = <Input data-testid={`channel-${prefix}-${key}`} />;
        return (
          <Form.Item key={key} name={[prefix, key]} label={label} rules={rules} valuePropName={prop.type === 'boolean' ? 'checked' : 'value'}>
            {input}
          </Form.Item>
        );
      })}
    </>
  );
}
export default ChannelsPage;
