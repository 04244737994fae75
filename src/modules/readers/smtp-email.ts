import nodemailer, { type Transporter } from 'nodemailer';
import { type CodeMessage, codeText, type EmailProvider } from './delivery.ts';

/**
 * Codes by email over SMTP (nodemailer). The setting is one URL in nodemailer's own form plus the sender:
 * `smtps://user:pass@smtp.example.com:465/?from=天府融媒 <noreply@example.com>` (or `smtp://…:587` with
 * STARTTLS, which nodemailer upgrades to when the server offers it).
 */
export interface SmtpOptions {
  url: string;
  from: string;
}

export function parseSmtpUrl(raw: string): SmtpOptions | null {
  if (!raw.trim()) return null;
  const url = new URL(raw.trim());
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('TIANFU_EMAIL_SMTP must start with smtp:// or smtps://');
  const from = url.searchParams.get('from');
  if (!from) throw new Error('TIANFU_EMAIL_SMTP needs ?from=<sender address>');
  url.searchParams.delete('from');
  return { url: url.toString(), from };
}

export class SmtpEmailProvider implements EmailProvider {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpOptions) {
    this.transport = nodemailer.createTransport(options.url);
  }

  async sendCode(message: CodeMessage): Promise<void> {
    const text = codeText(message);
    await this.transport.sendMail({
      from: this.options.from,
      to: message.to,
      subject: `天府融媒验证码 ${message.code}`,
      text: `${text}\n\n此邮件由系统自动发送，请勿回复。`,
    });
  }

  close() {
    this.transport.close();
  }
}
