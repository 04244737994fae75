import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AllianceService } from '../alliance/service.ts';
import { ReaderAccountService } from './accounts.service.ts';
import { AliyunSmsProvider, parseAliyunUrl } from './aliyun-sms.ts';
import { CodeLimiter, type CodeLimitSettings, defaultCodeLimits } from './code-limits.ts';
import { CodeService } from './codes.service.ts';
import { type CodeDelivery, ConsoleCodeProvider } from './delivery.ts';
import { EventBuffer } from './event-buffer.ts';
import { EventService } from './events.service.ts';
import { SmtpEmailProvider, parseSmtpUrl } from './smtp-email.ts';
import { readerJobs } from './jobs.ts';
import { ReaderAuth } from './reader-auth.ts';
import { readerRoutes } from './routes.ts';
import { ReaderStaffService } from './staff.service.ts';
import { UnitDirectory } from './units.ts';

export interface ReaderConfig {
  secureCookies?: boolean;
  smsGateway?: string;
  emailSmtp?: string;
  smsHourlyBudget?: number;
  emailHourlyBudget?: number;
  readerCodeIpHourly?: number;
  readerCodePowAfter?: number;
  readerCodePowBits?: number;
}

/** The code limits from the configuration (see platform/config.ts), the rest as in code-limits.ts. */
export function codeLimitsFrom(config: ReaderConfig): CodeLimitSettings {
  const d = defaultCodeLimits;
  const ipHourly = config.readerCodeIpHourly ?? d.ipHourly;
  return {
    ...d,
    ipHourly,
    ipDaily: ipHourly * 5,
    hourlyBudget: { phone: config.smsHourlyBudget ?? d.hourlyBudget.phone, email: config.emailHourlyBudget ?? d.hourlyBudget.email },
    powAfter: config.readerCodePowAfter ?? d.powAfter,
    powBits: config.readerCodePowBits ?? d.powBits,
  };
}

/**
 * 用户库: reader accounts, consent and reading events, and the reader sign-in every reader route uses. Codes go
 * by SMS through the configured gateway (TIANFU_SMS_GATEWAY) and by email through SMTP (TIANFU_EMAIL_SMTP);
 * whichever is not set goes to the console provider, which only logs (development).
 */
export function createReadersModule(db: Db, deps: { alliance: AllianceService; audit: AuditRecorder; outbound: OutboundHttpClient; config: ReaderConfig }) {
  const { alliance, audit, outbound, config } = deps;
  const consoleCodes = new ConsoleCodeProvider();
  const aliyun = parseAliyunUrl(config.smsGateway ?? '');
  const smtp = parseSmtpUrl(config.emailSmtp ?? '');
  const codeDelivery: CodeDelivery = { sms: aliyun ? new AliyunSmsProvider(aliyun, outbound) : consoleCodes, email: smtp ? new SmtpEmailProvider(smtp) : consoleCodes };
  const units = new UnitDirectory(alliance);
  const limits = codeLimitsFrom(config);
  const limiter = new CodeLimiter(db, limits, units, audit, (line) => process.env.NODE_ENV !== 'test' && console.error(line));
  const readerCodes = new CodeService(db, codeDelivery, limiter, limits.resendAfterSeconds);
  const readerEvents = new EventService(units, new EventBuffer(db, { onError: (err) => console.error(`读者事件写入失败，稍后重试 / reader events not written yet: ${(err as Error).message}`) }));
  const readerAccounts = new ReaderAccountService(db, readerCodes, readerEvents, units, audit);
  const readerStaff = new ReaderStaffService(db, alliance, units, readerAccounts, audit);
  const readerAuth = new ReaderAuth(readerAccounts);
  const services = { readerAccounts, readerEvents, readerStaff, readerCodes, readerUnits: units, readerAuth, codeDelivery, consoleCodes };
  const parts: ModuleParts<typeof services> = {
    services,
    routes: readerRoutes({ ...services, secureCookies: config.secureCookies ?? false }),
    jobs: readerJobs(db),
  };
  return parts;
}
