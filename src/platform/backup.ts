import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Config } from './config.ts';
import { lockDataDir } from './db/lock.ts';
import { tightenTree } from './db/permissions.ts';

export class BackupError extends Error {}

/**
 * Embedded: a gzip tarball of the PGlite data folder, taken while holding the folder's lock (so the
 * server must be stopped: a consistent copy needs nobody writing). Server: pg_dump's custom format.
 */
export async function backup(config: Config, file: string): Promise<string> {
  const target = path.resolve(file);
  if (config.databaseUrl) {
    await run('pg_dump', ['--format=custom', '--no-owner', `--file=${target}`, config.databaseUrl]);
    return target;
  }
  if (!fs.existsSync(path.join(config.dataDir, 'PG_VERSION'))) {
    throw new BackupError(`数据目录 ${config.dataDir} 里没有数据库 / no database in ${config.dataDir}`);
  }
  const release = lockDataDir(config.dataDir);
  try {
    const pglite = await PGlite.create(config.dataDir, { extensions: { pg_trgm } });
    const dump = await pglite.dumpDataDir('gzip');
    await pglite.close();
    tightenTree(config.dataDir);
    // The backup holds everything the folder does: owner-only whatever the umask.
    fs.writeFileSync(target, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
    return target;
  } finally {
    release();
  }
}

export async function restore(config: Config, file: string, force: boolean): Promise<string> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new BackupError(`找不到备份文件 / backup file not found: ${source}`);
  if (config.databaseUrl) {
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${config.databaseUrl}`, source]);
    return config.databaseUrl.replace(/\/\/[^@]*@/, '//');
  }
  const dir = config.dataDir;
  const occupied = fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f !== 'tianfu.lock');
  if (occupied && !force) {
    throw new BackupError(`数据目录 ${dir} 不为空；加 --force 会把现有数据移到旁边再恢复 / ${dir} is not empty; --force moves it aside first`);
  }
  const release = lockDataDir(dir);
  try {
    if (occupied) {
      const aside = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      fs.mkdirSync(aside);
      for (const f of fs.readdirSync(dir)) if (f !== 'tianfu.lock') fs.renameSync(path.join(dir, f), path.join(aside, f));
    }
    const blob = new Blob([fs.readFileSync(source)]);
    const pglite = await PGlite.create(dir, { extensions: { pg_trgm }, loadDataDir: blob });
    await pglite.query('select 1');
    await pglite.close();
    tightenTree(dir);
    return dir;
  } finally {
    release();
  }
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err) =>
      reject(new BackupError(`无法运行 ${cmd}（请安装 PostgreSQL 客户端）/ cannot run ${cmd}: ${err.message}`)),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupError(`${cmd} exited with ${code}`))));
  });
}
