import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './errors.ts';
import { Problem } from './problem.ts';

/**
 * Refusals at the edge, before a route, a validator or the database sees the request: NUL bytes
 * (PostgreSQL text and jsonb cannot hold them, so they used to surface as 500s), JSON nested deeper
 * than any real client sends (ajv recurses per level and overflowed the stack at ~2,000), and the
 * malformed requests Fastify and Node answer themselves, which otherwise bypass problem+json.
 */

/**
 * Deepest JSON body accepted. Well above what real bodies need (a story body at the editor's own
 * limit of 32 nested blocks is about 70 levels, see content/doc.ts) and far below where ajv's
 * recursion gets into trouble.
 */
export const MAX_JSON_DEPTH = 100;

export const nulProblem = (where: 'body' | 'url') =>
  new Problem(
    400,
    'nul_byte',
    where === 'body' ? '请求体中含有空字符（NUL，\\u0000），请删除后重试' : '网址或查询参数中含有空字符（%00），请删除后重试',
    where === 'body' ? 'The body contains a NUL character (\\u0000); remove it and retry' : 'The URL or query string contains a NUL character (%00); remove it and retry',
  );

const tooDeepProblem = () =>
  new Problem(
    400,
    'too_deep',
    `请求体的 JSON 嵌套超过 ${MAX_JSON_DEPTH} 层，无法处理`,
    `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`,
    { maxDepth: MAX_JSON_DEPTH },
  );

const BACKSLASH = 0x5c;
const QUOTE = 0x22;

/**
 * One pass over the raw JSON text: nesting depth outside strings, and NUL inside them. In valid JSON
 * a NUL can only be written as the escape \u0000 (a raw one is a syntax error, left to the parser),
 * and an escaped backslash followed by "u0000" is ordinary text, hence the escape tracking.
 */
export function inspectJsonText(text: string): Problem | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        if (text.charCodeAt(i + 1) === 0x75 /* u */ && text.startsWith('0000', i + 2)) return nulProblem('body');
        i++;
      } else if (c === QUOTE) {
        inString = false;
      } else if (c === 0) {
        return nulProblem('body');
      }
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > MAX_JSON_DEPTH) return tooDeepProblem();
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    } else if (c === 0) {
      return nulProblem('body');
    }
  }
  return null;
}

type JsonParser = (req: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) => void;

/** Fastify's own JSON parser (empty bodies, prototype poisoning), after the edge checks. */
export const checkedJsonParser =
  (parse: JsonParser): JsonParser =>
  (req, body, done) => {
    const problem = inspectJsonText(body);
    if (problem) return done(problem);
    return parse(req, body, done);
  };

/** `%00` anywhere in the raw URL: a path segment or a query value would carry a NUL into a query. */
export function rejectNulInUrl(request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
  const url = request.url;
  if (url.includes('%00') || url.includes('\0')) return done(nulProblem('url'));
  done();
}

/** The errors Fastify answers before routing (bad percent-encoding, over-long parameters, constraints). */
export function frameworkProblem(err: FastifyError): Problem {
  switch (err.code) {
    case 'FST_ERR_BAD_URL':
      return new Problem(400, 'bad_url', '网址编码不正确（不是合法的 UTF-8），请检查链接', 'The URL is not validly encoded (invalid UTF-8 or percent-encoding)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new Problem(414, 'param_too_long', '网址中的参数过长', 'A parameter in the URL is too long');
    default:
      return new Problem(500, 'internal', '服务器内部错误，请稍后再试', 'Internal server error; please try again later');
  }
}

export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = frameworkProblem(err);
  if (problem.status >= 500) request.log.error({ err }, 'framework error');
  reply.header('x-request-id', request.id);
  sendProblem(reply, problem);
}

/**
 * Requests Node's HTTP parser cannot read (broken header lines, oversized headers) never become a
 * Fastify request; the socket gets a short problem+json answer, as every other refusal does.
 */
export function clientErrorHandler(this: { log: { trace: (o: object, m: string) => void } }, err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, zh, en] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', '请求超时', 'The request took too long to arrive']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', '请求头过大', 'The request headers are too large']
        : [400, 'bad_http_request', '请求格式不正确，无法解析', 'The HTTP request is malformed'];
  const body = JSON.stringify({ type: `urn:tianfu:problem:${code}`, title: http.STATUS_CODES[status], status, code, detail: zh, detailEn: en });
  this.log.trace({ err }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
