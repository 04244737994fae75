import { Alert, App, Button, Card, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { api } from '../shared/api.ts';
import { pick, typeLabels } from './model.ts';
import { ItemEditor } from './editor/ItemEditor.tsx';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import { navigate, usePath } from '../shared/router.ts';
import { useSession } from '../shared/session.ts';
import type { ItemSummary, ListOf, Relay } from '../shared/types.ts';
import { ItemList } from './ItemList.tsx';

/** 汇聚: the ingest queue (view=incoming) and what other units sent here (上报 from below, 下发 from above). */
export default function IncomingPage() {
  const path = usePath();
  const { t } = useI18n();
  const id = path.startsWith('/incoming/') ? decodeURIComponent(path.slice('/incoming/'.length)) : null;
  if (id) return <RelayedItem key={id} id={id} />;
  return (
    <Card title={t('汇聚', 'Incoming')}>
      <Tabs
        items={[
          { key: 'deliveries', label: t('收到的上报与下发', 'Relayed to us'), children: <Relays /> },
          { key: 'queue', label: t('汇聚待处理', 'Ingest queue'), children: <IncomingQueue /> },
        ]}
      />
    </Card>
  );
}

/**
 * An item opened from 汇聚 stays under 汇聚 (menu and back button), with what the sending unit said
 * when it relayed it: who sent which revision, when, and their note.
 */
function RelayedItem({ id }: { id: string }) {
  const { data: relays } = useLoad<Relay[]>(async (signal) => (await api.get<ListOf<Relay>>('/api/relays', { itemId: id }, signal)).items, [id], []);
  return (
    <>
      {relays.map((r) => (
        <RelayNote key={r.id} relay={r} />
      ))}
      <ItemEditor id={id} backPath="/incoming" />
    </>
  );
}

function RelayNote({ relay: r }: { relay: Relay }) {
  const { t, locale } = useI18n();
  const how = r.direction === 'up' ? t('上报', 'relayed up') : t('下发', 'relayed down');
  const who = `${r.fromUnitName}${r.sentByName ? ` · ${r.sentByName}` : ''}`;
  const rev = r.revision === null ? '' : t(`第 ${r.revision} 版`, ` revision ${r.revision}`);
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="relay-note"
      title={t(`${who} ${formatTime(r.createdAt, locale)} ${how}${rev}`, `${who} ${how}${rev} · ${formatTime(r.createdAt, locale)}`)}
      description={r.note ? t(`附言：${r.note}`, `Note: ${r.note}`) : t('（没有附言）', '(no note)')}
    />
  );
}

/** Items the ingest brought in (status incoming); an editor accepts one into the hub as a draft. */
function IncomingQueue() {
  const { t } = useI18n();
  const { session } = useSession();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const canAccept = session.can.acceptIncoming;
  const accept = async (item: ItemSummary, reload: () => Promise<void>) => {
    try {
      await api.post(`/api/items/${item.id}/accept`);
      message.success(t('已采纳进入稿库', 'Accepted into the hub'));
      await reload();
    } catch (err) {
      notifyError(err);
    }
  };
  return (
    <ItemList
      view="incoming"
      basePath="/incoming"
      filters={['type', 'category']}
      actions={(item, reload) =>
        canAccept && (
          <Button size="small" type="primary" onClick={() => accept(item, reload)}>
            {t('采纳入库', 'Accept')}
          </Button>
        )
      }
    />
  );
}

function Relays() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { data: rows, loading } = useLoad<Relay[]>(async (signal) => (await api.get<ListOf<Relay>>('/api/relays', undefined, signal)).items, [], []);

  const columns: TableColumnsType<Relay> = [
    {
      title: t('方式', 'Direction'),
      key: 'direction',
      width: 90,
      render: (_, d) => (d.direction === 'up' ? <Tag color="blue">{t('上报', 'Relayed up')}</Tag> : <Tag color="orange">{t('下发', 'Relayed down')}</Tag>),
    },
    {
      title: t('标题', 'Title'),
      key: 'title',
      render: (_, d) => <Typography.Link onClick={() => navigate(`/incoming/${d.itemId}`)}>{d.title}</Typography.Link>,
    },
    { title: t('类型', 'Type'), key: 'type', width: 80, render: (_, d) => pick(i18n, typeLabels[d.type]) },
    { title: t('来自', 'From'), key: 'from', render: (_, d) => `${d.fromUnitName}${d.sentByName ? ` · ${d.sentByName}` : ''}` },
    { title: t('附言', 'Note'), key: 'note', render: (_, d) => d.note ?? '—' },
    { title: t('时间', 'When'), key: 'at', width: 170, render: (_, d) => formatTime(d.createdAt, locale) },
    {
      title: t('采用', 'Adopted'),
      key: 'adopted',
      width: 110,
      render: (_, d) =>
        d.adoptedItemId ? (
          <Button size="small" type="link" onClick={() => navigate(`/hub/${d.adoptedItemId}`)}>
            {t('已采用 · 打开', 'Open copy')}
          </Button>
        ) : (
          <Button size="small" onClick={() => navigate(`/incoming/${d.itemId}`)} data-testid="relay-view">
            {t('查看', 'View')}
          </Button>
        ),
    },
  ];
  return <Table<Relay> rowKey="id" size="middle" columns={columns} dataSource={rows} loading={loading} pagination={false} />;
}
