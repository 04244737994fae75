import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-config-'));

describe('configuration', () => {
  it('has working defaults', () => {
    const dir = tmp();
    const c = loadConfig({}, dir);
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe(path.join(dir, 'data'));
    expect(c.databaseUrl).toBe('');
  });

  it('reads a config file and lets the environment win', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'tianfu.config.json'), JSON.stringify({ PORT: 4000, TIANFU_SESSION_HOURS: 8 }));
    const c = loadConfig({ PORT: '5000' }, dir);
    expect(c.port).toBe(5000);
    expect(c.sessionHours).toBe(8);
  });

  it('reports every bad value at once, in Chinese and English', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: '70000', TIANFU_AUDIT_RETENTION_DAYS: '30', TIANFU_SECURE_COOKIES: 'maybe' }, tmp());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('配置有误');
    expect(msg).toContain('PORT="70000"');
    expect(msg).toContain('TIANFU_AUDIT_RETENTION_DAYS="30"');
    expect(msg).toContain('TIANFU_SECURE_COOKIES');
  });

  it('refuses unknown keys and broken JSON in the file', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'tianfu.config.json'), JSON.stringify({ PROT: 1 }));
    expect(() => loadConfig({}, dir)).toThrow(/PROT/);
    fs.writeFileSync(path.join(dir, 'tianfu.config.json'), '{ nope');
    expect(() => loadConfig({}, dir)).toThrow(/cannot read config file/);
  });

  it('trusts no proxy by default and takes a checked list of IPs and CIDR ranges', () => {
    expect(loadConfig({}, tmp()).trustedProxies).toEqual([]);
    const c = loadConfig({ TIANFU_TRUSTED_PROXIES: ' 10.0.0.1, 172.16.0.0/12 ,::1,fd00::/8' }, tmp());
    expect(c.trustedProxies).toEqual(['10.0.0.1', '172.16.0.0/12', '::1', 'fd00::/8']);
    expect(() => loadConfig({ TIANFU_TRUSTED_PROXIES: '10.0.0.1, proxy.example, 10.0.0.0/33' }, tmp())).toThrow(
      /TIANFU_TRUSTED_PROXIES.*not an IP address or CIDR range: proxy\.example, 10\.0\.0\.0\/33/,
    );
  });
});
