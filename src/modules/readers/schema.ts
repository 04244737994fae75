import { Type } from 'typebox';
import { DateTime, Uuid } from '../../platform/http/schemas.ts';
import { eventTypes } from './tables.ts';
import { MAX_EVENTS_PER_BATCH } from './events.service.ts';

const Channel = Type.Union([Type.Literal('phone'), Type.Literal('email')], { description: 'phone 手机 | email 邮箱' });
const Destination = Type.String({ minLength: 3, maxLength: 254, description: '手机号（中国大陆，可带 +86）或邮箱' });
const Code = Type.String({ pattern: '^[0-9]{6}$', description: '6 位验证码' });
const Password = Type.String({ minLength: 8, maxLength: 200 });
const DeviceId = Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$', description: '匿名设备 id（tracker 存在 localStorage）' });
const UnitSlugSchema = Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: '单位标识（行政区划代码或 id），同门户 /portal/<slug>' });
const DivisionCode = Type.String({ pattern: '^51[0-9]{4}$', description: '四川市/县区行政区划代码' });
const Purpose = Type.Union([Type.Literal('personalisation'), Type.Literal('push'), Type.Literal('analytics')], { description: 'personalisation 个性化 | push 推送 | analytics 统计' });
const ConsentChoice = Type.Object({ purpose: Purpose, granted: Type.Boolean() }, { additionalProperties: false });
const ConsentVersion = Type.String({ minLength: 1, maxLength: 40, description: '隐私政策版本' });
const Interests = Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 50 });

export const AccountParams = Type.Object({ unitSlug: UnitSlugSchema }, { additionalProperties: false });

const Proof = Type.Object(
  {
    challenge: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '428 答复中 challenge.id' }),
    nonce: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '使 SHA-256("<challenge>:<nonce>") 前 difficulty 位为 0 的任意串（如十进制计数）' }),
  },
  { additionalProperties: false, description: '工作量证明（安全验证）：仅在收到 428 后附上' },
);

export const CodeRequestBody = Type.Object(
  { channel: Channel, destination: Destination, deviceId: Type.Optional(DeviceId), pow: Type.Optional(Proof) },
  { additionalProperties: false },
);
export const CodeRequestReply = Type.Object({ expiresInSeconds: Type.Integer(), resendAfterSeconds: Type.Integer() });

const problemFields = {
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.String({ description: '中文说明，可直接展示给读者' }),
  detailEn: Type.String(),
  requestId: Type.String(),
};

/** 429 from the code route: which limit, and when to try again (also the Retry-After header). */
export const CodeThrottledProblem = Type.Object(
  { ...problemFields, retryAfter: Type.Integer({ minimum: 1, description: '秒；同 Retry-After 头' }) },
  { additionalProperties: true, description: 'application/problem+json — code: code_throttled（按号码、设备或 IP 限流）| code_budget_exhausted（平台本小时额度已用完）' },
);

/** 428 from the code route: the proof of work to solve before asking again. */
export const CodeChallengeProblem = Type.Object(
  {
    ...problemFields,
    challenge: Type.Object({
      id: Type.String({ description: '挑战串，单次有效' }),
      algorithm: Type.Literal('SHA-256'),
      difficulty: Type.Integer({ description: 'SHA-256("<id>:<nonce>") 须以这么多个 0 比特开头' }),
      expiresAt: Type.String({ format: 'date-time' }),
      expiresInSeconds: Type.Integer(),
    }),
  },
  { additionalProperties: true, description: 'application/problem+json — code: challenge_required（需安全验证）| challenge_failed（证明错误、已用过或已过期；附新的挑战）' },
);

export const SignUpBody = Type.Object(
  {
    channel: Channel,
    destination: Destination,
    code: Code,
    unit: UnitSlugSchema,
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    password: Type.Optional(Password),
    homeDivision: Type.Optional(DivisionCode),
    interests: Type.Optional(Interests),
    consents: Type.Array(ConsentChoice, { maxItems: 3, description: '各用途的同意与否；未列出的用途视为不同意' }),
    consentVersion: ConsentVersion,
    deviceId: Type.Optional(DeviceId),
  },
  { additionalProperties: false },
);

export const CodeLoginBody = Type.Object(
  { channel: Channel, destination: Destination, code: Code, deviceId: Type.Optional(DeviceId) },
  { additionalProperties: false },
);

export const PasswordLoginBody = Type.Object(
  { login: Type.String({ minLength: 3, maxLength: 254, description: '手机号或邮箱' }), password: Type.String({ minLength: 1, maxLength: 200 }), deviceId: Type.Optional(DeviceId) },
  { additionalProperties: false },
);

export const LoginReply = Type.Object({ readerId: Uuid, csrfToken: Type.String(), mergedEvents: Type.Integer() });

export const ProfileChangeBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    homeDivision: Type.Optional(Type.Union([DivisionCode, Type.Null()])),
    interests: Type.Optional(Interests),
    follows: Type.Optional(Type.Array(UnitSlugSchema, { maxItems: 300, description: '关注的单位（整体替换）' })),
    password: Type.Optional(Password),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ConsentsBody = Type.Object(
  { consents: Type.Array(ConsentChoice, { minItems: 1, maxItems: 3 }), version: ConsentVersion },
  { additionalProperties: false },
);

export const ConsentSchema = Type.Object({ purpose: Purpose, granted: Type.Boolean(), version: Type.String(), at: DateTime });

const UnitBrief = Type.Object({ id: Uuid, slug: Type.String(), name: Type.String() });

export const ProfileSchema = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()], { description: '打码显示' }),
  email: Type.Union([Type.String(), Type.Null()], { description: '打码显示' }),
  hasPassword: Type.Boolean(),
  homeDivision: Type.Union([Type.Object({ code: Type.String(), name: Type.String(), cityCode: Type.String(), cityName: Type.String() }), Type.Null()]),
  interests: Type.Array(Type.String()),
  registeredAt: Type.Union([UnitBrief, Type.Null()]),
  follows: Type.Array(UnitBrief),
  consents: Type.Array(ConsentSchema),
  createdAt: DateTime,
});

export const MeSchema = Type.Intersect([ProfileSchema, Type.Object({ csrfToken: Type.String() })]);

export const DeleteAccountBody = Type.Object(
  { confirm: Type.Literal('注销', { description: '填写「注销」以确认' }) },
  { additionalProperties: false },
);

export const EventSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$', description: '客户端事件 id（去重用）' }),
    type: Type.Union(
      [Type.Literal('view'), Type.Literal('read'), Type.Literal('click'), Type.Literal('share'), Type.Literal('like'), Type.Literal('follow'), Type.Literal('push_open')],
      { description: eventTypes.join(' | ') },
    ),
    at: Type.String({ format: 'date-time' }),
    item: Type.Optional(Uuid),
    unit: Type.Optional(UnitSlugSchema),
    depth: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: '阅读深度 0–1' })),
    dwellMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000, description: '停留毫秒' })),
    target: Type.Optional(Type.String({ maxLength: 300, description: '点击目标、分享渠道或推送活动 id' })),
  },
  { additionalProperties: false },
);

export const EventBatchBody = Type.Object(
  { device: Type.Optional(DeviceId), sentAt: Type.Optional(Type.String({ format: 'date-time', description: '客户端发送时刻（校正时钟偏差）' })), events: Type.Array(EventSchema, { minItems: 1, maxItems: MAX_EVENTS_PER_BATCH }) },
  { additionalProperties: false },
);

export const IngestReply = Type.Object({ accepted: Type.Integer(), duplicates: Type.Integer(), filtered: Type.Integer() });

export const StatsQuery = Type.Object({ unitId: Type.Optional(Uuid) }, { additionalProperties: false });

const Count = Type.Integer();
export const StatsSchema = Type.Object({
  unitId: Uuid,
  total: Count,
  byRegion: Type.Array(Type.Object({ code: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]), count: Count })),
  byCity: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), count: Count })),
  byRegisteredUnit: Type.Array(Type.Object({ unitId: Uuid, name: Type.String(), count: Count })),
  followersByUnit: Type.Array(Type.Object({ unitId: Uuid, name: Type.String(), count: Count })),
  consents: Type.Array(Type.Object({ purpose: Type.String(), granted: Count, withdrawn: Count })),
});
