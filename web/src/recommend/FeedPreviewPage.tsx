import { Alert, App, Button, Card, Form, Input, InputNumber, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';

interface FeedItem {
  itemId: string;
  title: string;
  category: string | null;
  url: string;
  reason: string;
  reasonKind: string;
}
interface Pin {
  itemId: string;
  slot: number | null;
  note: string | null;
  expiresAt: string | null;
}

/**
 * 推荐预览: the 推荐 feed of a unit's portal as a TEST device id sees it, with each reason, and the unit's
 * pins. Staff never browse real readers here: the device id is one the editor made up and read with.
 */
export default function FeedPreviewPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [unit, setUnit] = useState('');
  const [items, setItems] = useState<FeedItem[]>([]);
  const [pins, setPins] = useState<Pin[]>([]);
  const [loading, setLoading] = useState(false);

  const load = async (v: { unit: string; device?: string }) => {
    setLoading(true);
    try {
      setUnit(v.unit);
      const feed = await api.get<{ items: FeedItem[] }>('/api/recommend/preview', { unit: v.unit, ...(v.device ? { device: v.device } : {}) });
      setItems(feed.items);
      setPins((await api.get<{ pins: Pin[] }>('/api/recommend/pins', { unit: v.unit })).pins);
    } catch (err) {
      notifyError(err);
    } finally {
      setLoading(false);
    }
  };

  const pin = async (v: { itemId: string; slot?: number | null }) => {
    try {
      await api.put('/api/recommend/pins', { unit, itemId: v.itemId, slot: v.slot ?? null });
      message.success(t('已置顶', 'Pinned'));
      setPins((await api.get<{ pins: Pin[] }>('/api/recommend/pins', { unit })).pins);
    } catch (err) {
      notifyError(err);
    }
  };

  const unpin = async (itemId: string) => {
    try {
      await api.del(`/api/recommend/pins/${unit}/${itemId}`);
      setPins(pins.filter((p) => p.itemId !== itemId));
    } catch (err) {
      notifyError(err);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('推荐预览', 'Feed preview')}</Typography.Title>
      <Alert type="info" showIcon message={t('输入单位代码和一个测试设备编号（用它在门户上读过几篇），查看该设备看到的推荐及理由。不会列出真实读者。', 'Enter a unit code and a test device id (one you read a few stories with on the portal) to see its feed and the reasons. Real readers are never listed.')} />
      <Form layout="inline" onFinish={load}>
        <Form.Item name="unit" label={t('单位代码', 'Unit code')} rules={[{ required: true, pattern: /^\d{6}$/ }]}>
          <Input placeholder="510104" />
        </Form.Item>
        <Form.Item name="device" label={t('测试设备编号', 'Test device id')} rules={[{ pattern: /^[A-Za-z0-9_-]{8,64}$/, message: t('8 至 64 个字母、数字、下划线或连字符', '8 to 64 letters, digits, _ or -') }]}>
          <Input placeholder={t('8 位以上字母或数字', '8 or more letters or digits')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={loading}>
          {t('查看', 'Show')}
        </Button>
      </Form>
      <Table<FeedItem>
        rowKey="itemId"
        dataSource={items}
        pagination={false}
        columns={[
          { title: '#', render: (_v, _r, i) => i + 1, width: 50 },
          { title: t('标题', 'Title'), dataIndex: 'title' },
          { title: t('栏目', 'Section'), dataIndex: 'category' },
          { title: t('推荐理由', 'Reason'), dataIndex: 'reason', render: (r: string, row) => <Tag color={row.reasonKind === 'pinned' ? 'gold' : 'blue'}>{r}</Tag> },
        ]}
      />
      {unit && (
        <Card title={t('推荐位（本单位）', 'Pins (this unit)')}>
          <Form layout="inline" onFinish={pin}>
            <Form.Item name="itemId" label={t('稿件编号', 'Item id')} rules={[{ required: true }]}>
              <Input style={{ width: 320 }} />
            </Form.Item>
            <Form.Item name="slot" label={t('必显位置', 'Must-show slot')}>
              <InputNumber min={1} max={50} />
            </Form.Item>
            <Button htmlType="submit">{t('置顶', 'Pin')}</Button>
          </Form>
          <Table<Pin>
            rowKey="itemId"
            dataSource={pins}
            pagination={false}
            columns={[
              { title: t('稿件编号', 'Item id'), dataIndex: 'itemId' },
              { title: t('位置', 'Slot'), dataIndex: 'slot', render: (s: number | null) => s ?? t('置顶', 'top') },
              {
                title: '',
                render: (_v, p) => (
                  <Popconfirm title={t('取消这个推荐位？', 'Remove this pin?')} onConfirm={() => unpin(p.itemId)}>
                    <Button size="small">{t('取消', 'Unpin')}</Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
