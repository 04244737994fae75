import {
  ApartmentOutlined,
  AuditOutlined,
  BulbOutlined,
  CloudDownloadOutlined,
  DashboardOutlined,
  ExperimentOutlined,
  FileTextOutlined,
  KeyOutlined,
  LockOutlined,
  NotificationOutlined,
  LogoutOutlined,
  PrinterOutlined,
  PictureOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SearchOutlined,
  SettingOutlined,
  ShareAltOutlined,
  LayoutOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, Button, Grid, Layout, Menu, Result, Segmented, Select, Space, Spin, Typography, type MenuProps } from 'antd';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { api } from './shared/api.ts';
import { useNotifyError } from './shared/feedback.ts';
import { formatTime, useI18n, type Lang } from './shared/i18n.ts';
import { MyInvitations } from './identity/invitations.tsx';
import { NotificationBell, NotificationsProvider } from './newsroom/notifications.tsx';
import { navigate, usePath } from './shared/router.ts';
import { useSession } from './shared/session.ts';
import type { Abilities, Session } from './shared/types.ts';

const WorkbenchPage = lazy(() => import('./newsroom/WorkbenchPage.tsx'));
const AlliancePage = lazy(() => import('./alliance/AlliancePage.tsx'));
const UsersPage = lazy(() => import('./identity/UsersPage.tsx'));
const AuditPage = lazy(() => import('./identity/AuditPage.tsx'));
const TokensPage = lazy(() => import('./identity/TokensPage.tsx'));
const AccountPage = lazy(() => import('./identity/AccountPage.tsx'));
const HubPage = lazy(() => import('./content/HubPage.tsx'));
const SharedPoolPage = lazy(() => import('./content/SharedPoolPage.tsx'));
const IncomingPage = lazy(() => import('./content/IncomingPage.tsx'));
const AssetsPage = lazy(() => import('./content/AssetsPage.tsx'));
const SearchPage = lazy(() => import('./content/SearchPage.tsx'));
const NewsroomTopicsPage = lazy(() => import('./newsroom/NewsroomTopicsPage.tsx'));
const NewsroomTasksPage = lazy(() => import('./newsroom/NewsroomTasksPage.tsx'));
const NewsroomReviewPage = lazy(() => import('./newsroom/NewsroomReviewPage.tsx'));
const NewsroomSettingsPage = lazy(() => import('./newsroom/NewsroomSettingsPage.tsx'));
const NewsroomItemPage = lazy(() => import('./newsroom/NewsroomItemPage.tsx'));
const ScreeningPage = lazy(() => import('./screening/ScreeningPage.tsx'));
const ChannelsPage = lazy(() => import('./distribution/ChannelsPage.tsx'));
const PortalHomePage = lazy(() => import('./distribution/PortalHomePage.tsx'));
const PrintPage = lazy(() => import('./print/PrintPage.tsx'));
const PushPage = lazy(() => import('./push/PushPage.tsx'));
const FeedPreviewPage = lazy(() => import('./recommend/FeedPreviewPage.tsx'));

interface PageDef {
  path: string;
  label: [zh: string, en: string];
  icon: ReactNode;
  allowed(can: Abilities): boolean;
  render(): ReactNode;
  /** A route without a menu entry (e.g. /items/:id, where notifications link). */
  hidden?: boolean;
}

const pages: PageDef[] = [
  // The landing page: what this role has in hand today in the active unit.
  { path: '/', label: ['工作台', 'Workbench'], icon: <DashboardOutlined />, allowed: () => true, render: () => <WorkbenchPage /> },
  { path: '/hub', label: ['稿库', 'Content hub'], icon: <FileTextOutlined />, allowed: () => true, render: () => <HubPage /> },
  { path: '/shared', label: ['共享稿池', 'Shared pool'], icon: <ShareAltOutlined />, allowed: () => true, render: () => <SharedPoolPage /> },
  { path: '/incoming', label: ['汇聚', 'Incoming'], icon: <CloudDownloadOutlined />, allowed: () => true, render: () => <IncomingPage /> },
  { path: '/assets', label: ['媒资库', 'Asset library'], icon: <PictureOutlined />, allowed: () => true, render: () => <AssetsPage /> },
  { path: '/search', label: ['搜索', 'Search'], icon: <SearchOutlined />, allowed: () => true, render: () => <SearchPage /> },
  { path: '/topics', label: ['选题', 'Topics'], icon: <BulbOutlined />, allowed: () => true, render: () => <NewsroomTopicsPage /> },
  { path: '/tasks', label: ['任务', 'Tasks'], icon: <ScheduleOutlined />, allowed: () => true, render: () => <NewsroomTasksPage /> },
  { path: '/review', label: ['审核', 'Review'], icon: <SafetyCertificateOutlined />, allowed: (c) => c.reviewItems, render: () => <NewsroomReviewPage /> },
  { path: '/screening', label: ['智能审核', 'Screening'], icon: <ExperimentOutlined />, allowed: (c) => c.openScreening, render: () => <ScreeningPage /> },
  { path: '/items', label: ['稿件', 'Item'], icon: <FileTextOutlined />, allowed: () => true, render: () => <NewsroomItemPage />, hidden: true },
  { path: '/alliance', label: ['联合体', 'Alliance'], icon: <ApartmentOutlined />, allowed: () => true, render: () => <AlliancePage /> },
  { path: '/users', label: ['人员与角色', 'Users & roles'], icon: <TeamOutlined />, allowed: (c) => c.seeStaff, render: () => <UsersPage /> },
  { path: '/audit', label: ['审计日志', 'Audit log'], icon: <AuditOutlined />, allowed: (c) => c.readAudit, render: () => <AuditPage /> },
  { path: '/account', label: ['账号安全', 'Account security'], icon: <LockOutlined />, allowed: () => true, render: () => <AccountPage /> },
  { path: '/tokens', label: ['API 令牌', 'API tokens'], icon: <KeyOutlined />, allowed: () => true, render: () => <TokensPage /> },
  { path: '/workflow-settings', label: ['审核流程设置', 'Review settings'], icon: <SettingOutlined />, allowed: (c) => c.setReviewChain, render: () => <NewsroomSettingsPage /> },
  { path: '/channels', label: ['渠道', 'Channels'], icon: <ShareAltOutlined />, allowed: (c) => c.seeChannels, render: () => <ChannelsPage /> },
  { path: '/portal-home', label: ['门户编排', 'Portal home'], icon: <LayoutOutlined />, allowed: (c) => c.curatePortal, render: () => <PortalHomePage /> },
  { path: '/print', label: ['版面', 'Print pages'], icon: <PrinterOutlined />, allowed: (c) => c.seePrint, render: () => <PrintPage /> },
  { path: '/push', label: ['读者与推送', 'Readers & push'], icon: <NotificationOutlined />, allowed: (c) => c.seePush, render: () => <PushPage /> },
  { path: '/recommend', label: ['推荐预览', 'Feed preview'], icon: <NotificationOutlined />, allowed: (c) => c.previewFeed, render: () => <FeedPreviewPage /> },
];

interface Props {
  onSessionChange(session: Session): void;
  onSignedOut(): void;
}

/** Header (name, unit switcher, language, user, sign-out), side menu, and the page for the current path. */
export function ConsoleLayout({ onSessionChange, onSignedOut }: Props) {
  const { session } = useSession();
  const { t, lang, setLang, role: roleLabel, locale } = useI18n();
  const { mfa } = session.security;
  const notifyError = useNotifyError();
  const path = usePath();
  const [switching, setSwitching] = useState(false);
  // On a phone the header keeps to one row: the unit switcher takes the room, the name and the words on the sign-out button give it up.
  const narrow = !Grid.useBreakpoint().md;

  const visible = pages.filter((p) => p.allowed(session.can));
  const current = visible.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  useEffect(() => {
    if (!current) navigate('/', true);
  }, [current]);

  const switchUnit = async (unitId: string) => {
    setSwitching(true);
    try {
      onSessionChange(await api.put<Session>('/api/session/unit', { unitId }));
    } catch (err) {
      notifyError(err);
    } finally {
      setSwitching(false);
    }
  };

  const signOut = async () => {
    try {
      await api.del('/api/session');
    } catch (err) {
      notifyError(err);
    }
    onSignedOut();
  };

  const menuItems: MenuProps['items'] = visible.filter((p) => !p.hidden).map((p) => ({ key: p.path, icon: p.icon, label: t(...p.label) }));

  return (
    <NotificationsProvider>
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        data-testid="console-header"
        style={{ display: 'flex', alignItems: 'center', gap: narrow ? 8 : 16, background: '#fff', borderBottom: '1px solid #f0f0f0', paddingInline: narrow ? 12 : 24 }}
      >
        <Typography.Title level={narrow ? 5 : 4} style={{ margin: 0, color: '#c41d2f', whiteSpace: 'nowrap' }}>
          天府融媒
        </Typography.Title>
        {!narrow && <div style={{ flex: 1 }} />}
        <Select
          data-testid="unit-switcher"
          style={narrow ? { flex: 1, minWidth: 0 } : { minWidth: 280 }}
          value={session.activeUnitId}
          loading={switching}
          disabled={switching}
          onChange={switchUnit}
          aria-label={t('当前单位', 'Active unit')}
          options={session.user.memberships.map((m) => ({ value: m.unitId, label: `${m.unitName} · ${roleLabel(m.role)}` }))}
        />
        <MyInvitations />
        <NotificationBell />
        <Segmented<Lang>
          size={narrow ? 'small' : 'middle'}
          value={lang}
          onChange={setLang}
          options={[
            { label: '中文', value: 'zh' },
            { label: 'EN', value: 'en' },
          ]}
        />
        <Space>
          {!narrow && <UserOutlined />}
          {!narrow && <span>{session.user.displayName}</span>}
          <Button icon={<LogoutOutlined />} onClick={signOut} aria-label={t('退出', 'Sign out')} title={session.user.displayName}>
            {!narrow && t('退出', 'Sign out')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light" breakpoint="lg" collapsedWidth={0}>
          <Menu mode="inline" selectedKeys={current ? [current.path] : []} items={menuItems} onClick={({ key }) => navigate(key)} style={{ height: '100%' }} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          {mfa.required && !mfa.enrolled && mfa.graceEndsAt && path !== '/account' && (
            <Alert
              data-testid="mfa-reminder"
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t(
                `您的角色须启用两步验证。请在 ${formatTime(mfa.graceEndsAt, locale)} 前完成设置，逾期将只能登录设置页面。`,
                `Your role requires two-step verification. Set it up before ${formatTime(mfa.graceEndsAt, locale)}; after that, sign-in leads only to the set-up.`,
              )}
              action={
                <Button size="small" type="primary" onClick={() => navigate('/account')}>
                  {t('立即设置', 'Set up now')}
                </Button>
              }
            />
          )}
          <Suspense fallback={<Spin />}>
            {/* Remount on unit switch so every page reloads its data for the new unit and role. */}
            <div key={`${session.activeUnitId}:${session.role}`}>
              {current ? current.render() : <Result status="404" title={t('页面不存在', 'No such page')} />}
            </div>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
    </NotificationsProvider>
  );
}
