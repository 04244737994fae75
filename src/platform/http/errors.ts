import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from './problem.ts';

interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

const statusTitles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** application/problem+json (RFC 9457), Chinese first: `detail` is zh, `detailEn` is en. */
export function sendProblem(reply: FastifyReply, p: Problem) {
  if (typeof p.extra.retryAfter === 'number') reply.header('retry-after', String(p.extra.retryAfter));
  return reply
    .code(p.status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: `urn:tianfu:problem:${p.code}`,
      title: statusTitles[p.status] ?? 'Error',
      status: p.status,
      code: p.code,
      detail: p.zh,
      detailEn: p.en,
      requestId: reply.request.id,
      ...p.extra,
    });
}

function describeIssue(issue: ValidationIssue, part: string): { zh: string; en: string; field: string } {
  const missing = issue.keyword === 'required' ? String(issue.params.missingProperty) : '';
  const extra = issue.keyword === 'additionalProperties' ? String(issue.params.additionalProperty) : '';
  const path = `${part}${issue.instancePath}${missing ? `/${missing}` : ''}${extra ? `/${extra}` : ''}`;
  switch (issue.keyword) {
    case 'required':
      return { field: path, zh: `缺少必填字段 ${path}`, en: `${path} is required` };
    case 'additionalProperties':
      return { field: path, zh: `不认识的字段 ${path}`, en: `${path} is not a known field` };
    case 'type':
      return { field: path, zh: `${path} 类型应为 ${String(issue.params.type)}`, en: `${path} must be ${String(issue.params.type)}` };
    case 'format':
      return { field: path, zh: `${path} 格式应为 ${String(issue.params.format)}`, en: `${path} must be a valid ${String(issue.params.format)}` };
    case 'minProperties':
      return { field: path, zh: `${path} 至少要提供一个字段`, en: `${path} needs at least one field` };
    case 'maxLength':
    case 'minLength':
    case 'maximum':
    case 'minimum':
    case 'pattern':
      return { field: path, zh: `${path} 超出允许范围（${issue.message}）`, en: `${path} ${issue.message}` };
    default:
      return { field: path, zh: `${path} 不合法（${issue.message}）`, en: `${path} ${issue.message}` };
  }
}

function fromFastifyError(err: FastifyError): Problem | null {
  if (err.validation) {
    const part = err.validationContext ?? 'body';
    const issues = (err.validation as ValidationIssue[]).map((i) => describeIssue(i, part));
    return new Problem(
      400,
      'invalid_request',
      `请求不合法：${issues.map((i) => i.zh).join('；')}`,
      `Invalid request: ${issues.map((i) => i.en).join('; ')}`,
      { errors: issues.map((i) => ({ field: i.field, detail: i.zh, detailEn: i.en })) },
    );
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'body_too_large', '请求体过大', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, 'unsupported_media_type', '不支持的内容类型，请用 application/json', 'Unsupported content type; send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem(400, 'empty_body', '请求体为空', 'The JSON body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem(400, 'invalid_json', '请求体不是合法的 JSON', 'The body is not valid JSON');
  }
  if (err instanceof SyntaxError) return new Problem(400, 'invalid_json', '请求体不是合法的 JSON', 'The body is not valid JSON');
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return new Problem(status, 'bad_request', `请求有误：${err.message}`, err.message);
  return null;
}

/** PostgreSQL errors a client can cause, answered as the client's mistake rather than ours. */
function fromDatabaseError(err: { code?: string; detail?: string }): Problem | null {
  switch (err.code) {
    case '23505':
      return new Problem(409, 'duplicate', '与已有记录重复', `Duplicate: ${err.detail ?? 'a record with this value exists'}`);
    case '23503':
      return new Problem(409, 'reference_missing', '引用的记录不存在或仍被使用', 'A referenced record is missing or still in use');
    case '22P02':
    case '22007':
    case '22008':
      return new Problem(400, 'invalid_value', '参数值格式不正确', 'A value has the wrong format');
    case '22001':
      return new Problem(400, 'value_too_long', '参数值过长', 'A value is too long');
    // NUL (as text or as the jsonb escape \u0000): the edge refuses it in JSON and URLs; this catches
    // any other way in (a multipart field, say), still as the client's mistake.
    case '22021':
    case '22P05':
      return new Problem(400, 'nul_byte', '内容中含有无法保存的字符（空字符 NUL），请删除后重试', 'The content holds a character that cannot be stored (NUL); remove it and retry');
    case '23514':
      return new Problem(400, 'check_failed', '参数值不在允许范围内', 'A value is outside the allowed range');
  }
  return null;
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem =
    err instanceof Problem ? err : (fromFastifyError(err) ?? fromDatabaseError(err as { code?: string }));
  if (problem) {
    if (problem.status >= 500) request.log.error({ err }, 'request failed');
    return sendProblem(reply, problem);
  }
  request.log.error({ err }, 'unhandled error');
  return sendProblem(reply, new Problem(500, 'internal', '服务器内部错误，请稍后再试', 'Internal server error; please try again later'));
}
