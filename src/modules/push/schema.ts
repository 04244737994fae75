import { Type } from 'typebox';
import { DateTime, Uuid } from '../../platform/http/schemas.ts';
import { pushKinds } from './tables.ts';

const Kind = Type.Enum(pushKinds);
// Checked against the divisions data by the service (a Chinese 400 naming the entry, with the code when a
// division's name was given), not by a pattern here; long enough for any Sichuan division name to get there.
const DivisionCode = Type.String({ minLength: 1, maxLength: 30 });

export const SegmentDefinitionSchema = Type.Object(
  {
    regions: Type.Optional(Type.Array(DivisionCode, { maxItems: 200, uniqueItems: true })),
    interests: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 50, uniqueItems: true })),
    activeWithinDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    minReads: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    channels: Type.Optional(Type.Array(Kind, { maxItems: 3, uniqueItems: true })),
    apps: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const CountBody = Type.Object({ definition: SegmentDefinitionSchema, unitId: Type.Optional(Uuid) }, { additionalProperties: false });
export const CountReply = Type.Object({ unitId: Uuid, count: Type.Integer() });

export const SegmentBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), definition: SegmentDefinitionSchema }, { additionalProperties: false });
export const SegmentSchema = Type.Object({ id: Uuid, unitId: Uuid, name: Type.String(), definition: SegmentDefinitionSchema, createdAt: DateTime, updatedAt: DateTime });

export const CampaignBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 40 }),
    body: Type.String({ minLength: 1, maxLength: 200 }),
    itemId: Uuid,
    segmentId: Type.Optional(Uuid),
    definition: Type.Optional(SegmentDefinitionSchema),
    scheduledAt: Type.Optional(DateTime),
    urgent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ResultsSchema = Type.Object({
  sent: Type.Integer(),
  delivered: Type.Integer(),
  failed: Type.Integer(),
  opened: Type.Integer(),
  openRate: Type.Number(),
  capped: Type.Integer(),
  audience: Type.Union([Type.Integer(), Type.Null()]),
  deliveries: Type.Array(Type.Object({ channel: Type.String(), status: Type.String(), count: Type.Integer() })),
});

export const CampaignSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  segmentId: Type.Union([Uuid, Type.Null()]),
  definition: SegmentDefinitionSchema,
  title: Type.String(),
  body: Type.String(),
  itemId: Uuid,
  link: Type.String(),
  urgent: Type.Boolean(),
  state: Type.String(),
  scheduledAt: DateTime,
  sentAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
  results: Type.Optional(ResultsSchema),
});

export const RegistrationBody = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('webpush'),
      endpoint: Type.String({ format: 'uri', maxLength: 1000 }),
      keys: Type.Object({ p256dh: Type.String({ pattern: '^[A-Za-z0-9_-]{80,100}$' }), auth: Type.String({ pattern: '^[A-Za-z0-9_-]{16,32}$' }) }, { additionalProperties: false }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Union([Type.Literal('jpush'), Type.Literal('getui')]), app: Uuid, registrationId: Type.String({ pattern: '^[A-Za-z0-9_-]{6,128}$' }) },
    { additionalProperties: false },
  ),
]);
export const UnregisterBody = Type.Object({ kind: Kind, address: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export const RegistrationReply = Type.Object({ id: Uuid, kind: Type.String(), app: Type.Union([Uuid, Type.Null()]) });

export const AppBody = Type.Object(
  {
    kind: Type.Enum(['jpush', 'getui'] as const),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    config: Type.Optional(
      Type.Object(
        {
          /** Another API host (a private deployment or a test fake). */
          apiBase: Type.Optional(Type.String({ format: 'uri', maxLength: 300 })),
          /** JPush options.apns_production: "false" while the iOS app is on the APNs sandbox. */
          apnsProduction: Type.Optional(Type.Enum(['true', 'false'] as const)),
        },
        { additionalProperties: false },
      ),
    ),
    secrets: Type.Object(
      {
        appId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        appKey: Type.String({ minLength: 1, maxLength: 200 }),
        masterSecret: Type.String({ minLength: 1, maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export const AppSchema = Type.Object({ id: Uuid, unitId: Uuid, kind: Type.String(), name: Type.String(), config: Type.Record(Type.String(), Type.String()), createdAt: DateTime });

export const OpenParams = Type.Object({ id: Uuid });
export const OpenQuery = Type.Object({ r: Type.Optional(Type.String({ pattern: '^[0-9a-f-]{36}\\.[A-Za-z0-9_-]{22}$' })) }, { additionalProperties: false });
