import { Type, type TSchema } from 'typebox';
import { DateTime, Uuid } from '../../platform/http/schemas.ts';
import { channelKinds } from './contract.ts';
import { deliveryStatuses } from './tables.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ChannelKindSchema = Type.Enum(channelKinds);
const Settings = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 });
const Secrets = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 4000 }), {
  maxProperties: 20,
  description: '凭据，只写不读；更新时空字符串表示清除该项 / credentials, write-only; on update an empty string clears one',
});
const RateLimit = Type.Integer({ minimum: 1, maximum: 100_000, description: '每分钟最多投递次数 / deliveries per minute at most' });

export const ChannelSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  kind: ChannelKindSchema,
  name: Type.String(),
  config: Type.Record(Type.String(), Type.Unknown()),
  /** Which credentials are set; their values never leave the server. */
  secretFields: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  autoSelect: Type.Boolean({ description: '发布时默认选中 / chosen by default when publishing' }),
  rateLimitPerMinute: Nullable(Type.Integer()),
  supports: Type.Object({ update: Type.Boolean(), retract: Type.Boolean() }),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const ChannelListQuery = Type.Object(
  { unitId: Type.Optional(Uuid), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const CreateChannelBody = Type.Object(
  {
    unitId: Type.Optional(Uuid),
    kind: ChannelKindSchema,
    name: Type.String({ minLength: 1, maxLength: 60 }),
    config: Type.Optional(Settings),
    secrets: Type.Optional(Secrets),
    enabled: Type.Optional(Type.Boolean()),
    autoSelect: Type.Optional(Type.Boolean()),
    rateLimitPerMinute: Type.Optional(Nullable(RateLimit)),
  },
  { additionalProperties: false },
);

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    config: Type.Optional(Settings),
    secrets: Type.Optional(Secrets),
    enabled: Type.Optional(Type.Boolean()),
    autoSelect: Type.Optional(Type.Boolean()),
    rateLimitPerMinute: Type.Optional(Nullable(RateLimit)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ChannelKindInfoSchema = Type.Object({
  kind: ChannelKindSchema,
  supports: Type.Object({ update: Type.Boolean(), retract: Type.Boolean() }),
  /** The adapter's TypeBox (JSON Schema) settings, from which the console draws its form. */
  config: Type.Unknown(),
  secrets: Type.Unknown(),
});

export const DeliverySchema = Type.Object({
  id: Uuid,
  channelId: Uuid,
  channelName: Type.String(),
  channelKind: ChannelKindSchema,
  action: Type.Enum(['publish', 'update', 'retract']),
  revision: Type.Integer(),
  status: Type.Enum(deliveryStatuses),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(DateTime),
  remoteId: Nullable(Type.String()),
  remoteUrl: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  failure: Nullable(Type.String()),
  note: Nullable(Type.String()),
  createdAt: DateTime,
  deliveredAt: Nullable(DateTime),
});

export const ItemDistributionSchema = Type.Object({
  itemId: Uuid,
  /** The channels chosen for this item (empty until it is scheduled or published). */
  channelIds: Type.Array(Uuid),
  /** Per channel, its latest delivery first, then its history. */
  channels: Type.Array(
    Type.Object({
      channelId: Uuid,
      channelName: Type.String(),
      channelKind: ChannelKindSchema,
      latest: DeliverySchema,
      history: Type.Array(DeliverySchema),
    }),
  ),
});
