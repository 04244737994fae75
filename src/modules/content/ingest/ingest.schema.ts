import { type Static, Type } from 'typebox';
import { DateTime, Uuid } from '../../../platform/http/schemas.ts';
import { sourceFormats } from './ingest.repo.ts';

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: '源名称 / source name' });
const Url = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000, description: 'RSS/Atom/JSON Feed/NINJS/NewsML-G2 地址 (http/https)' });
const Format = Type.Enum(sourceFormats, { description: 'auto 自动识别 / or a fixed format' });
const Interval = Type.Integer({ minimum: 5, maximum: 10080, description: '拉取间隔（分钟）/ minutes between scheduled pulls' });

/** name first: the bad-input walk fills the first field to reach an unknown id's 404. */
export const CreateSourceBody = Type.Object(
  {
    name: Name,
    url: Url,
    format: Type.Optional(Format),
    intervalMinutes: Type.Optional(Interval),
    paused: Type.Optional(Type.Boolean({ description: '暂停定时拉取 / pause scheduled pulls' })),
  },
  { additionalProperties: false },
);

export const UpdateSourceBody = Type.Object(
  {
    name: Type.Optional(Name),
    url: Type.Optional(Url),
    format: Type.Optional(Format),
    intervalMinutes: Type.Optional(Interval),
    paused: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export type CreateSourceInput = Static<typeof CreateSourceBody>;
export type UpdateSourceInput = Static<typeof UpdateSourceBody>;

export const PullResultSchema = Type.Object({
  status: Type.Enum(['ok', 'not_modified', 'error']),
  entries: Type.Integer(),
  imported: Type.Integer(),
  seen: Type.Integer({ description: '已导入过（guid 去重）/ delivered before (guid)' }),
  nearDuplicates: Type.Integer({ description: '近似重复（SimHash）/ near-duplicates skipped' }),
  error: Type.Union([Type.String(), Type.Null()]),
  errorEn: Type.Union([Type.String(), Type.Null()]),
  ms: Type.Integer(),
  at: DateTime,
});

export const SourceSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  name: Type.String(),
  url: Type.String(),
  format: Format,
  intervalMinutes: Type.Integer(),
  paused: Type.Boolean(),
  status: Type.Enum(['never', 'ok', 'error']),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastFetchedAt: Type.Union([DateTime, Type.Null()]),
  lastSuccessAt: Type.Union([DateTime, Type.Null()]),
  lastResult: Type.Union([PullResultSchema, Type.Null()]),
  itemCount: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  canManage: Type.Boolean(),
});

export type SourceDto = Static<typeof SourceSchema>;
