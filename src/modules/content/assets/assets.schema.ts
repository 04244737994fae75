import { type Static, Type } from 'typebox';
import { DateTime, Uuid } from '../../../platform/http/schemas.ts';
import { assetKinds } from './assets.tables.ts';
import { variantNames } from './variants.ts';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const AssetKindSchema = Type.Enum(assetKinds);
export const CAPTION_MAX = 500;
export const TAG_MAX = 30;
export const TAGS_MAX = 30;

export const Caption = Type.String({ maxLength: CAPTION_MAX, description: '图片说明 / caption' });
export const Tags = Type.Array(Type.String({ minLength: 1, maxLength: TAG_MAX }), { maxItems: TAGS_MAX });

export const VariantSchema = Type.Object({
  width: Type.Integer(),
  height: Type.Integer(),
  size: Type.Integer(),
  mime: Type.String(),
  url: Type.String(),
});

export const AssetSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  unitName: Type.String(),
  kind: AssetKindSchema,
  mime: Type.String(),
  size: Type.Integer({ description: '字节 / bytes' }),
  sha256: Type.String({ description: 'SHA-256 of the original, hex; also its ETag' }),
  originalName: Type.String(),
  caption: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  durationSeconds: Nullable(Type.Number()),
  url: Type.String({ description: '原件 / the original bytes' }),
  thumbnailUrl: Nullable(Type.String()),
  variants: Type.Record(Type.String(), VariantSchema, { description: 'thumb, medium, large, crop_16x9, crop_4x3, crop_1x1' }),
  createdBy: Nullable(Uuid),
  createdByName: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
  canEdit: Type.Boolean(),
});

export const AssetDetailSchema = Type.Intersect([
  AssetSchema,
  Type.Object({
    usedBy: Type.Array(Type.Object({ id: Uuid, title: Type.String(), unitId: Uuid }), { description: '引用此媒资、你能看到的稿件 / items using it that you can see' }),
  }),
]);

export const UploadResultSchema = Type.Intersect([
  AssetSchema,
  Type.Object({ duplicate: Type.Boolean({ description: '本单位已有相同文件（按 SHA-256）/ the unit already held these bytes' }) }),
]);

export const UpdateAssetBody = Type.Object(
  { caption: Type.Optional(Nullable(Caption)), tags: Type.Optional(Tags) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAssetInput = Static<typeof UpdateAssetBody>;

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD，北京时间 / China Standard Time' });

export const AssetListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '说明或文件名中的文字 / text in the caption or file name' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: TAG_MAX })),
    unitId: Type.Optional(Uuid),
    kind: Type.Optional(AssetKindSchema),
    from: Type.Optional(Day),
    to: Type.Optional(Type.String({ format: 'date', description: '含当天 / inclusive' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
  },
  { additionalProperties: false },
);
export type AssetListQueryInput = Static<typeof AssetListQuery>;

export const ContentQuery = Type.Object(
  {
    variant: Type.Optional(
      Type.Enum(['original', ...variantNames], { description: '缺省为原件；非图片没有衍生版本时返回原件 / defaults to the original; falls back to it' }),
    ),
  },
  { additionalProperties: false },
);

export type AssetDto = Static<typeof AssetSchema>;
export type AssetDetailDto = Static<typeof AssetDetailSchema>;
