import { type Static, Type } from 'typebox';
import { requireAuth } from '../../platform/http/auth.ts';
import { DateTime, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AuditService } from './audit.service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const FindingSchema = Type.Object({
  kind: Type.Union([
    Type.Literal('edited'),
    Type.Literal('deleted'),
    Type.Literal('relinked'),
    Type.Literal('forged'),
    Type.Literal('incomplete'),
    Type.Literal('unknown_alg'),
    Type.Literal('unsealed'),
    Type.Literal('head'),
  ]),
  seq: Nullable(Type.Integer()),
  toSeq: Type.Optional(Type.Integer()),
  id: Nullable(Type.Integer()),
  unitId: Type.Optional(Type.String()),
  detail: Type.String(),
  detailEn: Type.String(),
});

const ChainReportSchema = Type.Object({
  intact: Type.Boolean(),
  alg: Type.String({ description: '新封存行所用算法 / hash used for rows sealed from now on' }),
  checked: Type.Integer(),
  sealed: Type.Integer(),
  unsealed: Type.Integer(),
  oldestUnsealedAt: Nullable(DateTime),
  head: Nullable(Type.Object({ seq: Type.Integer(), hash: Type.String(), sealedAt: DateTime })),
  anchor: Nullable(Type.Object({ seq: Type.Integer(), hash: Type.String(), purged: Type.Integer(), at: DateTime })),
  findings: Type.Array(FindingSchema),
  findingCount: Type.Integer(),
});

const VerifyQuery = Type.Object(
  { maxUnsealedMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10080, default: 10 })) },
  { additionalProperties: false },
);

/** 审计链校验: the whole chain recomputed on request, for the alliance root's admins and supervisors. */
export function auditChainRoutes(audit: AuditService) {
  return async (app: HttpServer) => {
    app.get(
      '/api/audit/verify',
      {
        schema: {
          tags: ['identity 账号'],
          summary: '校验审计日志哈希链（根单位管理员与监管）/ verify the audit log hash chain (root admins and supervisors)',
          querystring: VerifyQuery,
          response: { 200: ChainReportSchema, ...problemResponses },
        },
      },
      async (request): Promise<Static<typeof ChainReportSchema>> => {
        const report = await audit.chainStatus(requireAuth(request).actor, { maxUnsealedMinutes: request.query.maxUnsealedMinutes });
        return { ...report, findings: report.findings.map(({ zh, en, ...f }) => ({ ...f, detail: zh, detailEn: en })) };
      },
    );
  };
}
