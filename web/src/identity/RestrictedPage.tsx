import { LogoutOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Layout, Typography } from 'antd';
import { api } from '../shared/api.ts';
import { useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import { ChangePasswordForm, MfaSetup } from './AccountForms.tsx';

/**
 * What a limited session sees instead of the console: the server answers every other call with 403
 * until the password is changed (after an admin reset, or on expiry) or two-step verification is set up
 * (a required one, past its grace period).
 */
export function RestrictedPage({ onSignedOut }: { onSignedOut(): void }) {
  const { session, refresh } = useSession();
  const { t } = useI18n();
  const { restriction, passwordChangeReason } = session.security;

  const signOut = async () => {
    await api.del('/api/session').catch(() => undefined);
    onSignedOut();
  };

  const why =
    restriction === 'password_change'
      ? passwordChangeReason === 'reset'
        ? t('管理员重置了您的密码。请设置一个只有您知道的新密码，然后继续使用。', 'An admin reset your password. Choose a new one only you know to go on.')
        : t('您的密码已过期（联合体安全策略）。请设置新密码，然后继续使用。', 'Your password has expired under the alliance policy. Choose a new one to go on.')
      : t('您的角色须启用两步验证，宽限期已过。请完成设置，然后继续使用。', 'Your role requires two-step verification and the grace period is over. Set it up to go on.');

  return (
    <Layout style={{ minHeight: '100vh', background: 'linear-gradient(135deg, #fff1f0 0%, #f5f5f5 60%)' }}>
      <Layout.Content style={{ display: 'grid', placeItems: 'center', padding: 24 }}>
        <Card
          style={{ width: restriction === 'password_change' ? 520 : 820 }}
          data-testid="restricted-page"
          title={
            <Typography.Title level={4} style={{ margin: 0, color: '#c41d2f' }}>
              天府融媒 · {restriction === 'password_change' ? t('修改密码', 'Change password') : t('设置两步验证', 'Set up two-step verification')}
            </Typography.Title>
          }
          extra={
            <Button icon={<LogoutOutlined />} onClick={signOut}>
              {t('退出', 'Sign out')}
            </Button>
          }
        >
          <Alert type="info" showIcon title={`${session.user.displayName}（${session.user.username}）`} description={why} style={{ marginBottom: 24 }} />
          {restriction === 'password_change' ? <ChangePasswordForm onDone={refresh} /> : <MfaSetup onDone={refresh} />}
        </Card>
      </Layout.Content>
    </Layout>
  );
}
