import { Card, Descriptions, Space, Statistic, Table, Tabs, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { UnitChart } from '../alliance/UnitChart.tsx';
import { ComposeTab } from './ComposeTab.tsx';
import { PrefectureTiles } from './PrefectureTiles.tsx';

interface Stats {
  total: number;
  byRegion: { code: string | null; name: string | null; count: number }[];
  byCity: { code: string; name: string; count: number }[];
  consents: { purpose: string; granted: number; withdrawn: number }[];
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
