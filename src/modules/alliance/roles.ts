import { byLanguage, roleLabels as sharedRoleLabels } from '../../shared/labels.ts';

export const unitKinds = ['province', 'founder', 'city', 'county', 'zone', 'department'] as const;
export type UnitKind = (typeof unitKinds)[number];

/** Staff roles from least to most authority; supervisors read widely but never write. */
export const roles = ['reporter', 'editor', 'chief_editor', 'unit_admin', 'supervisor', 'alliance_admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels = byLanguage(sharedRoleLabels);
