import { LockOutlined, SafetyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Form, Input, Space, Steps, Typography } from 'antd';
import qrcode from 'qrcode-generator';
import { useMemo, useState } from 'react';
import { api, describeError } from '../shared/api.ts';
import { useI18n } from '../shared/i18n.ts';

/** The password form and the two-step set-up, shared by the 账号安全 page and a restricted session's page. */

const PASSWORD_RULES: [zh: string, en: string] = [
  '至少 10 个字符，包含大写字母、小写字母、数字、符号中的至少三类；不能包含用户名，不能是常见密码。',
  'At least 10 characters with at least three of: upper-case, lower-case, digits, symbols; not containing your username; not a common password.',
];

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordForm({ onDone }: { onDone(): Promise<void> | void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<PasswordForm>();

  const submit = async (v: PasswordForm) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/session/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      form.resetFields();
      message.success(t('密码已修改，其他设备上的登录已退出', 'Password changed; other sessions were signed out'));
      await onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} requiredMark={false} style={{ maxWidth: 420 }} data-testid="change-password-form">
      <Typography.Paragraph type="secondary">{t(...PASSWORD_RULES)}</Typography.Paragraph>
      {error !== null && <Alert type="error" showIcon title={describeError(error, lang)} style={{ marginBottom: 16 }} />}
      <Form.Item name="currentPassword" label={t('当前密码', 'Current password')} rules={[{ required: true, message: t('请输入当前密码', 'Enter your current password') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('新密码', 'New password')} rules={[{ required: true, message: t('请输入新密码', 'Enter a new password') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('再次输入新密码', 'New password again')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('请再次输入新密码', 'Enter the new password again') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('两次输入的新密码不一致', 'The two new passwords differ'))),
          }),
        ]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('修改密码', 'Change password')}
      </Button>
    </Form>
  );
}

/** The otpauth:// URI as an SVG QR code drawn from the module matrix (no image URL, so nothing for a CSP to block). */
function QrCode({ text, size = 200 }: { text: string; size?: number }) {
  const cells = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const n = qr.getModuleCount();
    const dark: string[] = [];
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) dark.push(`M${c + 2} ${r + 2}h1v1h-1z`);
    return { n: n + 4, path: dark.join('') };
  }, [text]);
  return (
    <svg data-testid="mfa-qr" role="img" aria-label="otpauth QR" width={size} height={size} viewBox={`0 0 ${cells.n} ${cells.n}`} shapeRendering="crispEdges">
      <rect width={cells.n} height={cells.n} fill="#fff" />
      <path d={cells.path} fill="#000" />
    </svg>
  );
}

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/** Start → scan or type the secret → confirm with a first code → ten recovery codes, shown once. */
export function MfaSetup({ onDone }: { onDone(): Promise<void> | void }) {
  const { t, lang } = useI18n();
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');
  const [saved, setSaved] = useState(false);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setEnrolment(await api.post<{ secret: string; uri: string }>('/api/session/mfa/enrolment'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ recoveryCodes: string[] }>('/api/session/mfa/enrolment/confirm', { code: code.trim() });
      setCodes(res.recoveryCodes);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const step = codes ? 2 : enrolment ? 1 : 0;
  return (
    <div data-testid="mfa-setup">
      <Steps
        size="small"
        current={step}
        style={{ maxWidth: 640, marginBottom: 24 }}
        items={[{ title: t('开始', 'Start') }, { title: t('扫码并验证', 'Scan and verify') }, { title: t('保存恢复码', 'Save recovery codes') }]}
      />
      {error !== null && <Alert type="error" showIcon title={describeError(error, lang)} style={{ marginBottom: 16, maxWidth: 640 }} />}
      {step === 0 && (
        <Space orientation="vertical">
          <Typography.Paragraph style={{ maxWidth: 640 }}>
            {t(
              '两步验证：登录时除密码外，还需输入手机验证器应用（如微信小程序“腾讯身份验证器”、Google Authenticator、Microsoft Authenticator）中每 30 秒更新的 6 位数字。手机丢失时可用恢复码登录。',
              'Two-step verification: besides your password, sign-in asks for the 6 digits your authenticator app (Google Authenticator, Microsoft Authenticator, …) shows, renewed every 30 seconds. Recovery codes get you in if you lose your phone.',
            )}
          </Typography.Paragraph>
          <Button type="primary" icon={<SafetyOutlined />} onClick={start} loading={busy}>
            {t('开始设置两步验证', 'Set up two-step verification')}
          </Button>
        </Space>
      )}
      {step === 1 && enrolment && (
        <Space align="start" size={32} wrap>
          <Card size="small" style={{ textAlign: 'center' }}>
            <QrCode text={enrolment.uri} />
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('用验证器应用扫描二维码', 'Scan with your authenticator app')}
            </Typography.Paragraph>
          </Card>
          <div style={{ maxWidth: 420 }}>
            <Typography.Paragraph>{t('无法扫码时，在应用中选择“手动输入”，填入以下密钥：', 'Cannot scan? Choose “enter a setup key” in the app and type:')}</Typography.Paragraph>
            <Typography.Paragraph>
              <Typography.Text code copyable={{ text: enrolment.secret }} data-testid="mfa-secret" data-secret={enrolment.secret} style={{ fontSize: 16 }}>
                {grouped(enrolment.secret)}
              </Typography.Text>
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary">{t('类型：基于时间（TOTP），6 位，30 秒', 'Type: time-based (TOTP), 6 digits, 30 seconds')}</Typography.Paragraph>
            <Form layout="vertical" onFinish={confirm}>
              <Form.Item label={t('输入应用中显示的 6 位验证码', 'Enter the 6-digit code the app shows')}>
                <Input
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  style={{ width: 160, letterSpacing: 4, fontSize: 18 }}
                  aria-label={t('验证码', 'Code')}
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} disabled={!/^\d{6}$/.test(code.trim())}>
                {t('验证并启用', 'Verify and turn on')}
              </Button>
            </Form>
          </div>
        </Space>
      )}
      {step === 2 && codes && (
        <div style={{ maxWidth: 640 }}>
          <Alert
            type="warning"
            showIcon
            title={t('请立即保存这 10 个恢复码', 'Save these 10 recovery codes now')}
            description={t(
              '每个恢复码只能使用一次，在手机丢失时代替验证码登录。它们只显示这一次，请抄写或打印后妥善保管。',
              'Each works once, in place of a code, if you lose your phone. They are shown only this once: write them down or print them and keep them safe.',
            )}
            style={{ marginBottom: 16 }}
          />
          <Card size="small" data-testid="recovery-codes">
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, max-content)', gap: '8px 48px', fontFamily: 'monospace', fontSize: 16 }}>
              {codes.map((c) => (
                <span key={c} data-testid="recovery-code">
                  {c}
                </span>
              ))}
            </div>
            <Typography.Paragraph copyable={{ text: codes.join('\n') }} style={{ marginTop: 12, marginBottom: 0 }}>
              {t('复制全部', 'Copy all')}
            </Typography.Paragraph>
          </Card>
          <Space style={{ marginTop: 16 }}>
            <Checkbox checked={saved} onChange={(e) => setSaved(e.target.checked)}>
              {t('我已保存恢复码', 'I have saved the recovery codes')}
            </Checkbox>
            <Button type="primary" disabled={!saved} onClick={() => onDone()}>
              {t('完成', 'Done')}
            </Button>
          </Space>
        </div>
      )}
    </div>
  );
}
