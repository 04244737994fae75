import crypto from 'node:crypto';
import type { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import type { CodeMessage, SmsProvider } from './delivery.ts';

/**
 * 阿里云短信 SendSms (dysmsapi, API version 2017-05-25) with the RPC signature version 1.0:
 * the request's parameters, sorted by name and percent-encoded (RFC 3986), are signed with
 * HMAC-SHA1 under "<AccessKeySecret>&" over "POST&%2F&<encoded canonical query>". The code goes
 * into the template parameter `code`, so the operator's approved template reads e.g.
 * "您的验证码为：${code}，5分钟内有效".
 */
export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  /** https://dysmsapi.aliyuncs.com/ unless a test (or a region endpoint) says otherwise. */
  endpoint?: string;
  regionId?: string;
}

export class SmsDeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SmsDeliveryError';
  }
}

/** RFC 3986 encoding as Alibaba Cloud's signature wants it: space %20, * %2A, ~ kept. */
export const percentEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function signRpc(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return crypto.createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun';
  constructor(
    private readonly options: AliyunSmsOptions,
    private readonly http: OutboundHttpClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sendCode(message: CodeMessage): Promise<void> {
    const params: Record<string, string> = {
      AccessKeyId: this.options.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: message.to.replace(/^\+86/, ''),
      RegionId: this.options.regionId ?? 'cn-hangzhou',
      SignName: this.options.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: crypto.randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: this.options.templateCode,
      TemplateParam: JSON.stringify({ code: message.code }),
      Timestamp: this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    params.Signature = signRpc('POST', params, this.options.accessKeySecret);
    const body = Object.entries(params)
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&');
    const res = await this.http.request(this.options.endpoint ?? 'https://dysmsapi.aliyuncs.com/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      timeoutMs: 10_000,
    });
    let answer: { Code?: string; Message?: string } = {};
    try {
      answer = JSON.parse(res.text()) as typeof answer;
    } catch {
      throw new SmsDeliveryError('bad_response', `SMS gateway answered ${res.status} with a body that is not JSON`);
    }
    // The gateway answers 200 with Code "OK" on success; anything else carries its own code (e.g. isv.BUSINESS_LIMIT_CONTROL).
    if (res.status !== 200 || answer.Code !== 'OK') {
      throw new SmsDeliveryError(answer.Code ?? `http_${res.status}`, answer.Message ?? `SMS gateway answered ${res.status}`);
    }
  }
}

/**
 * The SMS gateway as one setting: `aliyun://<AccessKeyId>:<AccessKeySecret>@dysmsapi.aliyuncs.com/?sign=<签名>&template=<SMS_…>`
 * (add `&http=1` to speak plain HTTP to a local test gateway). Returns null for an empty setting.
 */
export function parseAliyunUrl(raw: string): AliyunSmsOptions | null {
  if (!raw.trim()) return null;
  const url = new URL(raw.trim());
  if (url.protocol !== 'aliyun:') throw new Error('TIANFU_SMS_GATEWAY must start with aliyun://');
  const sign = url.searchParams.get('sign');
  const template = url.searchParams.get('template');
  if (!url.username || !url.password || !sign || !template) throw new Error('TIANFU_SMS_GATEWAY needs key id, secret, sign= and template=');
  const scheme = url.searchParams.get('http') === '1' ? 'http' : 'https';
  return {
    accessKeyId: decodeURIComponent(url.username),
    accessKeySecret: decodeURIComponent(url.password),
    signName: sign,
    templateCode: template,
    endpoint: `${scheme}://${url.host}/`,
    regionId: url.searchParams.get('region') ?? undefined,
  };
}
