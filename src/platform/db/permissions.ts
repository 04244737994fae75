import fs from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';

/**
 * The data folder holds password hashes, reader phone numbers, sealed credentials and the key that
 * opens them: nobody but the account running Tianfu may read it. Three layers:
 *
 * 1. the process umask is 077, so what Node creates (assets, secret.key, backups' folders) is private;
 * 2. the folders themselves are 0700, so even a file with looser bits inside cannot be reached;
 * 3. modes are tightened when a folder is opened and closed. PGlite's file system layer sets 0666 on
 *    every file it writes whatever the umask, so its files are corrected after it starts and when it
 *    closes; what a crash left loose is corrected, and counted in a log line, at the next start.
 */

export const PRIVATE_UMASK = 0o077;
const LOOSE = 0o077;

/** Sets the process umask to 077 (idempotent); everything created afterwards is owner-only. */
export function usePrivateUmask() {
  // Worker threads may not change it (the main thread's umask is theirs); the folder modes still hold.
  if (isMainThread) process.umask(PRIVATE_UMASK);
}

/**
 * Makes `dir` (0700) if missing and removes group and other bits from everything under it: files
 * become 0600 (0700 if executable by the owner), folders 0700. Symbolic links are neither followed
 * nor changed. Answers how many entries were changed.
 */
export function tightenTree(dir: string): number {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let fixed = 0;
  const visit = (target: string, isDir: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(target);
    } catch (err) {
      // Gone between listing and looking (a WAL segment recycled, a staging file moved in): nothing to fix.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & LOOSE) !== 0) {
      const mode = isDir ? 0o700 : (stat.mode & 0o100) !== 0 ? 0o700 : 0o600;
      fs.chmodSync(target, mode);
      fixed++;
    }
    if (!isDir) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(target, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) visit(path.join(target, e.name), e.isDirectory());
  };
  visit(dir, true);
  return fixed;
}

/** One file made 0600 when group or others may touch it; true when it had to be changed. */
export function tightenFile(file: string): boolean {
  const stat = fs.lstatSync(file);
  if (stat.isSymbolicLink() || (stat.mode & LOOSE) === 0) return false;
  fs.chmodSync(file, 0o600);
  return true;
}

/** What is reported when a folder opened with loose modes was tightened. */
export function tightenedMessage(dir: string, fixed: number) {
  return (
    `已收紧 ${dir} 的权限：${fixed} 个文件或目录原先可被同组或其他用户访问，现仅限本账号（文件 0600、目录 0700）\n` +
    `Tightened permissions in ${dir}: ${fixed} files or folders were accessible to group or others; now owner-only (files 0600, folders 0700)`
  );
}

/**
 * At start, before anything is written: private umask, the folder made or fixed, and a log line
 * when something had to be fixed (a folder from an older version, or left by a crash).
 */
export function securePrivateDir(dir: string, log: (message: string) => void = (m) => console.warn(m)): number {
  usePrivateUmask();
  const fixed = tightenTree(dir);
  if (fixed > 0) log(tightenedMessage(dir, fixed));
  return fixed;
}
