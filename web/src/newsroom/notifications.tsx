import { BellOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, List, Popover, Space, Tag, Typography } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { navigate } from '../shared/router.ts';
import { notificationKindLabels, type AppNotification, type NotificationKind } from './model.ts';

/**
 * 通知: the inbox behind the bell, kept live by the server-sent event stream
 * (GET /api/notifications/stream, `event: notification`). Pages subscribe with useLiveUpdates to
 * reload when something happens to them (a task accepted, a story filed, an item returned).
 */

type Listener = (n: AppNotification) => void;

interface NotificationsState {
  unread: number;
  items: AppNotification[];
  /** The stream is open (EventSource readyState OPEN). */
  live: boolean;
  reload(): Promise<void>;
  markRead(ids: number[] | 'all'): Promise<void>;
  subscribe(listener: Listener): () => void;
}

const NotificationsContext = createContext<NotificationsState | null>(null);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<AppNotification[]>([]);
  const [live, setLive] = useState(false);
  const listeners = useRef(new Set<Listener>());
  const { notification } = App.useApp();
  const { t } = useI18n();

  const reload = useCallback(async () => {
    try {
      const res = await api.get<{ unread: number; items: AppNotification[] }>('/api/notifications', { limit: 30 });
      setUnread(res.unread);
      setItems(res.items);
    } catch {
      // the bell is not worth an error toast; the stream or the next open retries
    }
  }, []);

  useEffect(() => {
    void reload();
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/notifications/stream', { withCredentials: true });
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(source.readyState === EventSource.OPEN);
    const onNotification = (e: MessageEvent<string>) => {
      let n: AppNotification;
      try {
        n = JSON.parse(e.data) as AppNotification;
      } catch {
        return;
      }
      setItems((cur) => (cur.some((x) => x.id === n.id) ? cur : [n, ...cur].slice(0, 50)));
      if (!n.read) setUnread((u) => u + 1);
      for (const l of listeners.current) l(n);
    };
    source.addEventListener('notification', onNotification as EventListener);
    return () => {
      source.removeEventListener('notification', onNotification as EventListener);
      source.close();
    };
  }, [reload]);

  // a short toast for each live notification, so a person sees it without opening the bell
  useEffect(() => {
    const show: Listener = (n) =>
      notification.info({
        title: n.title,
        description: n.body ?? undefined,
        placement: 'bottomRight',
        duration: 4,
        onClick: () => n.link && navigate(n.link),
      });
    listeners.current.add(show);
    return () => void listeners.current.delete(show);
  }, [notification, t]);

  const markRead = useCallback(async (ids: number[] | 'all') => {
    await api.post('/api/notifications/read', { ids });
    setItems((cur) => cur.map((n) => (ids === 'all' || ids.includes(n.id) ? { ...n, read: true } : n)));
    setUnread((u) => (ids === 'all' ? 0 : Math.max(0, u - ids.length)));
  }, []);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  const value = useMemo<NotificationsState>(() => ({ unread, items, live, reload, markRead, subscribe }), [unread, items, live, reload, markRead, subscribe]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

export function useNotifications(): NotificationsState | null {
  return useContext(NotificationsContext);
}

/**
 * Calls `onEvent` when a live notification arrives (optionally only some kinds), and every
 * `pollMs` as a fallback, so a board stays current while it is on screen.
 */
export function useLiveUpdates(onEvent: () => void, opts: { kinds?: NotificationKind[]; pollMs?: number } = {}) {
  const ctx = useNotifications();
  const ref = useRef(onEvent);
  ref.current = onEvent;
  const kinds = opts.kinds?.join(',');
  useEffect(() => {
    if (!ctx) return;
    const wanted = kinds ? kinds.split(',') : null;
    return ctx.subscribe((n) => {
      if (!wanted || wanted.includes(n.kind)) ref.current();
    });
  }, [ctx, kinds]);
  useEffect(() => {
    if (!opts.pollMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') ref.current();
    }, opts.pollMs);
    return () => clearInterval(timer);
  }, [opts.pollMs]);
}

/** The header bell: unread count, the latest notifications, a click opens what it is about. */
export function NotificationBell() {
  const ctx = useNotifications();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const notifyError = useNotifyError();
  const [open, setOpen] = useState(false);
  if (!ctx) return null;

  const openOne = async (n: AppNotification) => {
    setOpen(false);
    try {
      if (!n.read) await ctx.markRead([n.id]);
    } catch (err) {
      notifyError(err);
    }
    if (n.link) navigate(n.link);
  };

  const content = (
    <div style={{ width: 380 }} data-testid="notification-list">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Text strong>{t('通知', 'Notifications')}</Typography.Text>
        <Button size="small" type="link" disabled={ctx.unread === 0} onClick={() => void ctx.markRead('all').catch(notifyError)}>
          {t('全部标为已读', 'Mark all read')}
        </Button>
      </Space>
      {ctx.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('暂无通知', 'No notifications')} />
      ) : (
        <List<AppNotification>
          size="small"
          style={{ maxHeight: 420, overflow: 'auto' }}
          dataSource={ctx.items}
          renderItem={(n) => {
            const kind = notificationKindLabels[n.kind as NotificationKind];
            return (
              <List.Item
                key={n.id}
                onClick={() => void openOne(n)}
                style={{ cursor: 'pointer', background: n.read ? undefined : '#fff7e6', paddingInline: 8 }}
                data-testid="notification-item"
              >
                <Space orientation="vertical" size={0} style={{ width: '100%' }}>
                  <Space size={4}>
                    {kind && <Tag>{i18n.t(kind[0], kind[1])}</Tag>}
                    <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
                  </Space>
                  {n.body && (
                    <Typography.Text type="secondary" ellipsis style={{ maxWidth: 340 }}>
                      {n.body}
                    </Typography.Text>
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(n.createdAt, locale)}
                  </Typography.Text>
                </Space>
              </List.Item>
            );
          }}
        />
      )}
    </div>
  );

  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Badge count={ctx.unread} size="small" overflowCount={99} data-testid="notification-count">
        <Button
          shape="circle"
          icon={<BellOutlined />}
          aria-label={t(`通知（${ctx.unread} 条未读）`, `Notifications (${ctx.unread} unread)`)}
          data-testid="notification-bell"
          data-live={ctx.live ? 'true' : 'false'}
        />
      </Badge>
    </Popover>
  );
}
