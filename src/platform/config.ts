import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ipaddr from 'ipaddr.js';

/**
 * Every setting the platform reads, with its environment name, default and check.
 * The README's configuration table is written from this list.
 */
interface Setting<T> {
  env: string;
  describe: string;
  parse(raw: string): T;
  fallback: T;
}

export class ConfigError extends Error {}

const integer = (min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!/^\s*-?\d+\s*$/.test(raw) || n < min || n > max) {
    throw new ConfigError(`must be an integer from ${min} to ${max} / 须为 ${min}–${max} 的整数`);
  }
  return n;
};

const text = (raw: string) => raw;

const boolean = (raw: string) => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigError('must be true or false / 须为 true 或 false');
};

const postgresUrl = (raw: string) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('is not a URL / 不是合法的 URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('must start with postgres:// / 须以 postgres:// 开头');
  }
  return raw;
};

const httpUrlOrEmpty = (raw: string) => {
  if (!raw.trim()) return '';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError('is not a URL / 不是合法的 URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('must start with http:// or https:// / 须以 http(s):// 开头');
  return raw.trim();
};

/** Comma-separated IPs and CIDR ranges (IPv4 or IPv6), e.g. "10.0.0.1, 172.16.0.0/12". */
const proxyList = (raw: string): string[] => {
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = entries.filter((e) => {
    try {
      if (e.includes('/')) ipaddr.parseCIDR(e);
      else if (!ipaddr.isValid(e)) return true;
      return false;
    } catch {
      return true;
    }
  });
  if (bad.length) throw new ConfigError(`not an IP address or CIDR range: ${bad.join(', ')} / 不是 IP 地址或 CIDR 网段`);
  return entries;
};

const logLevel = (raw: string) => {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(raw)) throw new ConfigError(`must be one of ${levels.join(', ')}`);
  return raw;
};

// 国密 choices are refused at start when this Node's OpenSSL lacks them, rather than at the first seal.
const auditHash = (raw: string) => {
  const v = raw.trim().toLowerCase();
  if (!['auto', 'sm3', 'sha256'].includes(v)) throw new ConfigError('must be auto, sm3 or sha256 / 须为 auto、sm3 或 sha256');
  if (v === 'sm3' && !crypto.getHashes().includes('sm3')) {
    throw new ConfigError('asks for SM3, but this Node.js (OpenSSL) offers no sm3 digest; use sha256 or auto / 当前 Node.js 的 OpenSSL 不提供 SM3，请改用 sha256 或 auto');
  }
  return v as 'auto' | 'sm3' | 'sha256';
};

/** What SM4 sealing (SM4-CTR, HMAC-SM3) needs from OpenSSL and this Node.js lacks; empty when it has it all. */
export function missingSm4(): string[] {
  return [...(crypto.getCiphers().includes('sm4-ctr') ? [] : ['sm4-ctr']), ...(crypto.getHashes().includes('sm3') ? [] : ['sm3'])];
}

export const sm4Unavailable = (missing: string[]) =>
  `this Node.js ${process.version} (OpenSSL ${process.versions.openssl}) offers no ${missing.join(' or ')}, so SM4 cannot be used; set aes-256-gcm, or run a Node.js whose OpenSSL has SM4 and SM3 / 当前 Node.js 的 OpenSSL 不提供 ${missing.join('、')}，无法使用 SM4，请改用 aes-256-gcm 或换用支持国密算法的 Node.js`;

const secretCipher = (raw: string) => {
  const v = raw.trim().toLowerCase();
  if (v !== 'aes-256-gcm' && v !== 'sm4') throw new ConfigError('must be aes-256-gcm or sm4 / 须为 aes-256-gcm 或 sm4');
  const missing = v === 'sm4' ? missingSm4() : [];
  if (missing.length) throw new ConfigError(`asks for SM4, but ${sm4Unavailable(missing)}`);
  return v as 'aes-256-gcm' | 'sm4';
};

export const settings = {
  port: { env: 'PORT', describe: 'HTTP port / 监听端口', parse: integer(0, 65535), fallback: 3000 },
  host: { env: 'HOST', describe: 'HTTP bind address / 监听地址', parse: text, fallback: '0.0.0.0' },
  dataDir: {
    env: 'TIANFU_DATA_DIR',
    describe: 'embedded database folder (PGlite) / 内嵌数据库目录',
    parse: text,
    fallback: './data',
  },
  assetDir: {
    env: 'TIANFU_ASSET_DIR',
    describe: 'uploaded media files; empty means <TIANFU_DATA_DIR>/assets / 媒资文件目录',
    parse: text,
    fallback: '',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    describe: 'use this PostgreSQL server instead of the embedded database / 使用外部 PostgreSQL',
    parse: postgresUrl,
    fallback: '',
  },
  logLevel: { env: 'TIANFU_LOG_LEVEL', describe: 'log level / 日志级别', parse: logLevel, fallback: 'info' },
  sessionHours: {
    env: 'TIANFU_SESSION_HOURS',
    describe: 'staff session lifetime in hours / 登录会话时长（小时）',
    parse: integer(1, 24 * 30),
    fallback: 12,
  },
  trustedProxies: {
    env: 'TIANFU_TRUSTED_PROXIES',
    describe:
      'reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDR ranges); empty trusts none, so the client address is the connecting one / 可信反向代理（IP 或 CIDR，逗号分隔）',
    parse: proxyList,
    fallback: [] as string[],
  },
  secureCookies: {
    env: 'TIANFU_SECURE_COOKIES',
    describe: 'mark cookies Secure (behind HTTPS) / 仅 HTTPS 发送 Cookie',
    parse: boolean,
    fallback: false,
  },
  bodyLimitBytes: {
    env: 'TIANFU_BODY_LIMIT_BYTES',
    describe: 'largest JSON request body / 请求体上限（字节）',
    parse: integer(1024, 64 * 1024 * 1024),
    fallback: 1024 * 1024,
  },
  auditRetentionDays: {
    env: 'TIANFU_AUDIT_RETENTION_DAYS',
    describe: 'audit rows older than this are purged nightly; 等保 asks for at least 180 / 审计日志保留天数',
    parse: integer(180, 36500),
    fallback: 365,
  },
  auditHash: {
    env: 'TIANFU_AUDIT_HASH',
    describe: 'hash of the audit log chain: sm3, sha256, or auto (SM3 where this Node.js offers it, else SHA-256); each row keeps its own, so a change never breaks verification / 审计日志哈希链算法',
    parse: auditHash,
    fallback: 'auto' as 'auto' | 'sm3' | 'sha256',
  },
  outboundAllowPrivate: {
    env: 'TIANFU_OUTBOUND_ALLOW_PRIVATE',
    describe: 'let outbound HTTP (feeds, webhooks) reach private and loopback addresses / 允许对外请求访问内网与本机地址',
    parse: boolean,
    fallback: false,
  },
  llmBaseUrl: {
    env: 'TIANFU_LLM_BASE_URL',
    describe: 'OpenAI-compatible chat API for the optional LLM reviewer (…/v1); empty turns it off / 大模型审核接口地址',
    parse: httpUrlOrEmpty,
    fallback: '',
  },
  publicUrl: {
    env: 'TIANFU_PUBLIC_URL',
    describe: 'the address readers reach the portal at, for links, feeds and sitemaps; empty means http://localhost:<PORT> / 对外访问地址',
    parse: httpUrlOrEmpty,
    fallback: '',
  },
  secretKey: {
    env: 'TIANFU_SECRET_KEY',
    describe: 'key (32 bytes, base64) that encrypts channel credentials at rest; empty means one kept in <TIANFU_DATA_DIR>/secret.key / 渠道凭据加密密钥',
    parse: text,
    fallback: '',
  },
  secretCipher: {
    env: 'TIANFU_SECRET_CIPHER',
    describe: 'cipher for newly sealed credentials: aes-256-gcm, or sm4 (SM4-CTR with HMAC-SM3); rows sealed before a change still open / 凭据加密算法（国密 sm4 可选）',
    parse: secretCipher,
    fallback: 'aes-256-gcm' as 'aes-256-gcm' | 'sm4',
  },
  smsGateway: {
    env: 'TIANFU_SMS_GATEWAY',
    describe:
      'SMS gateway for reader codes: aliyun://<AccessKeyId>:<AccessKeySecret>@dysmsapi.aliyuncs.com/?sign=<签名>&template=<SMS_…>; empty means codes are only written to the log (development) / 读者验证码短信网关',
    parse: text,
    fallback: '',
  },
  emailSmtp: {
    env: 'TIANFU_EMAIL_SMTP',
    describe: 'SMTP server for reader codes by email: smtps://user:pass@smtp.example.com:465/?from=<sender>; empty means codes are only written to the log (development) / 读者验证码邮件服务器',
    parse: text,
    fallback: '',
  },
  smsHourlyBudget: {
    env: 'TIANFU_SMS_HOURLY_BUDGET',
    describe:
      'reader codes by SMS per clock hour for the whole platform (all processes); past half of it every request needs a proof of work, when spent all get 429 and the operator is alerted (log + audit) / 每小时短信验证码总额度',
    parse: integer(1, 10_000_000),
    fallback: 500,
  },
  emailHourlyBudget: {
    env: 'TIANFU_EMAIL_HOURLY_BUDGET',
    describe: 'reader codes by email per clock hour for the whole platform, as TIANFU_SMS_HOURLY_BUDGET / 每小时邮件验证码总额度',
    parse: integer(1, 10_000_000),
    fallback: 500,
  },
  readerCodeIpHourly: {
    env: 'TIANFU_READER_CODE_IP_HOURLY',
    describe: 'reader codes per client IP per hour (five times this per day); a hard cap, even with proofs of work / 每个 IP 每小时验证码上限',
    parse: integer(1, 1_000_000),
    fallback: 30,
  },
  readerCodePowAfter: {
    env: 'TIANFU_READER_CODE_POW_AFTER',
    describe: 'reader codes per client IP (or device) per hour before a proof of work is required; 0 requires it always / 超过此数需完成安全验证（工作量证明）',
    parse: integer(0, 1_000_000),
    fallback: 3,
  },
  readerCodePowBits: {
    env: 'TIANFU_READER_CODE_POW_BITS',
    describe: 'difficulty of the proof of work: leading zero bits of SHA-256 (each bit doubles the work; 16 ≈ 65,000 digests, 1–3 s in a browser) / 工作量证明难度（位）',
    parse: integer(8, 28),
    fallback: 16,
  },
  llmModel: { env: 'TIANFU_LLM_MODEL', describe: 'model name sent to the LLM reviewer / 大模型名称', parse: text, fallback: '' },
  llmApiKey: { env: 'TIANFU_LLM_API_KEY', describe: 'bearer key for the LLM reviewer / 大模型接口密钥', parse: text, fallback: '' },
} satisfies Record<string, Setting<unknown>>;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: Settings[K]['fallback'] } & { configFile: string | null };

/**
 * Reads settings from an optional JSON file (TIANFU_CONFIG, or ./tianfu.config.json when present),
 * then the environment, which wins. Every problem is collected so an operator fixes them in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const configFile = env.TIANFU_CONFIG
    ? path.resolve(cwd, env.TIANFU_CONFIG)
    : fs.existsSync(path.join(cwd, 'tianfu.config.json'))
      ? path.join(cwd, 'tianfu.config.json')
      : null;
  const fromFile = configFile ? readConfigFile(configFile) : {};
  const problems: string[] = [];
  const out: Record<string, unknown> = { configFile };
  for (const [key, setting] of Object.entries(settings) as [string, Setting<unknown>][]) {
    const raw = env[setting.env] ?? fromFile[setting.env];
    if (raw === undefined) {
      out[key] = setting.fallback;
      continue;
    }
    try {
      out[key] = setting.parse(String(raw));
    } catch (err) {
      problems.push(`  ${setting.env}=${JSON.stringify(raw)} ${(err as Error).message}`);
    }
  }
  if (problems.length) {
    throw new ConfigError(`配置有误 / invalid configuration:\n${problems.join('\n')}`);
  }
  const config = out as Config;
  config.dataDir = path.resolve(cwd, config.dataDir);
  config.assetDir = path.resolve(config.dataDir, config.assetDir || 'assets');
  return config;
}

function readConfigFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`配置文件无法读取 / cannot read config file ${file}: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`配置文件须为 JSON 对象 / config file ${file} must hold a JSON object`);
  }
  const known = new Set(Object.values(settings).map((s) => s.env));
  const unknown = Object.keys(parsed).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new ConfigError(`配置文件含未知项 / unknown keys in ${file}: ${unknown.join(', ')}`);
  }
  return parsed as Record<string, unknown>;
}
