import { type Static, Type } from 'typebox';
import { DateTime, Uuid } from '../../platform/http/schemas.ts';
import { roles, unitKinds } from './roles.ts';

export const UnitKindSchema = Type.Enum(unitKinds);
export const RoleSchema = Type.Enum(roles);

const UnitName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });

export const UnitSchema = Type.Object({
  id: Uuid,
  parentId: Type.Union([Uuid, Type.Null()]),
  kind: UnitKindSchema,
  name: Type.String(),
  divisionCode: Type.Union([Type.String(), Type.Null()]),
  divisionName: Type.Union([Type.String(), Type.Null()]),
  depth: Type.Integer(),
  active: Type.Boolean(),
  memberCount: Type.Optional(Type.Integer()),
  can: Type.Optional(
    Type.Object({ addChild: Type.Boolean(), update: Type.Boolean() }, { description: '当前用户对该单位可做的事 / what the caller may do with this unit (the list only)' }),
  ),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const UnitListQuery = Type.Object(
  {
    kind: Type.Optional(UnitKindSchema),
    parentId: Type.Optional(Uuid),
    includeInactive: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const CreateUnitBody = Type.Object(
  {
    parentId: Uuid,
    kind: UnitKindSchema,
    name: UnitName,
    divisionCode: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'NBS 6-digit division code' })),
  },
  { additionalProperties: false },
);

export const UpdateUnitBody = Type.Object(
  {
    name: Type.Optional(UnitName),
    parentId: Type.Optional(Uuid),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export type UnitDto = Static<typeof UnitSchema>;
