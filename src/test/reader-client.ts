import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { ApiClient } from './harness.ts';

/**
 * Moves the clock of every code sent `seconds` back: the codes' lifetimes and the 60-second resend
 * spacing (the hourly and daily counts stay as they are).
 */
export async function ageReaderCodes(db: Db, seconds: number) {
  await sql`update reader_codes set created_at = created_at - make_interval(secs => ${seconds}), expires_at = expires_at - make_interval(secs => ${seconds})`.execute(db);
  await sql`update reader_code_limits set last_at = last_at - make_interval(secs => ${seconds}) where window_seconds = 0`.execute(db);
}

/** A client for the public side: keeps the tf_reader cookie (and tf_device when set) and the reader's CSRF token. */
export class ReaderClient extends ApiClient {
  readerCookie = '';
  deviceCookie = '';
  override async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const cookies = [this.readerCookie, this.deviceCookie].filter(Boolean).join('; ');
    const res = await super.request<T>(method, path, body, { ...(cookies ? { cookie: cookies } : {}), 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36', ...headers });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      if (pair!.startsWith('tf_reader=')) this.readerCookie = pair!.endsWith('=') ? '' : pair!;
    }
    if (res.status < 300 && res.body && typeof res.body === 'object' && typeof (res.body as unknown as { csrfToken?: unknown }).csrfToken === 'string') {
      this.csrf = (res.body as unknown as { csrfToken: string }).csrfToken;
    }
    return res;
  }
}

