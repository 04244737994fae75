import type { UnitDto } from './schema.ts';
import type { UnitRow } from './tables.ts';

export function presentUnit(u: UnitRow & { member_count?: number }): UnitDto {
  return {
    id: u.id,
    parentId: u.parent_id,
    kind: u.kind,
    name: u.name,
    divisionCode: u.division_code,
    divisionName: u.division_name,
    depth: u.depth,
    active: u.active,
    ...(u.member_count === undefined ? {} : { memberCount: u.member_count }),
    createdAt: new Date(u.created_at).toISOString(),
    updatedAt: new Date(u.updated_at).toISOString(),
  };
}
