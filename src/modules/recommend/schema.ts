import { Type } from 'typebox';
import { DateTime, Uuid } from '../../platform/http/schemas.ts';

const SLUG_PATTERN = '^(\\d{6}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$';
const Slug = Type.String({ pattern: SLUG_PATTERN, description: '单位代码（行政区划代码）或单位 id / the unit’s division code or id' });
/** The tracker's anonymous device id (same shape as the readers module accepts). */
const DeviceId = Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$', description: '匿名设备 id（tf_device）/ anonymous device id' });

/** Why a story is there: 因为你读过… (similar), 读过…的人也在读 (coread), 你常看 (interest), 本地/同城, 热门, 新发布, 编辑推荐, 相关. */
export const reasonKinds = ['similar', 'coread', 'interest', 'local', 'city', 'popular', 'fresh', 'pinned', 'related'] as const;

export const SiteParams = Type.Object({ unitSlug: Slug }, { additionalProperties: false });
export const RelatedParams = Type.Object({ unitSlug: Slug, id: Uuid }, { additionalProperties: false });

export const FeedQuery = Type.Object(
  {
    device: Type.Optional(DeviceId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  { additionalProperties: false },
);

export const RecommendedItem = Type.Object({
  itemId: Uuid,
  title: Type.String(),
  category: Type.Union([Type.String(), Type.Null()]),
  publishedAt: DateTime,
  url: Type.String({ description: '本站文章页 / the story on this site' }),
  reason: Type.String({ description: '一句推荐理由 / one-line reason' }),
  reasonKind: Type.Union([
    Type.Literal('similar'),
    Type.Literal('coread'),
    Type.Literal('interest'),
    Type.Literal('local'),
    Type.Literal('city'),
    Type.Literal('popular'),
    Type.Literal('fresh'),
    Type.Literal('pinned'),
    Type.Literal('related'),
  ]),
});

export const FeedReply = Type.Object({
  subject: Type.Union([Type.Literal('reader'), Type.Literal('device'), Type.Literal('anonymous')]),
  items: Type.Array(RecommendedItem),
});

export const RelatedReply = Type.Object({ items: Type.Array(RecommendedItem) });

export const PinsQuery = Type.Object({ unit: Slug }, { additionalProperties: false });
export const PinBody = Type.Object(
  {
    unit: Slug,
    itemId: Uuid,
    slot: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 50, description: '必显位置（第几条）/ must-show position' }), Type.Null()])),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    expiresAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
  },
  { additionalProperties: false },
);
export const PinSchema = Type.Object({
  unitId: Uuid,
  itemId: Uuid,
  slot: Type.Union([Type.Integer(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  expiresAt: Type.Union([DateTime, Type.Null()]),
});
export const PinsReply = Type.Object({ pins: Type.Array(PinSchema) });
export const PinParams = Type.Object({ unitSlug: Slug, id: Uuid }, { additionalProperties: false });

export const PreviewQuery = Type.Object(
  {
    unit: Slug,
    device: Type.Optional(DeviceId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  { additionalProperties: false },
);
