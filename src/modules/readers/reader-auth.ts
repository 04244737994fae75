import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Problem, unauthorized } from '../../platform/http/problem.ts';
import type { ReaderAccountService, ReaderSession } from './accounts.service.ts';

/** The reader's session cookie: its own name, never the staff one, so the two identities never mix. */
export const READER_COOKIE = 'tf_reader';
/** The tracker's anonymous device id, also kept as a cookie so sign-in can merge it without any script. */
export const DEVICE_COOKIE = 'tf_device';
const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Who a reader request comes from, decided here once for every module with reader routes (readers, push,
 * recommend). Reader routes skip the staff session's CSRF check, so `require` does its own.
 */
export class ReaderAuth {
  constructor(private readonly accounts: ReaderAccountService) {}

  /** The signed-in reader, or null; enough for reads, which change nothing. */
  async session(request: FastifyRequest): Promise<ReaderSession | null> {
    const token = request.cookies[READER_COOKIE];
    return token ? this.accounts.resolveSession(token) : null;
  }

  /** The signed-in reader; writes must echo the session's CSRF token in x-csrf-token. */
  async require(request: FastifyRequest): Promise<ReaderSession> {
    const s = await this.session(request);
    if (!s) throw unauthorized();
    if (request.method !== 'GET') {
      const sent = request.headers['x-csrf-token'];
      const a = Buffer.from(typeof sent === 'string' ? sent : '');
      const b = Buffer.from(s.csrfToken);
      if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
        throw new Problem(403, 'csrf', '请求缺少有效的 CSRF 令牌，请刷新页面后重试', 'Missing or wrong x-csrf-token; reload the page and retry');
      }
    }
    return s;
  }

  /** Whether the reader's answer in force for personalisation is a grant: without it nothing they read shapes what they see. */
  async personalised(readerId: string): Promise<boolean> {
    return (await this.accounts.consentsOf(readerId)).has('personalisation');
  }

  /** The anonymous device: the one the client names, else a well-formed tf_device cookie. */
  device(request: FastifyRequest, given?: string): string | undefined {
    const cookie = request.cookies[DEVICE_COOKIE];
    return given ?? (cookie && DEVICE_ID.test(cookie) ? cookie : undefined);
  }
}
