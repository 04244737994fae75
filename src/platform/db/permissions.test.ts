import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { FileStorage } from '../../modules/content/assets/storage.ts';
import { SecretBox } from '../secret-box.ts';
import { openDatabase } from './database.ts';

/** The data folder holds password hashes and reader phones: nothing in it may be open to group or others. */

const made: string[] = [];
const tmp = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tianfu-perm-${name}-`));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

/** Every entry under `dir` (itself included) whose mode lets group or others in, as "path mode". */
function loose(dir: string): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.mode & 0o077) out.push(`${path.relative(dir, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
  };
  visit(dir);
  return out;
}

function count(dir: string): number {
  let n = 1;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? count(path.join(dir, e.name)) : 1;
  return n;
}

/** Opens the embedded database on `dataDir`, writes a row, closes it. */
async function useDatabase(dataDir: string) {
  const handle = await openDatabase({ kind: 'pglite', dataDir });
  await handle.pglite!.exec("create table if not exists readers (phone text); insert into readers values ('13800000000')");
  return handle;
}

describe('data folder permissions', () => {
  it('creates a fresh embedded data folder owner-only, and keeps it so while it runs and after it closes', async () => {
    const dataDir = path.join(tmp('fresh'), 'data');
    const handle = await useDatabase(dataDir);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(path.join(dataDir, 'pg_hba.conf'))).toBe(true);
    expect(loose(dataDir)).toEqual([]);
    await handle.close();
    expect(loose(dataDir)).toEqual([]);
  });

  it('fixes a folder made with 0666 files and 0777 folders when it is opened, and says how many it fixed', async () => {
    const dataDir = path.join(tmp('old'), 'data');
    await (await useDatabase(dataDir)).close();
    // What an older version (or another tool) left behind: everything open to everybody.
    fs.writeFileSync(path.join(dataDir, 'secret.key'), 'x', { mode: 0o644 });
    const all = (p: string) => {
      const st = fs.statSync(p);
      fs.chmodSync(p, st.isDirectory() ? 0o777 : 0o666);
      if (st.isDirectory()) for (const e of fs.readdirSync(p)) all(path.join(p, e));
    };
    all(dataDir);
    fs.chmodSync(path.join(dataDir, 'global'), 0o755);
    const total = count(dataDir);
    expect(loose(dataDir).length).toBe(total);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const handle = await openDatabase({ kind: 'pglite', dataDir });
    expect(loose(dataDir)).toEqual([]);
    expect(fs.statSync(path.join(dataDir, 'pg_hba.conf')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, 'base')).mode & 0o777).toBe(0o700);
    const lines = warn.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${total} files or folders`);
    expect(lines[0]).toContain(dataDir);
    expect((await handle.pglite!.query<{ phone: string }>('select phone from readers')).rows).toEqual([{ phone: '13800000000' }]);
    await handle.close();

    // Nothing loose is left, so the next start says nothing.
    await (await openDatabase({ kind: 'pglite', dataDir })).close();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('makes the asset folder and secret.key owner-only too, wherever they are', async () => {
    const assetDir = path.join(tmp('assets'), 'shared');
    fs.mkdirSync(path.join(assetDir, 'ab'), { recursive: true, mode: 0o777 });
    fs.chmodSync(assetDir, 0o777);
    fs.chmodSync(path.join(assetDir, 'ab'), 0o777);
    fs.writeFileSync(path.join(assetDir, 'ab', 'old.jpg'), 'x', { mode: 0o666 });
    fs.chmodSync(path.join(assetDir, 'ab', 'old.jpg'), 0o666);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const storage = new FileStorage(assetDir);
    await storage.put('cd/ef/new.jpg', Buffer.from('photo'));
    expect(loose(assetDir)).toEqual([]);
    expect(fs.statSync(path.join(assetDir, 'cd/ef/new.jpg')).mode & 0o777).toBe(0o600);
    expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toContain('3 files or folders');

    // secret.key with DATABASE_URL, where nothing else opens the data folder.
    const keyDir = path.join(tmp('key'), 'data');
    new SecretBox({ dataDir: keyDir }).seal({ a: 'b' }, 'id');
    expect(fs.statSync(keyDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(keyDir, 'secret.key')).mode & 0o777).toBe(0o600);
    fs.chmodSync(path.join(keyDir, 'secret.key'), 0o644);
    const sealed = new SecretBox({ dataDir: keyDir }).seal({ a: 'b' }, 'id');
    expect(fs.statSync(path.join(keyDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(new SecretBox({ dataDir: keyDir }).open(sealed, 'id')).toEqual({ a: 'b' });
  });
});
