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
