import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './lock.ts';

describe('the data folder lock', () => {
  it('refuses a second opener, naming the folder and the holder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-lock-'));
    const release = lockDataDir(dir);
    try {
      lockDataDir(dir);
      expect.unreachable('second lock was granted');
    } catch (err) {
      expect(err).toBeInstanceOf(DataDirLockedError);
      expect((err as Error).message).toContain(dir);
      expect((err as Error).message).toContain(String(process.pid));
    } finally {
      release();
    }
    const again = lockDataDir(dir);
    again();
  });

  it('takes over a lock whose holder died', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-lock-'));
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid!)));
    fs.writeFileSync(path.join(dir, 'tianfu.lock'), `${deadPid}\n`);
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'tianfu.lock'), 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'tianfu.lock'))).toBe(false);
  });
});
