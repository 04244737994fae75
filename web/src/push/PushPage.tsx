import { Button, Card, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, Select, Space, Statistic, Switch, Table, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { UnitChart } from '../alliance/UnitChart.tsx';
import { PrefectureTiles } from './PrefectureTiles.tsx';

interface Stats {
  total: number;
  byRegion: { code: string | null; name: string | null; count: number }[];
  byCity: { code: string; name: string; count: number }[];
  consents: { purpose: string; granted: number; withdrawn: number }[];
}
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
interface Results {
  sent: number;
  delivered: number;
  failed: number;
  opened: number;
  openRate: number;
  capped: number;
  audience: number | null;
}
interface Campaign {
  id: string;
  title: string;
  body: string;
  state: string;
  urgent: boolean;
  scheduledAt: string;
  sentAt: string | null;
  results?: Results;
}

/** 读者与推送: reader statistics by region (aggregates only), the segment builder with its live count, the composer and results. */
export default function PushPage() {
  const { t } = useI18n();
  return (
    <Tabs
      items={[
        { key: 'stats', label: t('读者统计', 'Reader statistics'), children: <StatsTab /> },
        { key: 'compose', label: t('精准推送', 'Targeted push'), children: <ComposeTab /> },
        { key: 'results', label: t('推送结果', 'Results'), children: <ResultsTab /> },
      ]}
    />
  );
}

const purposeLabels: Record<string, [string, string]> = { personalisation: ['个性化推荐', 'personalisation'], push: ['推送', 'push'], analytics: ['统计分析', 'analytics'] };

function StatsTab() {
  const { t } = useI18n();
  const notify = useNotifyError();
  const [stats, setStats] = useState<Stats | null>(null);
  useEffect(() => {
    api.get<Stats>('/api/readers/stats').then(setStats, notify);
  }, [notify]);
  if (!stats) return null;
  const cities = new Map(stats.byCity.map((c) => [c.code, c.count]));
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space size="large">
        <Statistic title={t('读者总数', 'Readers')} value={stats.total} />
        {stats.consents.map((c) => (
          <Statistic key={c.purpose} title={t(`同意「${purposeLabels[c.purpose]?.[0] ?? c.purpose}」`, `Consented: ${purposeLabels[c.purpose]?.[1] ?? c.purpose}`)} value={c.granted} />
        ))}
      </Space>
      <Space align="start" size="large" wrap>
        <Card title={t('各市州读者（方块示意图）', 'Readers by prefecture (tile map)')}>
          <PrefectureTiles counts={cities} label={t('四川 21 个市州读者数', 'Readers in Sichuan’s 21 prefectures')} />
        </Card>
        <Card title={t('各区县读者', 'Readers by county')} style={{ minWidth: 420 }}>
          <UnitChart bars={stats.byRegion.filter((r) => r.name).slice(0, 20).map((r) => ({ name: r.name!, value: r.count }))} seriesName={t('读者', 'Readers')} height={420} />
        </Card>
      </Space>
    </Space>
  );
}

const toDefinition = (v: { regions?: string; interests?: string[]; activeWithinDays?: number | null; minReads?: number | null; channels?: string[] }): Definition => ({
  ...(v.regions?.trim() ? { regions: v.regions.split(/[\s,，]+/).filter(Boolean) } : {}),
  ...(v.interests?.length ? { interests: v.interests } : {}),
  ...(v.activeWithinDays ? { activeWithinDays: v.activeWithinDays } : {}),
  ...(v.minReads ? { minReads: v.minReads } : {}),
  ...(v.channels?.length ? { channels: v.channels } : {}),
});

function ComposeTab() {
  const { t } = useI18n();
  const notify = useNotifyError();
  const [form] = Form.useForm();
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined;
  const definition = useMemo(() => toDefinition((values ?? {}) as Parameters<typeof toDefinition>[0]), [values]);
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
    const timer = setTimeout(() => {
      api.post<{ count: number }>('/api/push/segments/count', { definition }).then(
        (r) => (setCount(r.count), setCountError(null)),
        (err: Error) => (setCount(null), setCountError(err.message)),
      );
    }, 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const saveSegment = async () => {
    const name = String(form.getFieldValue('segmentName') ?? '').trim();
    if (!name) return;
    try {
      const s = await api.post<Segment>('/api/push/segments', { name, definition });
      setSegments((list) => [s, ...list]);
    } catch (err) {
      notify(err);
    }
  };

  const loadSegment = (id: string) => {
    const s = segments.find((x) => x.id === id);
    if (!s) return;
    form.setFieldsValue({ regions: s.definition.regions?.join(' ') ?? '', interests: s.definition.interests ?? [], activeWithinDays: s.definition.activeWithinDays ?? null, minReads: s.definition.minReads ?? null, channels: s.definition.channels ?? [] });
  };

  const send = async () => {
    const v = await form.validateFields(['title', 'body', 'itemId']);
    const when = form.getFieldValue('scheduledAt') as Dayjs | undefined;
    setSending(true);
    try {
      await api.post('/api/push/campaigns', { title: v.title, body: v.body, itemId: v.itemId, definition, urgent: !!form.getFieldValue('urgent'), ...(when ? { scheduledAt: when.toISOString() } : {}) });
      form.resetFields(['title', 'body', 'scheduledAt', 'urgent']);
    } catch (err) {
      notify(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <Form form={form} layout="vertical" style={{ maxWidth: 720 }}>
      <Card title={t('人群', 'Segment')} extra={<Typography.Text strong data-testid="live-count">{countError ? countError : t(`约 ${count ?? '…'} 位读者`, `${count ?? '…'} readers`)}</Typography.Text>}>
        <Form.Item label={t('已存人群', 'Saved segments')}>
          <Select allowClear placeholder={t('选择以载入条件', 'Load a saved segment')} options={segments.map((s) => ({ value: s.id, label: s.name }))} onChange={loadSegment} />
        </Form.Item>
        <Form.Item name="regions" label={t('地区（区划代码，市或区县，空格分隔）', 'Regions (division codes, city or county)')}>
          <Input placeholder="510100 510104" />
        </Form.Item>
        <Form.Item name="interests" label={t('兴趣（任一）', 'Interests (any)')}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
        <Space>
          <Form.Item name="activeWithinDays" label={t('近期活跃（天数）', 'Active in last N days')}>
            <InputNumber min={1} max={365} />
          </Form.Item>
          <Form.Item name="minReads" label={t('至少阅读（篇数）', 'Read at least K stories')}>
            <InputNumber min={1} max={10000} />
          </Form.Item>
        </Space>
        <Form.Item name="channels" label={t('渠道', 'Channels')}>
          <Checkbox.Group options={[{ value: 'webpush', label: t('网页推送', 'Web Push') }, { value: 'jpush', label: t('极光', 'JPush') }, { value: 'getui', label: t('个推', 'Getui') }]} />
        </Form.Item>
        <Space.Compact>
          <Form.Item name="segmentName" noStyle>
            <Input placeholder={t('人群名称', 'Segment name')} />
          </Form.Item>
          <Button onClick={saveSegment}>{t('保存人群', 'Save segment')}</Button>
        </Space.Compact>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('只统计同意接收推送、且可送达的本单位读者（在本单位注册或关注本单位）。', 'Counts only readers of your unit who consented to push and can be reached.')}
        </Typography.Paragraph>
      </Card>
      <Card title={t('推送内容', 'Message')} style={{ marginTop: 16 }}>
        <Form.Item name="title" label={t('标题', 'Title')} rules={[{ required: true, max: 40 }]}>
          <Input maxLength={40} showCount />
        </Form.Item>
        <Form.Item name="body" label={t('正文', 'Body')} rules={[{ required: true, max: 200 }]}>
          <Input.TextArea maxLength={200} showCount rows={3} />
        </Form.Item>
        <Form.Item name="itemId" label={t('链接稿件（已在本单位门户发布的稿件编号）', 'Story (id of a story published on your portal)')} rules={[{ required: true, pattern: /^[0-9a-f-]{36}$/ }]}>
          <Input />
        </Form.Item>
        <Space>
          <Form.Item name="scheduledAt" label={t('定时发送（留空为立即）', 'Schedule (empty: now)')}>
            <DatePicker showTime disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
          </Form.Item>
          <Form.Item name="urgent" label={t('紧急（免打扰时段也发送）', 'Urgent (ignores quiet hours)')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary">{t('22:00–08:00 免打扰，非紧急推送顺延至 08:00；每位读者 24 小时内最多收到 3 条推送。', 'Quiet hours 22:00–08:00 defer non-urgent pushes to 08:00; at most 3 pushes per reader per 24 h.')}</Typography.Paragraph>
        <Button type="primary" loading={sending} onClick={send}>
          {t('发送', 'Send')}
        </Button>
      </Card>
    </Form>
  );
}

const stateTags: Record<string, [string, string, string]> = {
  scheduled: ['blue', '待发送', 'Scheduled'],
  sending: ['orange', '发送中', 'Sending'],
  sent: ['green', '已发送', 'Sent'],
  cancelled: ['default', '已取消', 'Cancelled'],
};

function ResultsTab() {
  const { t, locale } = useI18n();
  const notify = useNotifyError();
  const [list, setList] = useState<Campaign[]>([]);
  const [detail, setDetail] = useState<Campaign | null>(null);
  useEffect(() => {
    api.get<Campaign[]>('/api/push/campaigns').then(setList, notify);
  }, [notify]);
  const open = (c: Campaign) => api.get<Campaign>(`/api/push/campaigns/${c.id}`).then(setDetail, notify);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table<Campaign>
        rowKey="id"
        dataSource={list}
        onRow={(c) => ({ onClick: () => void open(c) })}
        columns={[
          { title: t('标题', 'Title'), dataIndex: 'title' },
          { title: t('状态', 'State'), dataIndex: 'state', render: (s: string, c) => <Space><Tag color={stateTags[s]?.[0]}>{t(stateTags[s]?.[1] ?? s, stateTags[s]?.[2] ?? s)}</Tag>{c.urgent && <Tag color="red">{t('紧急', 'Urgent')}</Tag>}</Space> },
          { title: t('计划时间', 'Scheduled'), dataIndex: 'scheduledAt', render: (v: string) => formatTime(v, locale) },
          { title: t('发送时间', 'Sent'), dataIndex: 'sentAt', render: (v: string | null) => formatTime(v, locale) },
        ]}
      />
      {detail?.results && (
        <Card title={detail.title}>
          <Descriptions column={3}>
            <Descriptions.Item label={t('目标人数', 'Audience')}>{detail.results.audience ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('已发送', 'Sent')}>{detail.results.sent}</Descriptions.Item>
            <Descriptions.Item label={t('频控跳过', 'Capped')}>{detail.results.capped}</Descriptions.Item>
            <Descriptions.Item label={t('送达（平台已接收）', 'Delivered (accepted)')}>{detail.results.delivered}</Descriptions.Item>
            <Descriptions.Item label={t('失败', 'Failed')}>{detail.results.failed}</Descriptions.Item>
            <Descriptions.Item label={t('打开', 'Opened')}>{detail.results.opened}</Descriptions.Item>
            <Descriptions.Item label={t('打开率', 'Open rate')}>{(detail.results.openRate * 100).toFixed(1)}%</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </Space>
  );
}
