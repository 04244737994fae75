import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { SecretBox } from './secret-box.ts';

describe('SecretBox (AES-256-GCM for channel credentials)', () => {
  it('round-trips, with a fresh nonce each time and no plaintext in the ciphertext', () => {
    const box = new SecretBox({ secretKey: crypto.randomBytes(32).toString('base64') });
    const a = box.seal({ appSecret: 'wx-very-secret' }, 'channel-1');
    const b = box.seal({ appSecret: 'wx-very-secret' }, 'channel-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('wx-very-secret');
    expect(box.open(a, 'channel-1')).toEqual({ appSecret: 'wx-very-secret' });
  });

  it('refuses tampered ciphertext, another channel, and another key', () => {
    const key = crypto.randomBytes(32).toString('base64');
    const box = new SecretBox({ secretKey: key });
    const sealed = box.seal({ token: 't' }, 'channel-1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => box.open(parts.join('.'), 'channel-1')).toThrow(/解密/);
    expect(() => box.open(sealed, 'channel-2')).toThrow(/解密/);
    expect(() => new SecretBox({ secretKey: crypto.randomBytes(32).toString('base64') }).open(sealed, 'channel-1')).toThrow(/解密/);
  });

  it('rejects a configured key that is not 32 bytes', () => {
    expect(() => new SecretBox({ secretKey: Buffer.alloc(16).toString('base64') }).seal({}, 'x')).toThrow(/32/);
  });

  it('creates <dataDir>/secret.key once, mode 0600, and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-key-'));
    try {
      const sealed = new SecretBox({ dataDir: dir }).seal({ token: 'abc' }, 'c');
      const file = path.join(dir, 'secret.key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const before = fs.readFileSync(file, 'utf8');
      expect(new SecretBox({ dataDir: dir }).open(sealed, 'c')).toEqual({ token: 'abc' });
      expect(fs.readFileSync(file, 'utf8')).toBe(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SecretBox with the 国密 option (SM4-CTR + HMAC-SM3)', () => {
  afterEach(() => vi.restoreAllMocks());
  const key = crypto.randomBytes(32).toString('base64');

  it('seals with SM4 when asked, and the value says so', () => {
    const box = new SecretBox({ secretKey: key, secretCipher: 'sm4' });
    const a = box.seal({ appSecret: 'wx-very-secret' }, 'channel-1');
    const b = box.seal({ appSecret: 'wx-very-secret' }, 'channel-1');
    expect(a.startsWith('sm4.')).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('wx-very-secret');
    expect(box.open(a, 'channel-1')).toEqual({ appSecret: 'wx-very-secret' });
    // The body is SM4-CTR under a key derived from the secret key: decrypting it by hand gives the JSON.
    const [, iv, , body] = a.split('.');
    const enc = Buffer.from(crypto.hkdfSync('sm3', Buffer.from(key, 'base64'), 'tianfu-secret-box', 'sm4-ctr', 16));
    const d = crypto.createDecipheriv('sm4-ctr', enc, Buffer.from(iv!, 'base64url'));
    expect(Buffer.concat([d.update(Buffer.from(body!, 'base64url')), d.final()]).toString()).toBe('{"appSecret":"wx-very-secret"}');
  });

  it('refuses a flipped bit, another row, and another key (the MAC, before decrypting)', () => {
    const box = new SecretBox({ secretKey: key, secretCipher: 'sm4' });
    const sealed = box.seal({ token: 't' }, 'channel-1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => box.open(parts.join('.'), 'channel-1')).toThrow(/解密/);
    expect(() => box.open(sealed, 'channel-2')).toThrow(/解密/);
    expect(() => new SecretBox({ secretKey: crypto.randomBytes(32).toString('base64'), secretCipher: 'sm4' }).open(sealed, 'channel-1')).toThrow(/解密/);
  });

  it('opens values sealed before the switch, either way', () => {
    const aes = new SecretBox({ secretKey: key }).seal({ token: 'old' }, 'c');
    const sm4 = new SecretBox({ secretKey: key, secretCipher: 'sm4' }).seal({ token: 'new' }, 'c');
    expect(aes.startsWith('v1.')).toBe(true);
    expect(new SecretBox({ secretKey: key, secretCipher: 'sm4' }).open(aes, 'c')).toEqual({ token: 'old' });
    expect(new SecretBox({ secretKey: key }).open(sm4, 'c')).toEqual({ token: 'new' });
  });

  it('TIANFU_SECRET_CIPHER=sm4 is refused at start, with a clear message, where OpenSSL lacks SM4', () => {
    expect(loadConfig({ TIANFU_SECRET_CIPHER: 'sm4' }, os.tmpdir()).secretCipher).toBe('sm4');
    expect(loadConfig({}, os.tmpdir()).secretCipher).toBe('aes-256-gcm');
    expect(() => loadConfig({ TIANFU_SECRET_CIPHER: 'des' }, os.tmpdir())).toThrow(/aes-256-gcm or sm4/);
    const real = crypto.getCiphers();
    vi.spyOn(crypto, 'getCiphers').mockReturnValue(real.filter((c) => !c.startsWith('sm4')));
    expect(() => loadConfig({ TIANFU_SECRET_CIPHER: 'sm4' }, os.tmpdir())).toThrow(ConfigError);
    expect(() => loadConfig({ TIANFU_SECRET_CIPHER: 'sm4' }, os.tmpdir())).toThrow(/TIANFU_SECRET_CIPHER="sm4" asks for SM4, but this Node\.js .* offers no sm4-ctr/);
    expect(() => new SecretBox({ secretKey: key, secretCipher: 'sm4' })).toThrow(/TIANFU_SECRET_CIPHER=sm4: .*offers no sm4-ctr.*aes-256-gcm/);
    // AES stays available, and an SM4 value met later says why it cannot open rather than "wrong key".
    expect(loadConfig({}, os.tmpdir()).secretCipher).toBe('aes-256-gcm');
    vi.restoreAllMocks();
    const sm4 = new SecretBox({ secretKey: key, secretCipher: 'sm4' }).seal({ token: 'x' }, 'c');
    vi.spyOn(crypto, 'getCiphers').mockReturnValue(real.filter((c) => !c.startsWith('sm4')));
    expect(() => new SecretBox({ secretKey: key }).open(sm4, 'c')).toThrow(/SM4.*offers no sm4-ctr/);
  });
});
