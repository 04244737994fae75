import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, DownloadOutlined, LayoutOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, List, Popconfirm, Row, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { useSession } from '../shared/session.ts';
import { printFormatLabels } from '../../../src/shared/labels.ts';

type Format = 'broadsheet' | 'tabloid';

interface PoolEntry {
  id: string;
  itemId: string | null;
  title: string;
  revision: number | null;
  hasPicture: boolean;
  deliveredAt: string;
}

interface PublishedItem {
  id: string;
  title: string;
  status: string;
  publishedAt: string | null;
  hasPicture: boolean;
}

interface Candidate {
  key: string;
  source: 'pool' | 'item';
  id: string;
  title: string;
  hasPicture: boolean;
  at: string | null;
}

interface PrintPageDto {
  id: string;
  name: string;
  format: Format;
  date: string;
  stories: { source: 'pool' | 'item'; id: string; itemId: string | null; title: string }[];
  report: { id: string; lines: number; pages: number[] }[];
  flags: { storyId: string; title: string; reason: string; at: string }[];
  pageCount: number;
  pdfBytes: number;
  renderMs: number;
  createdAt: string;
  updatedAt: string;
}

const MAX_STORIES = 8;
const pdfUrl = (page: PrintPageDto, download = false) => `/api/print/pages/${page.id}/pdf${download ? '?download=true' : ''}#t=${encodeURIComponent(page.updatedAt)}`;

/**
 * 版面: choose stories from the print pool (delivered to the 报纸 channel) or the unit's published items,
 * order them (the first is the lead), pick 对开 or 四开, and lay the page out; the PDF shows beside
 * the list and downloads as it will print. A retraction that reaches a laid-out story flags the page.
 */
export default function PrintPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { session } = useSession();
  const canLayout = session.can.layoutPrint;
  const [chosen, setChosen] = useState<Candidate[]>([]);
  const [format, setFormat] = useState<Format>('broadsheet');
  const [name, setName] = useState('要闻');
  const [date, setDate] = useState<Dayjs>(dayjs());
  const [current, setCurrent] = useState<PrintPageDto | null>(null);
  const [busy, setBusy] = useState(false);

  const {
    data: { candidates, pages },
    loading,
    reload: load,
  } = useLoad(
    async (signal) => {
      const [c, p] = await Promise.all([
        api.get<{ pool: PoolEntry[]; published: PublishedItem[] }>('/api/print/candidates', undefined, signal),
        api.get<{ items: PrintPageDto[] }>('/api/print/pages', undefined, signal),
      ]);
      const pooledItems = new Set(c.pool.map((e) => e.itemId));
      setCurrent((cur) => (cur ? (p.items.find((x) => x.id === cur.id) ?? null) : (p.items[0] ?? null)));
      return {
        candidates: [
          ...c.pool.map((e): Candidate => ({ key: `pool:${e.id}`, source: 'pool', id: e.id, title: e.title, hasPicture: e.hasPicture, at: e.deliveredAt })),
          ...c.published.filter((i) => !pooledItems.has(i.id)).map((i): Candidate => ({ key: `item:${i.id}`, source: 'item', id: i.id, title: i.title, hasPicture: i.hasPicture, at: i.publishedAt })),
        ],
        pages: p.items,
      };
    },
    [],
    { candidates: [] as Candidate[], pages: [] as PrintPageDto[] },
  );

  const chosenKeys = useMemo(() => new Set(chosen.map((c) => c.key)), [chosen]);
  const toggle = (c: Candidate) =>
    setChosen((list) => (list.some((x) => x.key === c.key) ? list.filter((x) => x.key !== c.key) : list.length >= MAX_STORIES ? list : [...list, c]));
  const move = (k: number, by: -1 | 1) =>
    setChosen((list) => {
      const next = [...list];
      const [x] = next.splice(k, 1);
      next.splice(k + by, 0, x!);
      return next;
    });

  const layOut = async () => {
    setBusy(true);
    try {
      const page = await api.post<PrintPageDto>('/api/print/pages', { name: name.trim(), format, date: date.format('YYYY-MM-DD'), stories: chosen.map((c) => ({ source: c.source, id: c.id })) });
      message.success(t(`已组版：${page.pageCount} 版，用时 ${page.renderMs} 毫秒`, `Laid out: ${page.pageCount} page(s) in ${page.renderMs} ms`));
      setCurrent(page);
      setChosen([]);
      await load();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  const relayout = async (page: PrintPageDto) => {
    try {
      setCurrent(await api.post<PrintPageDto>(`/api/print/pages/${page.id}/relayout`, {}));
      message.success(t('已重新组版', 'Laid out again'));
      await load();
    } catch (err) {
      notifyError(err);
    }
  };

  const remove = async (page: PrintPageDto) => {
    try {
      await api.del(`/api/print/pages/${page.id}`);
      if (current?.id === page.id) setCurrent(null);
      await load();
    } catch (err) {
      notifyError(err);
    }
  };

  const candidateColumns: TableColumnsType<Candidate> = [
    { title: t('标题', 'Title'), dataIndex: 'title', render: (v: string, c) => (<Space>{v}{c.hasPicture && <Tag color="blue">{t('有图', 'picture')}</Tag>}</Space>) },
    { title: t('来源', 'From'), dataIndex: 'source', width: 110, render: (s: Candidate['source']) => (s === 'pool' ? <Tag color="green">{t('报纸稿池', 'Print pool')}</Tag> : <Tag>{t('已发布', 'Published')}</Tag>) },
    { title: t('时间', 'When'), dataIndex: 'at', width: 150, render: (v: string | null) => formatTime(v, locale) },
  ];

  const pageColumns: TableColumnsType<PrintPageDto> = [
    { title: t('日期', 'Date'), dataIndex: 'date', width: 110 },
    { title: t('版名', 'Page'), dataIndex: 'name', render: (v: string, p) => (<Space>{v}{p.flags.length > 0 && <Tag icon={<WarningOutlined />} color="red">{t('有稿件已撤回', 'story retracted')}</Tag>}</Space>) },
    { title: t('版式', 'Format'), dataIndex: 'format', width: 80, render: (f: Format) => t(...printFormatLabels[f]) },
    { title: t('稿件', 'Stories'), width: 70, render: (_, p) => p.stories.length },
    { title: t('版数', 'Pages'), dataIndex: 'pageCount', width: 70 },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('版面', 'Print pages')}
      </Typography.Title>
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {canLayout && (
              <Card title={t('组版', 'Lay out a page')} size="small">
                <Form layout="vertical" onFinish={layOut}>
                  <Space wrap>
                    <Form.Item label={t('版名', 'Page name')} required>
                      <Input aria-label={t('版名', 'Page name')} value={name} maxLength={40} onChange={(e) => setName(e.target.value)} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item label={t('出版日期', 'Edition date')} required>
                      <DatePicker aria-label={t('出版日期', 'Edition date')} value={date} allowClear={false} onChange={(d) => d && setDate(d)} />
                    </Form.Item>
                    <Form.Item label={t('版式', 'Format')}>
                      <Segmented<Format>
                        value={format}
                        onChange={setFormat}
                        options={[
                          { label: t('对开（8 栏）', 'Broadsheet (8 col)'), value: 'broadsheet' },
                          { label: t('四开（5 栏）', 'Tabloid (5 col)'), value: 'tabloid' },
                        ]}
                      />
                    </Form.Item>
                  </Space>
                  <Typography.Text type="secondary">{t(`已选 ${chosen.length}/${MAX_STORIES} 篇，第一篇为头条`, `${chosen.length}/${MAX_STORIES} chosen; the first is the lead`)}</Typography.Text>
                  <List
                    size="small"
                    dataSource={chosen}
                    locale={{ emptyText: t('在下方表格中勾选稿件', 'Tick stories in the table below') }}
                    renderItem={(c, k) => (
                      <List.Item
                        actions={[
                          <Button key="up" size="small" icon={<ArrowUpOutlined />} disabled={k === 0} onClick={() => move(k, -1)} aria-label={t('上移', 'Move up')} />,
                          <Button key="down" size="small" icon={<ArrowDownOutlined />} disabled={k === chosen.length - 1} onClick={() => move(k, 1)} aria-label={t('下移', 'Move down')} />,
                        ]}
                      >
                        {k === 0 ? <Tag color="red">{t('头条', 'Lead')}</Tag> : <Tag>{k + 1}</Tag>}
                        {c.title}
                      </List.Item>
                    )}
                  />
                  <Button type="primary" htmlType="submit" icon={<LayoutOutlined />} loading={busy} disabled={!chosen.length || !name.trim()} style={{ marginTop: 8 }}>
                    {t('自动组版', 'Lay out')}
                  </Button>
                </Form>
              </Card>
            )}
            {canLayout && (
              <Card title={t('可排稿件', 'Available stories')} size="small" extra={<Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('刷新', 'Refresh')} />}>
                <Table<Candidate>
                  size="small"
                  rowKey="key"
                  loading={loading}
                  columns={candidateColumns}
                  dataSource={candidates}
                  pagination={{ pageSize: 8 }}
                  rowSelection={{
                    selectedRowKeys: [...chosenKeys],
                    onSelect: (c) => toggle(c),
                    hideSelectAll: true,
                    getCheckboxProps: (c) => ({ disabled: !chosenKeys.has(c.key) && chosen.length >= MAX_STORIES, 'aria-label': c.title }),
                  }}
                  locale={{ emptyText: <Empty description={t('报纸稿池为空，也没有已发布的稿件', 'The print pool is empty and nothing is published')} /> }}
                />
              </Card>
            )}
            <Card title={t('版面列表', 'Pages')} size="small">
              <Table<PrintPageDto>
                size="small"
                rowKey="id"
                loading={loading}
                columns={pageColumns}
                dataSource={pages}
                pagination={{ pageSize: 8 }}
                onRow={(p) => ({ onClick: () => setCurrent(p), style: { cursor: 'pointer', background: current?.id === p.id ? '#e6f4ff' : undefined } })}
              />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={current ? `${current.date} · ${current.name}` : t('预览', 'Preview')}
            extra={
              current && (
                <Space>
                  <Button icon={<DownloadOutlined />} href={pdfUrl(current, true)}>
                    {t('下载 PDF', 'Download PDF')}
                  </Button>
                  {canLayout && (
                    <Button icon={<ReloadOutlined />} onClick={() => void relayout(current)}>
                      {t('重新组版', 'Lay out again')}
                    </Button>
                  )}
                  {canLayout && (
                    <Popconfirm title={t('删除此版面？', 'Delete this page?')} onConfirm={() => void remove(current)}>
                      <Button danger icon={<DeleteOutlined />} aria-label={t('删除', 'Delete')} />
                    </Popconfirm>
                  )}
                </Space>
              )
            }
          >
            {current ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                {current.flags.map((f) => (
                  <Alert
                    key={f.storyId}
                    type="error"
                    showIcon
                    message={t(`《${f.title}》已撤回，付印前请重新组版`, `"${f.title}" was retracted: lay the page out again before it prints`)}
                  />
                ))}
                <Typography.Text type="secondary">
                  {t(
                    `${printFormatLabels[current.format][0]} · ${current.stories.length} 篇 · 共 ${current.pageCount} 版（含转版） · ${(current.pdfBytes / 1024).toFixed(0)} KB · 排版 ${current.renderMs} 毫秒`,
                    `${current.format} · ${current.stories.length} stories · ${current.pageCount} page(s) with jumps · ${(current.pdfBytes / 1024).toFixed(0)} KB · set in ${current.renderMs} ms`,
                  )}
                </Typography.Text>
                <object data={pdfUrl(current)} type="application/pdf" aria-label={t('版面预览', 'Page preview')} style={{ width: '100%', height: '78vh', border: '1px solid #d9d9d9' }}>
                  <a href={pdfUrl(current, true)}>{t('浏览器无法内嵌显示 PDF，点此下载', 'Your browser cannot show the PDF here; download it')}</a>
                </object>
              </Space>
            ) : (
              <Empty description={t('还没有版面', 'No pages yet')} />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
