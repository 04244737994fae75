import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../test/harness.ts';
import { runCli, startServe, type ServingProcess } from '../test/process.ts';

// These exercise the embedded database's own folder, lock and crash recovery, so they run on PGlite only.
describe.skipIf(!!process.env.TEST_DATABASE_URL)('the embedded data folder', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-durability-'));
  const env = { TIANFU_DATA_DIR: dataDir };
  let first: ServingProcess | undefined;

  afterAll(() => {
    first?.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('first start seeds the alliance and prints a demo login that works', async () => {
    first = await startServe(env);
    const password = first.output().match(/password:\s+(\S+)/)?.[1];
    expect(password).toBeTruthy();
    const c = new ApiClient(first.url);
    const login = await c.login('admin', password!);
    expect(login.status).toBe(200);
    const units = await c.get('/api/units');
    expect(units.body.total).toBe(211);
    const docs = await c.get('/api/docs/json');
    expect(docs.body.openapi).toBe('3.0.3');
  }, 120_000);

  it('refuses a second server on the same folder, naming the folder and the holder, and the first keeps serving', async () => {
    const second = await runCli(['serve'], { ...env, PORT: '0' });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(dataDir);
    expect(second.stderr).toContain(String(first!.child.pid));
    expect(second.stderr).toContain('正被进程');
    const health = await fetch(`${first!.url}/healthz`);
    expect(health.status).toBe(200);
    const other = await runCli(['units', 'list', '--json'], env);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain(String(first!.child.pid));
    expect(other.stderr).toContain('GET /api/units');
  }, 60_000);

  it('keeps every write that was answered 2xx across kill -9, and restarts without repair', async () => {
    const password = first!.output().match(/password:\s+(\S+)/)![1]!;
    const c = new ApiClient(first!.url);
    await c.login('admin', password);
    const chengdu = (await c.get('/api/units?kind=city')).body.items.find((u: { divisionCode: string }) => u.divisionCode === '510100');
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await c.post('/api/units', { parentId: chengdu.id, kind: 'department', name: `压测-${lane}-${i}` });
          if (res.status === 201) acknowledged.push(res.body.id);
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const lanes = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
    first!.child.kill('SIGKILL');
    stop = true;
    await Promise.all(lanes);
    await first!.exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);

    first = await startServe(env);
    const again = new ApiClient(first.url);
    await again.login('admin', password);
    const children = await again.get(`/api/units?parentId=${chengdu.id}&kind=department`);
    const present = new Set(children.body.items.map((u: { id: string }) => u.id));
    const lost = acknowledged.filter((id) => !present.has(id));
    expect(lost).toEqual([]);
    // The demo login is printed only on the very first start.
    expect(first.output()).not.toMatch(/password:/);
  }, 180_000);

  it('backs up and restores the folder through the CLI', async () => {
    first!.child.kill('SIGTERM');
    await first!.exited;
    first = undefined;
    const file = path.join(dataDir, '..', `${path.basename(dataDir)}.tar.gz`);
    const backup = await runCli(['backup', file], env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);

    const restored = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-restored-'));
    try {
      const restore = await runCli(['restore', file], { TIANFU_DATA_DIR: restored });
      expect(restore.code, restore.stderr).toBe(0);
      const list = await runCli(['units', 'list', '--json'], { TIANFU_DATA_DIR: restored });
      const units = JSON.parse(list.stdout) as { name: string }[];
      expect(units.filter((u) => u.name.startsWith('压测-')).length).toBeGreaterThanOrEqual(40);
      const refuse = await runCli(['restore', file], { TIANFU_DATA_DIR: restored });
      expect(refuse.code).toBe(2);
      expect(refuse.stderr).toContain('--force');
    } finally {
      fs.rmSync(restored, { recursive: true, force: true });
      fs.rmSync(file, { force: true });
    }
  }, 120_000);
});
