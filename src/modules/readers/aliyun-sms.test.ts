import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import { AliyunSmsProvider, parseAliyunUrl, percentEncode, signRpc, SmsDeliveryError } from './aliyun-sms.ts';

/**
 * A local stand-in for dysmsapi.aliyuncs.com: it checks the signature the way the gateway documents it
 * (recomputed here from the received form, independently of the sender's code path) and answers like it.
 */
const SECRET = 'testsecret';
let server: http.Server;
let endpoint: string;
const received: URLSearchParams[] = [];
let answer: { status: number; body: unknown } | null = null;

function verify(form: URLSearchParams): boolean {
  const params = Object.fromEntries([...form].filter(([k]) => k !== 'Signature'));
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k]!)}`.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('&');
  const toSign = `POST&%2F&${encodeURIComponent(canonical).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
  return crypto.createHmac('sha1', `${SECRET}&`).update(toSign).digest('base64') === form.get('Signature');
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      received.push(form);
      const reply = answer ?? (verify(form) ? { status: 200, body: { Code: 'OK', Message: 'OK', BizId: '9006197469364984^0', RequestId: 'F655A8D5' } } : { status: 400, body: { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' } });
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const provider = (secret = SECRET) =>
  new AliyunSmsProvider({ accessKeyId: 'testid', accessKeySecret: secret, signName: '天府融媒', templateCode: 'SMS_123456', endpoint }, new OutboundHttpClient({ allowPrivate: true }));

describe('Aliyun SendSms (RPC signature v1)', () => {
  it('matches the signature worked example in Alibaba Cloud’s documentation', () => {
    // The documented example (ECS DescribeRegions, GET, AccessKeySecret "testsecret").
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };
    expect(signRpc('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    expect(percentEncode('a b*c~d')).toBe('a%20b%2Ac~d');
  });

  it('sends the code as the template parameter, signed, and the gateway accepts it', async () => {
    received.length = 0;
    await provider().sendCode({ channel: 'phone', to: '+8613812345678', code: '042917', ttlMinutes: 5 });
    const form = received[0]!;
    expect(form.get('Action')).toBe('SendSms');
    expect(form.get('Version')).toBe('2017-05-25');
    expect(form.get('PhoneNumbers')).toBe('13812345678');
    expect(form.get('SignName')).toBe('天府融媒');
    expect(form.get('TemplateCode')).toBe('SMS_123456');
    expect(JSON.parse(form.get('TemplateParam')!)).toEqual({ code: '042917' });
    expect(form.get('Timestamp')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(verify(form)).toBe(true);
  });

  it('reports the gateway’s refusal (wrong secret, rate limit) as a delivery error with its code', async () => {
    await expect(provider('wrong').sendCode({ channel: 'phone', to: '+8613812345678', code: '1', ttlMinutes: 5 })).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    answer = { status: 200, body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' } };
    try {
      await expect(provider().sendCode({ channel: 'phone', to: '+8613812345678', code: '1', ttlMinutes: 5 })).rejects.toBeInstanceOf(SmsDeliveryError);
    } finally {
      answer = null;
    }
  });

  it('reads its settings from one URL', () => {
    expect(parseAliyunUrl('aliyun://LTAIkey:s%2Fecret@dysmsapi.aliyuncs.com/?sign=天府融媒&template=SMS_1')).toMatchObject({
      accessKeyId: 'LTAIkey',
      accessKeySecret: 's/ecret',
      signName: '天府融媒',
      templateCode: 'SMS_1',
      endpoint: 'https://dysmsapi.aliyuncs.com/',
    });
    expect(parseAliyunUrl('')).toBeNull();
    expect(() => parseAliyunUrl('aliyun://dysmsapi.aliyuncs.com/')).toThrow(/key id/);
  });
});
