import crypto from 'node:crypto';
import { type FakeReply, type FakeRequest, PlatformFake } from './fake-http.ts';

/**
 * A local push service (RFC 8030) that is also the browser: it makes real subscriptions (a P-256 key pair
 * and a 16-byte auth secret each), checks the VAPID Authorization header (RFC 8292: `vapid t=<ES256 JWT>,
 * k=<public key>`, audience = this origin, not expired) and decrypts every aes128gcm body (RFC 8291 §3.4,
 * RFC 8188) with the subscription's private key. Only a correctly encrypted payload can be read here.
 * POST /push/<id> → 201 with a Location; unknown id → 410 Gone; `rateLimitNext` → 429.
 */
interface Subscription {
  ecdh: crypto.ECDH;
  auth: Buffer;
}

export class WebPushFake extends PlatformFake {
  private readonly subs = new Map<string, Subscription>();
  readonly received = new Map<string, Record<string, unknown>[]>();
  readonly vapidKeysSeen: string[] = [];
  private rateLimited = 0;

  subscribe(): { endpoint: string; keys: { p256dh: string; auth: string } } {
    const id = crypto.randomBytes(8).toString('hex');
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = crypto.randomBytes(16);
    this.subs.set(id, { ecdh, auth });
    return { endpoint: `${this.base}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
  }

  unsubscribe(endpoint: string) {
    this.subs.delete(endpoint.split('/').pop()!);
  }

  rateLimitNext(times = 1) {
    this.rateLimited = times;
  }

  messagesFor(endpoint: string) {
    return this.received.get(endpoint.split('/').pop()!) ?? [];
  }

  protected route(req: FakeRequest): FakeReply {
    const id = /^\/push\/([0-9a-f]+)$/.exec(req.path)?.[1];
    if (!id || req.method !== 'POST') return { status: 404, body: {} };
    const sub = this.subs.get(id);
    if (!sub) return { status: 410, body: { reason: 'subscription gone' } };
    const vapid = this.checkVapid(req.headers.authorization ?? '');
    if (vapid) return { status: 403, body: { reason: vapid } };
    if (this.rateLimited > 0) {
      this.rateLimited--;
      return { status: 429, body: { reason: 'too many' }, headers: { 'retry-after': '5' } };
    }
    if (req.headers['content-encoding'] !== 'aes128gcm' || !req.headers.ttl) return { status: 400, body: { reason: 'content-encoding aes128gcm and TTL required' } };
    let plain: string;
    try {
      plain = decrypt(req.body, sub);
    } catch (err) {
      return { status: 400, body: { reason: `cannot decrypt: ${(err as Error).message}` } };
    }
    const list = this.received.get(id) ?? [];
    list.push(JSON.parse(plain) as Record<string, unknown>);
    this.received.set(id, list);
    return { status: 201, body: {}, headers: { location: `${this.base}/message/${crypto.randomUUID()}` } };
  }

  /** null when the header is a valid VAPID signature for this origin, else why not. */
  private checkVapid(header: string): string | null {
    const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
    if (!m) return 'no vapid authorization';
    const [head, claims, sig] = m[1]!.split('.');
    const raw = Buffer.from(m[2]!, 'base64url');
    if (!head || !claims || !sig || raw.length !== 65) return 'malformed vapid';
    const key = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') }, format: 'jwk' });
    const good = crypto.verify('sha256', Buffer.from(`${head}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
    if (!good) return 'bad vapid signature';
    const c = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { aud?: string; exp?: number; sub?: string };
    if (c.aud !== this.base) return 'wrong audience';
    if (!c.exp || c.exp * 1000 < Date.now() || !c.sub) return 'expired or no subject';
    this.vapidKeysSeen.push(m[2]!);
    return null;
  }
}

/** RFC 8291 §3.4 with one RFC 8188 record: header salt(16) rs(4) idlen(1) keyid(= sender's public key). */
function decrypt(body: Buffer, sub: Subscription): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const shared = sub.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), sub.ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(crypto.hkdfSync('sha256', shared, sub.auth, keyInfo, 32));
  const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02 and then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}
