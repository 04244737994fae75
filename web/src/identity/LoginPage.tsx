import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError, describeError } from '../shared/api.ts';
import { useI18n, type Lang } from '../shared/i18n.ts';

interface LoginForm {
  username: string;
  password: string;
}

/**
 * POST /api/session sets the HTTP-only session cookie (204), or asks for the second factor (202 with a
 * challenge), which POST /api/session/mfa completes; 401 (wrong password or code) and 429 (too many
 * tries) show the server's words.
 */
export function LoginPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const { t, lang, setLang } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [challenge, setChallenge] = useState<string | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ status: 'mfa_required'; challenge: string } | undefined>('/api/session', values);
      if (answer?.status === 'mfa_required') setChallenge(answer.challenge);
      else await onSignedIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const verify = async (values: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/session/mfa', { challenge, code: values.code.trim() });
      await onSignedIn();
    } catch (err) {
      setError(err);
      // An expired or used-up challenge needs the password again.
      if (err instanceof ApiError && (err.code === 'mfa_challenge_expired' || err.status === 429)) setChallenge(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: 'linear-gradient(135deg, #fff1f0 0%, #f5f5f5 60%)' }}>
      <Card style={{ width: 380 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            天府融媒
          </Typography.Title>
          <Segmented<Lang>
            size="small"
            value={lang}
            onChange={setLang}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'EN', value: 'en' },
            ]}
          />
        </div>
        <Typography.Paragraph type="secondary">{t('天府融媒联合体 · 控制台', 'Tianfu media alliance · console')}</Typography.Paragraph>
        {error !== null && <Alert type="error" showIcon title={describeError(error, lang)} style={{ marginBottom: 16 }} />}
        {challenge === null ? (
          <Form<LoginForm> layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item name="username" label={t('用户名', 'Username')} rules={[{ required: true, message: t('请输入用户名', 'Enter your username') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label={t('密码', 'Password')} rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('登录', 'Sign in')}
            </Button>
          </Form>
        ) : (
          <Form<{ code: string }> key={useRecovery ? 'recovery' : 'totp'} layout="vertical" onFinish={verify} requiredMark={false} data-testid="mfa-step">
            <Typography.Paragraph>
              {useRecovery
                ? t('请输入一个未使用过的恢复码（每个只能用一次）。', 'Enter a recovery code you have not used (each works once).')
                : t('请打开手机上的验证器应用，输入“天府融媒”显示的 6 位动态验证码。', 'Open your authenticator app and enter the 6-digit code shown for 天府融媒.')}
            </Typography.Paragraph>
            <Form.Item
              name="code"
              label={useRecovery ? t('恢复码', 'Recovery code') : t('动态验证码', 'Authenticator code')}
              rules={[{ required: true, message: t('请输入验证码', 'Enter the code') }]}
            >
              <Input
                prefix={<SafetyOutlined />}
                autoComplete="one-time-code"
                inputMode={useRecovery ? 'text' : 'numeric'}
                maxLength={useRecovery ? 20 : 6}
                autoFocus
                style={{ letterSpacing: useRecovery ? 1 : 4 }}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('验证', 'Verify')}
            </Button>
            <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 12 }}>
              <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => setUseRecovery(!useRecovery)}>
                {useRecovery ? t('使用动态验证码', 'Use an authenticator code') : t('手机不在身边？使用恢复码', 'No phone? Use a recovery code')}
              </Button>
              <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => { setChallenge(null); setError(null); }}>
                {t('返回', 'Back')}
              </Button>
            </div>
          </Form>
        )}
      </Card>
    </div>
  );
}
