import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
