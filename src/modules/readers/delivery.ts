import type { ContactChannel } from './tables.ts';

/** A one-time code on its way to a reader: what a provider needs, nothing more. */
export interface CodeMessage {
  channel: ContactChannel;
  /** +8613812345678 or a lower-case email address. */
  to: string;
  code: string;
  ttlMinutes: number;
}

export interface SmsProvider {
  readonly name: string;
  sendCode(message: CodeMessage): Promise<void>;
}

export interface EmailProvider {
  readonly name: string;
  sendCode(message: CodeMessage): Promise<void>;
}

export interface CodeDelivery {
  sms: SmsProvider;
  email: EmailProvider;
}

/**
 * For development and tests: nothing leaves the machine. The code is written to the log (so a developer
 * can sign in) and kept in memory (so tests can read it). Never configure this in production: the
 * server warns at start when it is in use.
 */
export class ConsoleCodeProvider implements SmsProvider, EmailProvider {
  readonly name = 'console';
  readonly sent: CodeMessage[] = [];
  constructor(private readonly log: (line: string) => void = (line) => process.env.NODE_ENV !== 'test' && process.stderr.write(`${line}\n`)) {}

  async sendCode(message: CodeMessage) {
    this.sent.push(message);
    if (this.sent.length > 100) this.sent.shift();
    this.log(`[reader code] ${message.channel} ${message.to}: ${message.code} (${message.ttlMinutes} 分钟内有效)`);
  }

  /** The newest code sent to `to`, for tests. */
  lastCodeFor(to: string): string | undefined {
    return this.sent.findLast((m) => m.to === to)?.code;
  }
}

/** The text readers receive, one place so SMS templates and email bodies agree. */
export function codeText(message: CodeMessage) {
  return `【天府融媒】您的验证码是 ${message.code}，${message.ttlMinutes} 分钟内有效。如非本人操作请忽略。`;
}
