export const unitKinds = ['province', 'founder', 'city', 'county', 'zone', 'department'] as const;
export type UnitKind = (typeof unitKinds)[number];

/** Staff roles from least to most authority; supervisors read widely but never write. */
export const roles = ['reporter', 'editor', 'chief_editor', 'unit_admin', 'supervisor', 'alliance_admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, { zh: string; en: string }> = {
  reporter: { zh: '记者', en: 'Reporter' },
  editor: { zh: '编辑', en: 'Editor' },
  chief_editor: { zh: '主编', en: 'Chief editor' },
  unit_admin: { zh: '单位管理员', en: 'Unit admin' },
  supervisor: { zh: '监管', en: 'Supervisor' },
  alliance_admin: { zh: '联合体管理员', en: 'Alliance admin' },
};
