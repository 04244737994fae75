import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import pg from 'pg';
import { type AppConfig, createApp } from '../app.ts';
import { startJobs, stopJobs } from '../platform/jobs.ts';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.ts';
import { FIXTURE_PASSWORD } from './fixtures.ts';
import { withDatabase } from './global-setup.ts';

/** A private copy of the template database for one test file. */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const ref = inject('tianfuTemplate');
  if (ref.kind === 'pglite') {
    return openDatabase({ kind: 'pglite-memory', loadDataDir: new Blob([fs.readFileSync(ref.file)]) });
  }
  const name = `tianfu_t_${process.ppid}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: ref.url });
  await admin.connect();
  await admin.query(`create database ${name} template ${ref.template}`);
  await admin.end();
  const handle = await openDatabase({ kind: 'postgres', url: withDatabase(ref.url, name), poolSize: 4 });
  return {
    ...handle,
    async close() {
      await handle.close();
      const drop = new pg.Client({ connectionString: ref.url });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

export const testConfig = {
  logLevel: 'silent',
  bodyLimitBytes: 1024 * 1024,
  sessionHours: 12,
  secureCookies: false,
  auditRetentionDays: 365,
  // Every test client is 127.0.0.1, so the per-IP code limits and the proof-of-work threshold would
  // follow one file's sign-ups; code-limits.test.ts sets them back to production values.
  readerCodeIpHourly: 100_000,
  readerCodePowAfter: 100_000,
};

/** The real server on a random local port, over real HTTP, on a fresh database; `config` overrides testConfig. */
export async function startTestServer(options: { jobs?: boolean; config?: Partial<AppConfig> } = {}) {
  const handle = await openTestDatabase();
  const assetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-test-assets-'));
  const { app, services } = await createApp(handle.db, { ...testConfig, assetDir, ...options.config });
  const silent = app.log.child({}, { level: 'silent' });
  const jobs = options.jobs ? await startJobs(handle.pool, services.jobs, silent, services.queue) : null;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    db: handle.db,
    handle,
    services,
    client: () => new ApiClient(url),
    /** A client already signed in as one of the fixture users. */
    as: async (username: string) => {
      const c = new ApiClient(url);
      await c.login(username);
      return c;
    },
    async close() {
      await app.close();
      if (jobs) await stopJobs(jobs, services.queue);
      await handle.close();
      fs.rmSync(assetDir, { recursive: true, force: true });
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small fetch client that keeps the session cookie and echoes the CSRF token, as the console does. */
export class ApiClient {
  cookie = '';
  csrf = '';
  bearer = '';
  constructor(readonly base: string) {}

  async login(username: string, password = FIXTURE_PASSWORD): Promise<ApiResponse> {
    const res = await this.request('POST', '/api/session', { username, password });
    if (res.status === 204) {
      const session = await this.request('GET', '/api/session');
      this.csrf = session.body.csrfToken;
      return session;
    }
    return res;
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] ??= this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      if (pair!.startsWith('tianfu_session=')) this.cookie = pair!.endsWith('=') ? '' : pair!;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // non-JSON bodies (the console's HTML) are returned as text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('POST', path, body);
  put = <T = any>(path: string, body?: unknown) => this.request<T>('PUT', path, body);
  patch = <T = any>(path: string, body?: unknown) => this.request<T>('PATCH', path, body);
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);
}
