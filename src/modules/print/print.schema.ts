import { Type } from 'typebox';
import { DateTime, Uuid } from '../../platform/http/schemas.ts';
import { printFormats } from './layout/page-spec.ts';
import { MAX_STORIES } from './print.service.ts';

const Day = Type.String({ format: 'date', description: '出版日期 / edition date (YYYY-MM-DD)' });

export const StoryChoice = Type.Object(
  {
    source: Type.Enum(['pool', 'item'], { description: 'pool: 稿池中的稿件; item: 本单位已发布的稿件' }),
    id: Uuid,
  },
  { additionalProperties: false },
);

export const CreatePageBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40, description: '版名，如“要闻” / page name' }),
    format: Type.Enum(printFormats, { description: 'broadsheet 对开 | tabloid 四开' }),
    date: Day,
    stories: Type.Array(StoryChoice, { minItems: 1, maxItems: MAX_STORIES, description: '头条在前 / the lead first' }),
  },
  { additionalProperties: false },
);

export const PagesQuery = Type.Object({ date: Type.Optional(Day) }, { additionalProperties: false });
export const PdfQuery = Type.Object({ download: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

const StoryRef = Type.Object({ source: Type.Enum(['pool', 'item']), id: Type.String(), itemId: Type.Union([Type.String(), Type.Null()]), title: Type.String() });
const Flag = Type.Object({ storyId: Type.String(), itemId: Type.Union([Type.String(), Type.Null()]), title: Type.String(), reason: Type.String(), at: Type.String() });
const Report = Type.Object({ id: Type.String(), lines: Type.Integer(), pages: Type.Array(Type.Integer()) });

export const PageSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  format: Type.Enum(printFormats),
  date: Type.String(),
  stories: Type.Array(StoryRef),
  report: Type.Array(Report),
  flags: Type.Array(Flag),
  pageCount: Type.Integer({ description: '含转版 / with jump pages' }),
  pdfBytes: Type.Integer(),
  renderMs: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const CandidatesSchema = Type.Object({
  pool: Type.Array(
    Type.Object({ id: Type.String(), itemId: Type.Union([Type.String(), Type.Null()]), title: Type.String(), revision: Type.Union([Type.Integer(), Type.Null()]), hasPicture: Type.Boolean(), deliveredAt: DateTime }),
  ),
  published: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), status: Type.String(), publishedAt: Type.Union([DateTime, Type.Null()]), hasPicture: Type.Boolean() })),
});
