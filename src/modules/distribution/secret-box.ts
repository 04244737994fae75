import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tightenFile, tightenedMessage, usePrivateUmask } from '../../platform/db/permissions.ts';

/**
 * Channel credentials at rest: AES-256-GCM with a fresh 96-bit nonce per write, stored as
 * "v1.<nonce>.<tag>.<ciphertext>" (base64url). The key is TIANFU_SECRET_KEY (32 bytes, base64) or,
 * without it, <dataDir>/secret.key, created once with mode 0600 — so a database dump alone reveals no
 * credentials. The row's id is bound in as associated data: ciphertext copied onto another channel
 * does not decrypt.
 */
export class SecretBox {
  private key: Buffer | null = null;

  constructor(private readonly source: { secretKey?: string; dataDir?: string }) {}

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
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keyBytes(), nonce);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return ['v1', nonce, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string, boundTo: string): Record<string, string> {
    const [version, nonce, tag, body] = sealed.split('.');
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
