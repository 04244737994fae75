import { Type } from 'typebox';

/** Shapes shared by every module's routes. */

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
export const IdParams = Type.Object({ id: Uuid });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String({ description: '中文说明' }),
    detailEn: Type.String({ description: 'English message' }),
    requestId: Type.String(),
  },
  { additionalProperties: true, description: 'application/problem+json' },
);

/** Every route documents the problems it may answer. */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
} as const;

export const DateTime = Type.String({ format: 'date-time' });

/**
 * Column ranges for numbers a client sends. Every integer in a request schema carries a minimum and a
 * maximum inside its column (schema-bounds.test.ts walks the OpenAPI document to hold us to it), so
 * 2147483648 is a 400 here rather than a 500 from PostgreSQL.
 */
export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;
/** bigint columns (identity ids): as far as a JS number stays exact. */
export const INT8_MAX = Number.MAX_SAFE_INTEGER;
