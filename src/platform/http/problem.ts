/**
 * An error a person can act on: status, a stable code, and the message in Chinese first, then English.
 * Services throw these; the HTTP layer renders them as application/problem+json.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(en);
  }
}

export const badRequest = (code: string, zh: string, en: string, extra?: Record<string, unknown>) =>
  new Problem(400, code, zh, en, extra);
export const unauthorized = () => new Problem(401, 'unauthenticated', '请先登录', 'Please sign in first');
export const forbidden = (zh = '无权执行此操作', en = 'You are not allowed to do this') =>
  new Problem(403, 'forbidden', zh, en);
export const notFound = (what: { zh: string; en: string }, id?: string) =>
  new Problem(404, 'not_found', `${what.zh}不存在${id ? `：${id}` : ''}`, `${what.en} not found${id ? `: ${id}` : ''}`);
export const conflict = (code: string, zh: string, en: string, extra?: Record<string, unknown>) =>
  new Problem(409, code, zh, en, extra);
