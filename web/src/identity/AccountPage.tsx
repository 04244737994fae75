import { CheckCircleTwoTone } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, InputNumber, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import { roles, type Role, type SecurityPolicy } from '../shared/types.ts';
import { ChangePasswordForm, MfaSetup } from './AccountForms.tsx';

/**
 * 账号安全: change your own password, set up two-step verification (TOTP), and, for the root's
 * alliance admin, the alliance's sign-in policy.
 */

function PolicyCard() {
  const { t, role: roleLabel } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [policy, setPolicy] = useState<SecurityPolicy | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<SecurityPolicy>('/api/security/policy').then(setPolicy, notifyError);
  }, [notifyError]);

  if (!policy) return null;
  const mfaRoleOptions = roles.map((r) => ({ value: r, label: roleLabel(r) }));
  const save = async (v: { passwordMaxAgeDays: number; mfaRoles: Role[]; mfaGraceDays: number }) => {
    setBusy(true);
    try {
      setPolicy(await api.put<SecurityPolicy>('/api/security/policy', v));
      message.success(t('登录安全策略已保存', 'Sign-in policy saved'));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('联合体登录安全策略', 'Alliance sign-in policy')} style={{ marginTop: 24 }} data-testid="security-policy">
      {policy.canEdit ? (
        <Form layout="vertical" initialValues={policy} onFinish={save} style={{ maxWidth: 560 }}>
          <Form.Item name="passwordMaxAgeDays" label={t('密码有效期（天，0 表示不过期）', 'Password lifetime (days, 0 = never expires)')} rules={[{ required: true }]}>
            <InputNumber min={0} max={3650} />
          </Form.Item>
          <Form.Item name="mfaRoles" label={t('必须启用两步验证的角色', 'Roles that must use two-step verification')}>
            <Checkbox.Group options={mfaRoleOptions} />
          </Form.Item>
          <Form.Item name="mfaGraceDays" label={t('宽限期（天）：期间可登录，但会提示尽快设置', 'Grace period (days): sign-in still works, with a reminder')} rules={[{ required: true }]}>
            <InputNumber min={0} max={365} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('保存策略', 'Save policy')}
          </Button>
        </Form>
      ) : (
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('密码有效期', 'Password lifetime')}>
            {policy.passwordMaxAgeDays ? t(`${policy.passwordMaxAgeDays} 天`, `${policy.passwordMaxAgeDays} days`) : t('不过期', 'Never expires')}
          </Descriptions.Item>
          <Descriptions.Item label={t('须两步验证的角色', 'Roles needing two-step verification')}>
            {policy.mfaRoles.map((r) => (
              <Tag key={r}>{roleLabel(r)}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('宽限期', 'Grace period')}>{t(`${policy.mfaGraceDays} 天`, `${policy.mfaGraceDays} days`)}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}

export default function AccountPage() {
  const { session, refresh } = useSession();
  const { t, locale } = useI18n();
  const { mfa, passwordExpiresAt } = session.security;
  const [settingUp, setSettingUp] = useState(false);

  return (
    <div data-testid="account-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('账号安全', 'Account security')}
      </Typography.Title>
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(360px, 440px) minmax(480px, 1fr)', gap: 24, alignItems: 'start' }}>
        <Card title={t('修改密码', 'Change password')}>
          {passwordExpiresAt && (
            <Typography.Paragraph type="secondary">
              {t(`当前密码有效期至 ${formatTime(passwordExpiresAt, locale)}`, `Your password is valid until ${formatTime(passwordExpiresAt, locale)}`)}
            </Typography.Paragraph>
          )}
          <ChangePasswordForm onDone={refresh} />
        </Card>
        <Card title={t('两步验证', 'Two-step verification')}>
          {mfa.enrolled && !settingUp ? (
            <Space orientation="vertical">
              <Space>
                <CheckCircleTwoTone twoToneColor="#52c41a" />
                <Typography.Text strong data-testid="mfa-enrolled">
                  {t('已启用', 'On')}
                </Typography.Text>
              </Space>
              <Typography.Text type="secondary">
                {t(`剩余可用恢复码：${mfa.recoveryCodesLeft} 个。手机丢失或需要更换时，请联系本单位管理员重置。`, `Recovery codes left: ${mfa.recoveryCodesLeft}. If you lose your phone or need to change it, ask your unit admin to reset it.`)}
              </Typography.Text>
            </Space>
          ) : (
            <>
              {mfa.required && mfa.graceEndsAt && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title={t(`您的角色须启用两步验证，请在 ${formatTime(mfa.graceEndsAt, locale)} 前完成设置`, `Your role requires two-step verification; set it up before ${formatTime(mfa.graceEndsAt, locale)}`)}
                />
              )}
              <MfaSetup
                onDone={async () => {
                  setSettingUp(false);
                  await refresh();
                }}
              />
            </>
          )}
        </Card>
      </div>
      <PolicyCard />
    </div>
  );
}
