import { Type } from 'typebox';
import { DateTime, INT4_MAX, INT8_MAX, Uuid } from '../../platform/http/schemas.ts';
import { MAX_TERM_CHARS } from './lexicon/index.ts';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const CategorySchema = Type.Enum(['politics', 'porn', 'gambling', 'drugs', 'fraud', 'ads', 'violence', 'custom']);
export const SeveritySchema = Type.Enum(['block', 'review', 'info']);
export const ScopeSchema = Type.Enum(['alliance', 'unit'], { description: 'alliance: 联合体通用（联合体管理员维护）；unit: 本单位' });

export const ScreeningFindingSchema = Type.Object({
  rule: Type.String(),
  severity: SeveritySchema,
  message: Type.String(),
  start: Type.Optional(Type.Integer()),
  end: Type.Optional(Type.Integer()),
  suggestion: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  confidence: Type.Optional(Type.Number()),
});

export const FindingsResult = Type.Object({ findings: Type.Array(ScreeningFindingSchema), verdict: Type.Enum(['block', 'review', 'pass']) });

export const LexiconSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  scope: ScopeSchema,
  name: Type.String(),
  description: Nullable(Type.String()),
  builtin: Type.Boolean(),
  version: Type.Integer(),
  enabled: Type.Boolean(),
  termCount: Type.Optional(Type.Integer()),
  manageable: Type.Optional(Type.Boolean()),
  updatedAt: DateTime,
});

export const TermSchema = Type.Object({ term: Type.String(), category: CategorySchema, severity: SeveritySchema });
const TermInput = Type.Object({ term: Type.String({ minLength: 1, maxLength: MAX_TERM_CHARS }), category: CategorySchema, severity: SeveritySchema }, { additionalProperties: false });

export const VersionSchema = Type.Object({
  version: Type.Integer(),
  note: Nullable(Type.String()),
  added: Type.Integer(),
  removed: Type.Integer(),
  changedBy: Nullable(Type.String()),
  changedByName: Nullable(Type.String()),
  changedAt: DateTime,
});

export const LexiconDetail = Type.Object({
  lexicon: LexiconSchema,
  terms: Type.Array(Type.Object({ term: Type.String(), category: CategorySchema, severity: SeveritySchema, addedVersion: Type.Integer() })),
  total: Type.Integer(),
  versions: Type.Array(VersionSchema),
});

export const LexiconQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  version: Type.Optional(Type.Integer({ minimum: 0, maximum: INT4_MAX })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
}, { additionalProperties: false });

export const CreateLexiconBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), scope: ScopeSchema, description: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const UpdateLexiconBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const AddTermsBody = Type.Object({ terms: Type.Array(TermInput, { minItems: 1, maxItems: 5000 }), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const RemoveTermsBody = Type.Object(
  { terms: Type.Array(Type.String({ minLength: 1, maxLength: MAX_TERM_CHARS }), { minItems: 1, maxItems: 5000 }), note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const ImportBody = Type.Object(
  {
    format: Type.Enum(['txt', 'csv']),
    content: Type.String({ maxLength: 4 * 1024 * 1024, description: 'txt：每行一个词（可带分类与级别）；csv：term,category,severity' }),
    mode: Type.Optional(Type.Enum(['merge', 'replace'], { description: 'merge（默认）：加入或更新；replace：以文件为准，文件中没有的词移除' })),
    category: Type.Optional(CategorySchema),
    severity: Type.Optional(SeveritySchema),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const ChangeResult = Type.Object({ version: Type.Integer(), added: Type.Integer(), removed: Type.Integer(), changed: Type.Boolean() });

export const ExportQuery = Type.Object({ format: Type.Enum(['txt', 'csv'], { default: 'csv' }), version: Type.Optional(Type.Integer({ minimum: 0, maximum: INT4_MAX })) }, { additionalProperties: false });

export const AllowTermSchema = Type.Object({ term: Type.String(), scope: ScopeSchema, note: Nullable(Type.String()), createdAt: DateTime });
export const AllowListSchema = Type.Object({ alliance: Type.Array(AllowTermSchema), unit: Type.Array(AllowTermSchema) });
export const AllowChangeBody = Type.Object(
  {
    scope: ScopeSchema,
    add: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: MAX_TERM_CHARS }), { maxItems: 5000 })),
    remove: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: MAX_TERM_CHARS }), { maxItems: 5000 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const WordingRuleSchema = Type.Object(
  {
    wrong: Type.String({ minLength: 1, maxLength: 100 }),
    right: Type.String({ maxLength: 200 }),
    explanation: Type.String({ maxLength: 1000 }),
    source: Type.String({ maxLength: 500 }),
    severity: Type.Optional(SeveritySchema),
  },
  { additionalProperties: false },
);

export const PackSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  scope: ScopeSchema,
  name: Type.String(),
  builtin: Type.Boolean(),
  rules: Type.Array(WordingRuleSchema),
  version: Type.Integer(),
  enabled: Type.Boolean(),
  manageable: Type.Optional(Type.Boolean()),
  updatedAt: DateTime,
});

export const CreatePackBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), scope: ScopeSchema, rules: Type.Array(WordingRuleSchema, { maxItems: 5000 }) },
  { additionalProperties: false },
);
export const UpdatePackBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), rules: Type.Optional(Type.Array(WordingRuleSchema, { maxItems: 5000 })), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const TestBody = Type.Object({ text: Type.String({ maxLength: 200_000 }), title: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const AlertSchema = Type.Object({
  id: Type.Integer(),
  itemId: Uuid,
  rule: Type.String(),
  severity: SeveritySchema,
  message: Type.String(),
  field: Type.Enum(['title', 'body']),
  start: Nullable(Type.Integer()),
  end: Nullable(Type.Integer()),
  excerpt: Nullable(Type.String()),
  status: Type.Enum(['open', 'resolved']),
  createdAt: DateTime,
  resolvedBy: Nullable(Type.String()),
  resolvedAt: Nullable(DateTime),
  resolution: Nullable(Type.String()),
});
export const AlertQuery = Type.Object({
  status: Type.Optional(Type.Enum(['open', 'resolved'])),
  itemId: Type.Optional(Uuid),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
}, { additionalProperties: false });
export const AlertParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: INT8_MAX }) });
export const ResolveBody = Type.Object({ resolution: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

export const ProposalSchema = Type.Object({
  id: Type.Integer(),
  term: Type.String(),
  rule: Type.String(),
  excerpt: Nullable(Type.String()),
  note: Nullable(Type.String()),
  status: Type.Enum(['pending', 'approved', 'rejected']),
  proposedBy: Uuid,
  proposedByName: Nullable(Type.String()),
  proposedAt: DateTime,
  decidedBy: Nullable(Uuid),
  decidedAt: Nullable(DateTime),
});
export const ProposeBody = Type.Object(
  {
    term: Type.String({ minLength: 1, maxLength: MAX_TERM_CHARS, description: '要放行的词或短语（默认为命中的原文，可加上下文，如“日本人”）' }),
    rule: Type.String({ minLength: 1, maxLength: 100 }),
    excerpt: Type.Optional(Type.String({ maxLength: 500 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export const ProposalQuery = Type.Object({ status: Type.Optional(Type.Enum(['pending', 'approved', 'rejected'])) }, { additionalProperties: false });
/** A proposal's id is a bigint identity, as an alert's is. */
export const ProposalParams = AlertParams;
export const DecideBody = Type.Object({ decision: Type.Enum(['approve', 'reject']) }, { additionalProperties: false });
