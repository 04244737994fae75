import type { Lang } from './i18n.ts';

/**
 * The one way the console talks to the server: same-origin cookies, the session's CSRF token on
 * every write, and problem+json errors turned into an ApiError that can speak Chinese or English.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly detailEn: string,
    /** The whole problem body: some errors carry more (a 409 revision conflict carries currentRevision and diff). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(detailEn);
  }
}

/** The message to show a person, in the console's language. */
export function describeError(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) return lang === 'zh' ? err.detail : err.detailEn;
  if (err instanceof Error) return lang === 'zh' ? `网络错误：${err.message}` : `Network error: ${err.message}`;
  return String(err);
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Set from GET /api/session (and the unit switch) so writes can echo it in x-csrf-token. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called when the server says the session is gone (401), so the console can show the login page. */
export function setUnauthorizedHandler(handler: (() => void) | null) {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface ProblemBody {
  code?: string;
  detail?: string;
  detailEn?: string;
  title?: string;
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const isForm = body instanceof FormData;
  // a FormData body sets its own multipart content-type with the boundary
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(withQuery(path, query), {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
  });
  if (!res.ok) {
    let raw: Record<string, unknown> = {};
    try {
      raw = (await res.json()) as Record<string, unknown>;
    } catch {
      // not JSON (a proxy error page, say): fall back to the status line
    }
    const problem = raw as ProblemBody;
    const error = new ApiError(
      res.status,
      problem.code ?? 'http_error',
      problem.detail ?? `请求失败（HTTP ${res.status}）`,
      problem.detailEn ?? problem.title ?? `Request failed (HTTP ${res.status})`,
      raw,
    );
    const signingIn = method === 'POST' && path === '/api/session';
    if (res.status === 401 && !signingIn) onUnauthorized?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  /** a body only where the route takes one (e.g. DELETE /api/screening/lexicons/:id/terms) */
  del: <T = void>(path: string, body?: unknown) => request<T>('DELETE', path, body),
  /** multipart/form-data, e.g. a file upload to /api/assets */
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, form),
};
