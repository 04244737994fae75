import { App, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, describeError } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import { RegionPicker } from './RegionPicker.tsx';
import { StoryPicker } from './StoryPicker.tsx';

interface Definition {
  regions?: string[];
  interests?: string[];
  activeWithinDays?: number;
  minReads?: number;
  channels?: string[];
}
interface Segment {
  id: string;
  name: string;
  definition: Definition;
}
interface Conditions {
  regions?: string[];
  interests?: string[];
  activeWithinDays?: number | null;
  minReads?: number | null;
  channels?: string[];
}

const toDefinition = (v: Conditions): Definition => ({
  ...(v.regions?.length ? { regions: v.regions } : {}),
  ...(v.interests?.length ? { interests: v.interests } : {}),
  ...(v.activeWithinDays ? { activeWithinDays: v.activeWithinDays } : {}),
  ...(v.minReads ? { minReads: v.minReads } : {}),
  ...(v.channels?.length ? { channels: v.channels } : {}),
});

const countAudience = (definition: Definition) => api.post<{ count: number }>('/api/push/segments/count', { definition }).then((r) => r.count);

/** 精准推送: the segment (with its live count), the message and the story it opens; a send to nobody is confirmed first. */
export function ComposeTab() {
  const { t, lang } = useI18n();
  const notify = useNotifyError();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm();
  const values = Form.useWatch([], form) as Conditions | undefined;
  const definition = useMemo(() => toDefinition(values ?? {}), [values]);
  const [count, setCount] = useState<number | null>(null);
  const [countError, setCountError] = useState<string | null>(null);
  const [segments, setSegments] = useState<Segment[]>([]);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    api.get<Segment[]>('/api/push/segments').then(setSegments, notify);
  }, [notify]);

  // 实时人数: recount 300 ms after the editor stops changing conditions.
  const key = JSON.stringify(definition);
  useEffect(() => {
    setCount(null);
    const timer = setTimeout(() => {
      countAudience(definition).then(
        (n) => (setCount(n), setCountError(null)),
        (err: unknown) => (setCount(null), setCountError(describeError(err, lang))),
      );
    }, 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, lang]);

  const saveSegment = async () => {
    const name = String(form.getFieldValue('segmentName') ?? '').trim();
    if (!name) return void message.warning(t('请先填写人群名称', 'Name the segment first'));
    try {
      const s = await api.post<Segment>('/api/push/segments', { name, definition });
      setSegments((list) => [s, ...list]);
      message.success(t(`已保存人群「${name}」`, `Saved segment “${name}”`));
    } catch (err) {
      notify(err);
    }
  };

  const loadSegment = (id: string) => {
    const s = segments.find((x) => x.id === id);
    if (!s) return;
    form.setFieldsValue({ regions: s.definition.regions ?? [], interests: s.definition.interests ?? [], activeWithinDays: s.definition.activeWithinDays ?? null, minReads: s.definition.minReads ?? null, channels: s.definition.channels ?? [] });
  };

  const post = async (v: { title: string; body: string; itemId: string }, audience: number) => {
    const when = form.getFieldValue('scheduledAt') as Dayjs | undefined;
    setSending(true);
    try {
      await api.post('/api/push/campaigns', { title: v.title, body: v.body, itemId: v.itemId, definition, urgent: !!form.getFieldValue('urgent'), ...(when ? { scheduledAt: when.toISOString() } : {}) });
      form.resetFields(['title', 'body', 'itemId', 'scheduledAt', 'urgent']);
      message.success(when ? t(`已定时，届时推送给约 ${audience} 位读者`, `Scheduled for about ${audience} readers`) : t(`已开始推送给约 ${audience} 位读者，结果见「推送结果」`, `Sending to about ${audience} readers; see Results`));
    } catch (err) {
      notify(err);
    } finally {
      setSending(false);
    }
  };

  const send = async () => {
    const v = await form.validateFields(['title', 'body', 'itemId']);
    let audience: number;
    try {
      // Counted again now: the number on screen may be a moment old.
      audience = await countAudience(definition);
    } catch (err) {
      return notify(err);
    }
    setCount(audience);
    if (audience > 0) return post(v, audience);
    modal.confirm({
      title: t('没有读者会收到这条推送', 'No reader will get this push'),
      content: t(
        '按当前人群条件，目标人数为 0（只统计同意接收推送、且可送达的本单位读者）。仍然发送吗？',
        'The segment reaches 0 readers (only readers of your unit who consented to push and can be reached count). Send anyway?',
      ),
      okText: t('仍然发送', 'Send anyway'),
      cancelText: t('返回修改', 'Go back'),
      onOk: () => post(v, 0),
    });
  };

  // Shown twice: by the conditions, and by the send button (the conditions are scrolled away by then).
  const audience = (testId?: string) => (
    <Typography.Text strong type={countError ? 'danger' : count === 0 ? 'warning' : undefined} data-testid={testId} aria-live={testId ? 'polite' : undefined}>
      {countError ?? t(`约 ${count ?? '…'} 位读者`, `${count ?? '…'} readers`)}
    </Typography.Text>
  );

  return (
    <Form form={form} layout="vertical" style={{ maxWidth: 720 }}>
      <Card title={t('人群', 'Segment')} extra={audience('live-count')}>
        <Form.Item label={t('已存人群', 'Saved segments')}>
          <Select allowClear placeholder={t('选择以载入条件', 'Load a saved segment')} options={segments.map((s) => ({ value: s.id, label: s.name }))} onChange={loadSegment} />
        </Form.Item>
        <Form.Item name="regions" label={t('地区（常住地，选市州即含其全部区县）', 'Regions (home; a prefecture includes all its counties)')}>
          <RegionPicker />
        </Form.Item>
        <Form.Item name="interests" label={t('兴趣（任一）', 'Interests (any)')}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} placeholder={t('输入后回车，如 美食', 'Type and press Enter')} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="activeWithinDays" label={t('近 N 天活跃', 'Active in last N days')}>
            <InputNumber min={1} max={365} />
          </Form.Item>
          <Form.Item name="minReads" label={t('至少阅读 K 篇', 'Read at least K stories')}>
            <InputNumber min={1} max={10000} />
          </Form.Item>
        </Space>
        <Form.Item name="channels" label={t('渠道', 'Channels')}>
          <Checkbox.Group options={[{ value: 'webpush', label: t('网页推送', 'Web Push') }, { value: 'jpush', label: t('极光', 'JPush') }, { value: 'getui', label: t('个推', 'Getui') }]} />
        </Form.Item>
        <Space.Compact>
          <Form.Item name="segmentName" noStyle>
            <Input placeholder={t('人群名称', 'Segment name')} aria-label={t('人群名称', 'Segment name')} />
          </Form.Item>
          <Button onClick={saveSegment}>{t('保存人群', 'Save segment')}</Button>
        </Space.Compact>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('只统计同意接收推送、且可送达的本单位读者（在本单位注册或关注本单位）。', 'Counts only readers of your unit who consented to push and can be reached.')}
        </Typography.Paragraph>
      </Card>
      <Card title={t('推送内容', 'Message')} style={{ marginTop: 16 }}>
        <Form.Item name="title" label={t('标题', 'Title')} rules={[{ required: true, max: 40, message: t('请填写 40 字以内的标题', 'A title of up to 40 characters') }]}>
          <Input maxLength={40} showCount />
        </Form.Item>
        <Form.Item name="body" label={t('正文', 'Body')} rules={[{ required: true, max: 200, message: t('请填写 200 字以内的正文', 'A body of up to 200 characters') }]}>
          <Input.TextArea maxLength={200} showCount rows={3} />
        </Form.Item>
        <Form.Item name="itemId" label={t('链接稿件（本单位门户上已发布的稿件）', 'Story (published on your portal)')} rules={[{ required: true, message: t('请选择读者点开推送后看到的稿件', 'Pick the story the push opens') }]}>
          <StoryPicker />
        </Form.Item>
        <Space wrap>
          <Form.Item name="scheduledAt" label={t('定时发送（留空为立即）', 'Schedule (empty: now)')}>
            <DatePicker showTime disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
          </Form.Item>
          <Form.Item name="urgent" label={t('紧急（免打扰时段也发送）', 'Urgent (ignores quiet hours)')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary">{t('22:00–08:00 免打扰，非紧急推送顺延至 08:00；每位读者 24 小时内最多收到 3 条推送。', 'Quiet hours 22:00–08:00 defer non-urgent pushes to 08:00; at most 3 pushes per reader per 24 h.')}</Typography.Paragraph>
        <Space wrap>
          <Button type="primary" loading={sending} onClick={() => void send().catch(() => undefined)}>
            {t('发送', 'Send')}
          </Button>
          <span>
            {t('目标人数：', 'Audience: ')}
            {audience()}
          </span>
        </Space>
      </Card>
    </Form>
  );
}
