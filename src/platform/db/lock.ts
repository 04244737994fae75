import fs from 'node:fs';
import path from 'node:path';
import { securePrivateDir } from './permissions.ts';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `数据目录 ${dataDir} 正被进程 ${holderPid} 使用，拒绝再次打开。\n` +
        `The data folder ${dataDir} is in use by process ${holderPid}; refusing to open it twice ` +
        `(PGlite has no lock of its own and two openers would lose committed rows). ` +
        `Stop that process, or point TIANFU_DATA_DIR at another folder.\n` +
        `要在服务运行时操作，请先停止服务再运行本命令，或改用控制台与接口（如 GET /api/units）。\n` +
        `To do this while the server runs, stop it and run the command again, or use the console or the API (e.g. GET /api/units).`,
    );
  }
}

const LOCK_FILE = 'tianfu.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data folder for this process. The lock file is created with O_EXCL, so of two racing
 * openers exactly one wins; a lock left by a process that died (kill -9) is taken over. The folder
 * is owner-only from here on (permissions.ts).
 */
export function lockDataDir(dataDir: string): () => void {
  // Every opener (serve, CLI commands, backup, restore) comes through here: the folder is made
  // private, or made private again, before anything is read or written in it.
  securePrivateDir(dataDir);
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readHolder(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(lockPath);
      if (holder !== null && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      if (holder === process.pid) throw new DataDirLockedError(dataDir, holder);
      // Stale lock from a process that is gone: remove it and race again for a fresh one.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function readHolder(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}
