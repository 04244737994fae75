import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tightenFile, tightenedMessage, usePrivateUmask } from './db/permissions.ts';
import { missingSm4, sm4Unavailable } from './config.ts';

export type SecretCipher = 'aes-256-gcm' | 'sm4';

/**
 * Credentials at rest (channels, push apps, the VAPID key). Each sealed value names its cipher, so
 * values sealed before TIANFU_SECRET_CIPHER changed still open:
 * - "v1.<nonce>.<tag>.<ciphertext>": AES-256-GCM with a fresh 96-bit nonce;
 * - "sm4.<iv>.<mac>.<ciphertext>": 国密 SM4-CTR with a fresh 128-bit counter block, then HMAC-SM3 over
 *   the version, the bound id, the iv and the ciphertext (encrypt-then-MAC: OpenSSL offers no SM4-GCM).
 *   The SM4 and MAC keys are derived from the one secret key by HKDF-SM3, so one key file serves both.
 * The key is TIANFU_SECRET_KEY (32 bytes, base64) or, without it, <dataDir>/secret.key, created once
 * with mode 0600 — so a database dump alone reveals no credentials. The row's id is bound in (as
 * associated data, or inside the MAC): ciphertext copied onto another row does not open.
 */
export class SecretBox {
  private key: Buffer | null = null;
  private sm4Keys: { enc: Buffer; mac: Buffer } | null = null;
  readonly cipher: SecretCipher;

  constructor(private readonly source: { secretKey?: string; dataDir?: string; secretCipher?: SecretCipher }) {
    this.cipher = source.secretCipher ?? 'aes-256-gcm';
    // Config checks this at start too; a box made elsewhere must not fail only at its first seal.
    const missing = this.cipher === 'sm4' ? missingSm4() : [];
    if (missing.length) throw new Error(`TIANFU_SECRET_CIPHER=sm4: ${sm4Unavailable(missing)}`);
  }

  /** Reads (or first creates) the key; throws a clear error for a malformed configured key. */
  keyBytes(): Buffer {
    if (this.key) return this.key;
    if (this.source.secretKey) {
      const key = Buffer.from(this.source.secretKey, 'base64');
      if (key.length !== 32) throw new Error('TIANFU_SECRET_KEY 须为 32 字节的 base64 / TIANFU_SECRET_KEY must be 32 bytes, base64-encoded');
      return (this.key = key);
    }
    if (!this.source.dataDir) {
      // Only tests and one-off tools run without a data folder; their databases are throwaway too.
      return (this.key = crypto.randomBytes(32));
    }
    return (this.key = loadOrCreateKeyFile(path.join(this.source.dataDir, 'secret.key')));
  }

  seal(plain: Record<string, string>, boundTo: string): string {
    if (this.cipher === 'sm4') return this.sealSm4(plain, boundTo);
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keyBytes(), nonce);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return ['v1', nonce, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string, boundTo: string): Record<string, string> {
    const [version, nonce, tag, body] = sealed.split('.');
    if (version === 'sm4' && nonce && tag && body !== undefined) return this.openSm4(nonce, tag, body, boundTo);
    if (version !== 'v1' || !nonce || !tag || body === undefined) throw new Error('渠道凭据格式无法识别 / unrecognised credential ciphertext');
    const key = this.keyBytes();
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Record<string, string>;
    } catch {
      throw new Error('渠道凭据无法解密（密钥已更换？）/ channel credentials do not decrypt (was the key changed?)');
    }
  }

  private sm4KeyPair() {
    if (this.sm4Keys) return this.sm4Keys;
    const master = this.keyBytes();
    const derive = (info: string, length: number) => Buffer.from(crypto.hkdfSync('sm3', master, 'tianfu-secret-box', info, length));
    return (this.sm4Keys = { enc: derive('sm4-ctr', 16), mac: derive('hmac-sm3', 32) });
  }

  private sm4Mac(key: Buffer, iv: Buffer, body: Buffer, boundTo: string): Buffer {
    const bound = Buffer.from(boundTo, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bound.length);
    // Lengths fixed or given, so no two (bound id, ciphertext) splits give the same MAC input.
    return crypto.createHmac('sm3', key).update('sm4').update(length).update(bound).update(iv).update(body).digest();
  }

  private sealSm4(plain: Record<string, string>, boundTo: string): string {
    const { enc, mac } = this.sm4KeyPair();
    const iv = crypto.randomBytes(16);
    const cipher = crypto.createCipheriv('sm4-ctr', enc, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return ['sm4', iv, this.sm4Mac(mac, iv, body, boundTo), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  private openSm4(ivText: string, macText: string, bodyText: string, boundTo: string): Record<string, string> {
    const missing = missingSm4();
    if (missing.length) throw new Error(`凭据以 SM4 加密，但 ${sm4Unavailable(missing)}`);
    const { enc, mac } = this.sm4KeyPair();
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    const given = Buffer.from(macText, 'base64url');
    const expected = this.sm4Mac(mac, iv, body, boundTo);
    // The MAC is checked before anything is decrypted; a wrong key, row or byte stops here.
    if (iv.length !== 16 || given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      throw new Error('渠道凭据无法解密（密钥已更换？）/ channel credentials do not decrypt (was the key changed?)');
    }
    const decipher = crypto.createDecipheriv('sm4-ctr', enc, iv);
    const plain = Buffer.concat([decipher.update(body), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  }
}

function loadOrCreateKeyFile(file: string): Buffer {
  // With DATABASE_URL nothing else opens the data folder, so the key's folder is made private here.
  usePrivateUmask();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if another process got there first; then its key is the one to use.
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (tightenFile(file)) console.warn(tightenedMessage(file, 1));
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} 不是 32 字节的 base64 密钥 / is not a 32-byte base64 key`);
  return key;
}
