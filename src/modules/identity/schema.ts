import { type Static, type TArray, type TBoolean, type TSchema, Type } from 'typebox';
import { DateTime, INT8_MAX, Uuid } from '../../platform/http/schemas.ts';
import { RoleSchema, UnitKindSchema } from '../alliance/schema.ts';
import type { ConsoleAbilities } from '../../policies/index.ts';

const Username = Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z0-9_.@-]+$', description: '字母、数字、_ . @ -' });
const DisplayName = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' });
// Length and strength are checked by password-policy.ts, which says in Chinese which rule failed.
const Password = Type.String({
  minLength: 1,
  maxLength: 200,
  description: '至少 10 个字符，含大写字母、小写字母、数字、符号中的至少三类，不含用户名，不是常见密码 / at least 10 characters, 3 of 4 character classes, not containing the username, not a common password',
});

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const MembershipSchema = Type.Object({
  unitId: Uuid,
  unitName: Type.String(),
  unitKind: UnitKindSchema,
  role: RoleSchema,
});

export const UserSchema = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  active: Type.Boolean(),
  lastLoginAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
  memberships: Type.Array(MembershipSchema),
});

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const SecurityStateSchema = Type.Object({
  restriction: Nullable(Type.Union([Type.Literal('password_change'), Type.Literal('mfa_enrolment')], {
    description: '非空时本会话只能修改密码或绑定两步验证 / when set, this session may only change the password or enrol',
  })),
  passwordChangeReason: Nullable(Type.Union([Type.Literal('reset'), Type.Literal('expired')])),
  passwordExpiresAt: Nullable(DateTime),
  mfa: Type.Object({
    enrolled: Type.Boolean(),
    required: Type.Boolean(),
    graceEndsAt: Nullable(DateTime),
    recoveryCodesLeft: Type.Integer(),
  }),
});

const abilityNames = [
  'createItems',
  'comment',
  'pickUp',
  'acceptIncoming',
  'previewRenditions',
  'proposeTopics',
  'decideTopics',
  'assignTasks',
  'seeSubtreeTasks',
  'reviewItems',
  'overrideFindings',
  'setReviewChain',
  'openScreening',
  'manageUnitScreening',
  'manageAllianceScreening',
  'proposeNotProblem',
  'decideNotProblem',
  'seeStaff',
  'manageStaff',
  'readAudit',
  'verifyAuditChain',
  'seeChannels',
  'configureChannels',
  'retryDeliveries',
  'seePrint',
  'layoutPrint',
  'seePush',
  'sendPush',
  'previewFeed',
  'curatePortal',
] as const satisfies readonly Exclude<keyof ConsoleAbilities, 'grantableRoles'>[];

/** What the console offers in the active unit, decided by the rulebook (src/policies/abilities.ts). */
export const AbilitiesSchema = Type.Object({
  ...Object.fromEntries(abilityNames.map((n) => [n, Type.Boolean()])),
  grantableRoles: Type.Array(RoleSchema),
} as Record<(typeof abilityNames)[number], TBoolean> & { grantableRoles: TArray<typeof RoleSchema> });

export const SessionSchema = Type.Object({
  user: UserSchema,
  activeUnitId: Uuid,
  role: RoleSchema,
  can: AbilitiesSchema,
  csrfToken: Type.String({ description: '在写请求的 x-csrf-token 头中回传 / echo in x-csrf-token on writes' }),
  security: SecurityStateSchema,
});

export const MfaRequiredSchema = Type.Object({
  status: Type.Literal('mfa_required'),
  challenge: Type.String({ description: '第二步凭据，5 分钟内有效 / the second step\'s token, valid 5 minutes' }),
  expiresInSeconds: Type.Integer(),
});

export const MfaVerifyBody = Type.Object(
  {
    challenge: Type.String({ minLength: 1, maxLength: 100 }),
    code: Type.String({ minLength: 1, maxLength: 40, description: '6 位动态验证码或恢复码 / a 6-digit code or a recovery code' }),
  },
  { additionalProperties: false },
);

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password },
  { additionalProperties: false },
);

export const MfaEnrolmentSchema = Type.Object({
  secret: Type.String({ description: 'Base32 密钥，可手动输入验证器 / base32 secret to type into an authenticator' }),
  uri: Type.String({ description: 'otpauth:// 地址，供二维码使用 / otpauth:// URI for the QR code' }),
});

export const MfaConfirmBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });

export const RecoveryCodesSchema = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { description: '只显示这一次 / shown this once' }),
});

export const SecurityPolicyBody = Type.Object(
  {
    passwordMaxAgeDays: Type.Integer({ minimum: 0, maximum: 3650, description: '0 表示不过期 / 0: never expires' }),
    mfaRoles: Type.Array(RoleSchema, { maxItems: 6, uniqueItems: true }),
    mfaGraceDays: Type.Integer({ minimum: 0, maximum: 365 }),
  },
  { additionalProperties: false },
);

export const SecurityPolicySchema = Type.Intersect([
  SecurityPolicyBody,
  Type.Object({ updatedAt: Nullable(DateTime), canEdit: Type.Boolean() }),
]);

export const SwitchUnitBody = Type.Object({ unitId: Uuid }, { additionalProperties: false });

export const UserListQuery = Type.Object(
  {
    unitId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 60 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
  },
  { additionalProperties: false },
);

export const CreateUserBody = Type.Object(
  { username: Username, displayName: DisplayName, password: Password, unitId: Uuid, role: RoleSchema },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  { displayName: Type.Optional(DisplayName), active: Type.Optional(Type.Boolean()), password: Type.Optional(Password) },
  { additionalProperties: false, minProperties: 1 },
);

export const MembershipParams = Type.Object({ id: Uuid, unitId: Uuid });

export const InviteBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 40, pattern: '\\S', description: '被邀请人的用户名 / the invitee\'s username' }),
    role: RoleSchema,
    unitId: Type.Optional({ ...Uuid, description: '默认为当前单位 / defaults to the active unit' }),
  },
  { additionalProperties: false },
);

export const InvitationSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  unitName: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  status: Type.Enum(['pending', 'accepted', 'declined', 'cancelled', 'expired']),
  invitedByName: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  expiresAt: DateTime,
});
export type InvitationDto = Static<typeof InvitationSchema>;
export const MembershipBody = Type.Object({ role: RoleSchema }, { additionalProperties: false });

export const TokenSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  createdAt: DateTime,
  expiresAt: Type.Union([DateTime, Type.Null()]),
  lastUsedAt: Type.Union([DateTime, Type.Null()]),
});

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export const AuditQuery = Type.Object(
  {
    unitId: Type.Optional(Uuid),
    action: Type.Optional(Type.String({ maxLength: 60 })),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: INT8_MAX, description: '翻页：只看 id 小于此值的记录 / page: rows with id below this' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  unitId: Uuid,
  unitName: Type.String(),
  actorUserId: Type.Union([Uuid, Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
});

export type UserDto = Static<typeof UserSchema>;
export type TokenDto = Static<typeof TokenSchema>;
export type AuditEntryDto = Static<typeof AuditEntrySchema>;
