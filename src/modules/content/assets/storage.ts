import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { securePrivateDir } from '../../../platform/db/permissions.ts';

/**
 * Where asset bytes live. The platform writes through this interface only, so an S3-compatible
 * store (MinIO, OSS, COS) can stand in for the filesystem: put = PutObject (multipart upload for
 * large files), get = GetObject with Range, delete = DeleteObject, exists = HeadObject.
 * Keys are relative paths made of [a-z0-9._-] segments; the service chooses them.
 */
export interface AssetStorage {
  /** Stores the bytes under key, all or nothing: a reader never sees a half-written object. */
  put(key: string, body: Readable | Buffer): Promise<{ size: number }>;
  /** Moves a finished local file (from staging) in; a filesystem store renames, others upload it. */
  putFile(key: string, localPath: string): Promise<void>;
  /** The bytes, or an inclusive byte range of them. Rejects with StorageMissing when absent. */
  get(key: string, range?: { start: number; end: number }): Promise<Readable>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A private local path for an upload in progress; the caller removes it when done. */
  stagingPath(): string;
}

export class StorageMissing extends Error {
  constructor(readonly key: string) {
    super(`asset object missing: ${key}`);
  }
}

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;
const STAGING = '.staging';
/** Staged files this old belong to an upload whose process died; they are swept at start. */
const STALE_MS = 6 * 3600 * 1000;

/** Assets on the local filesystem under one root (`<dataDir>/assets` unless TIANFU_ASSET_DIR says otherwise). */
export class FileStorage implements AssetStorage {
  readonly root: string;
  private ready = false;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Folders are made on first use, so CLI commands that never touch assets create nothing. */
  private ensureReady() {
    if (this.ready) return;
    // Owner-only, like the data folder: a TIANFU_ASSET_DIR elsewhere is fixed here, at first use.
    securePrivateDir(this.root);
    fs.mkdirSync(path.join(this.root, STAGING), { recursive: true, mode: 0o700 });
    this.sweepStaging();
    this.ready = true;
  }

  private pathOf(key: string): string {
    // Keys come from the service, never from a request, but a bad one must not escape the root.
    if (!KEY.test(key) || key.split('/').some((s) => s === '..' || s === '.') || key.startsWith(STAGING)) {
      throw new Error(`bad asset storage key: ${JSON.stringify(key)}`);
    }
    return path.join(this.root, key);
  }

  stagingPath(): string {
    this.ensureReady();
    return path.join(this.root, STAGING, `${Date.now()}-${crypto.randomUUID()}`);
  }

  async put(key: string, body: Readable | Buffer): Promise<{ size: number }> {
    const target = this.pathOf(key);
    const temp = this.stagingPath();
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, fs.createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
      const { size } = await fs.promises.stat(temp);
      await this.moveIn(temp, target);
      return { size };
    } catch (err) {
      await fs.promises.rm(temp, { force: true });
      throw err;
    }
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.pathOf(key);
    if (path.dirname(localPath) === path.join(this.root, STAGING)) return this.moveIn(localPath, target);
    await this.put(key, fs.createReadStream(localPath));
  }

  /** rename() within one filesystem is atomic: the object appears whole or not at all. */
  private async moveIn(temp: string, target: string) {
    for (let attempt = 0; ; attempt++) {
      await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      try {
        return await fs.promises.rename(temp, target);
      } catch (err) {
        // A delete next door may have pruned the folder we just made; make it again, once.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) throw err;
      }
    }
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const file = this.pathOf(key);
    const handle = await fs.promises.open(file, 'r').catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? new StorageMissing(key) : err;
    });
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.promises.rm(file, { force: true });
    // Leave no empty folders behind; stop at the first one still holding something.
    let dir = path.dirname(file);
    while (dir.startsWith(this.root + path.sep)) {
      try {
        await fs.promises.rmdir(dir);
      } catch {
        break;
      }
      dir = path.dirname(dir);
    }
  }

  async exists(key: string): Promise<boolean> {
    return fs.promises.access(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }

  private sweepStaging() {
    const dir = path.join(this.root, STAGING);
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      try {
        if (Date.now() - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { force: true });
      } catch {
        // another process may have just moved or removed it
      }
    }
  }
}

/**
 * The asset folder: TIANFU_ASSET_DIR (for several API processes sharing one mount), else
 * `<dataDir>/assets`. Without either (tests, benchmarks) a fresh temporary folder.
 */
export function assetDirFor(config: { assetDir?: string; dataDir?: string }): string {
  if (config.assetDir) return config.assetDir;
  if (config.dataDir) return path.join(config.dataDir, 'assets');
  // Only named here: FileStorage makes it on first use, so servers that never store a file leave nothing.
  return path.join(os.tmpdir(), `tianfu-assets-${process.pid}-${crypto.randomUUID()}`);
}
