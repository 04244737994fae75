import type { AuditMeta, AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, forbidden, notFound } from '../../platform/http/problem.ts';
import { type Action, type Actor, can, canGrant, isWithin, staffReadScope } from './policy.ts';
import * as repo from './repo.ts';
import type { Role, UnitKind } from './roles.ts';
import type { UnitRow } from './tables.ts';

const UNIT = { zh: '单位', en: 'Unit' };

export interface ActorContext extends AuditMeta {
  actor: Actor;
}

/** The unit tree and who belongs where. Other modules call these functions, never the tables. */
export class AllianceService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRecorder,
  ) {}

  listUnits(filter: repo.UnitFilter) {
    return repo.listUnits(this.db, filter);
  }

  async getUnit(id: string): Promise<UnitRow> {
    const unit = await repo.findUnit(this.db, id);
    if (!unit) throw notFound(UNIT, id);
    return unit;
  }

  async requireUnitAccess(ctx: ActorContext, action: Action, unitId: string, db = this.db): Promise<UnitRow> {
    const unit = await repo.findUnit(db, unitId);
    if (!unit) throw notFound(UNIT, unitId);
    if (!can(ctx.actor, action, unit)) throw forbidden();
    return unit;
  }

  async createUnit(ctx: ActorContext, input: { parentId: string; kind: UnitKind; name: string; divisionCode?: string }) {
    return this.db.transaction().execute(async (trx) => {
      const parent = await this.requireUnitAccess(ctx, 'unit.create', input.parentId, trx);
      if (!parent.active) throw conflict('unit_inactive', '上级单位已停用', 'The parent unit is deactivated');
      if (input.kind === 'province') throw badRequest('bad_kind', '联合体只能有一个省级根单位', 'There is only one province root');
      await this.assertNameFree(trx, parent.id, input.name);
      if (input.divisionCode && (await repo.findUnitByDivisionCode(trx, input.divisionCode))) {
        throw conflict('division_code_taken', `区划代码 ${input.divisionCode} 已被占用`, `Division code ${input.divisionCode} is already used`);
      }
      const unit = await repo.insertUnit(trx, {
        parentId: parent.id,
        parentPath: parent.path,
        parentDepth: parent.depth,
        kind: input.kind,
        name: input.name.trim(),
        divisionCode: input.divisionCode ?? null,
      });
      await this.audit(trx, ctx, { unitId: unit.id, action: 'unit.create', targetType: 'unit', targetId: unit.id, after: unit });
      return unit;
    });
  }

  async updateUnit(ctx: ActorContext, id: string, change: { name?: string; parentId?: string; active?: boolean }) {
    return this.db.transaction().execute(async (trx) => {
      const before = await this.requireUnitAccess(ctx, 'unit.update', id, trx);
      if (change.parentId && change.parentId !== before.parent_id) {
        const newParent = await this.requireUnitAccess(ctx, 'unit.create', change.parentId, trx);
        if (isWithin(newParent, before)) {
          throw conflict('unit_cycle', '不能把单位移到它自己的下级单位之下', 'A unit cannot move under its own descendant');
        }
        if (!newParent.active) throw conflict('unit_inactive', '目标上级单位已停用', 'The new parent unit is deactivated');
        await repo.moveSubtree(trx, before, newParent);
      }
      const parentId = change.parentId ?? before.parent_id;
      if (parentId && (change.name !== undefined || change.parentId)) await this.assertNameFree(trx, parentId, change.name ?? before.name, id);
      if (change.active === false && before.active && (await repo.countActiveChildren(trx, id)) > 0) {
        throw conflict('unit_has_children', '请先停用或移走其下级单位', 'Deactivate or move its child units first');
      }
      const after = await repo.updateUnitFields(trx, id, { name: change.name?.trim(), active: change.active });
      await this.audit(trx, ctx, { unitId: id, action: 'unit.update', targetType: 'unit', targetId: id, before, after });
      return after;
    });
  }

  private async assertNameFree(db: Db, parentId: string, name: string, exceptId?: string) {
    if (await repo.findSiblingByName(db, parentId, name.trim(), exceptId)) {
      throw conflict('unit_name_taken', `同一上级单位下已有“${name.trim()}”`, `A unit named "${name.trim()}" already exists under this parent`);
    }
  }

  membershipsOf(userIds: string[], db = this.db) {
    return repo.membershipsOf(db, userIds);
  }

  membersWithRoles(unitId: string, roles: readonly Role[], db = this.db) {
    return repo.membersWithRoles(db, unitId, roles);
  }

  /** Usernames resolved among the staff the actor may see: how @mentions become people. */
  async findStaffByUsernames(actor: Actor, usernames: string[]) {
    if (!usernames.length) return [];
    return repo.staffByUsernames(this.db, staffReadScope(actor), usernames);
  }

  displayName(userId: string, db = this.db) {
    return repo.displayName(db, userId);
  }

  findMembership(userId: string, unitId: string) {
    return repo.findMembership(this.db, userId, unitId);
  }

  /** Sub-query of user ids the actor may see as staff, optionally narrowed to one unit. */
  async visibleUserIds(actor: Actor, unitId?: string) {
    if (unitId) {
      const unit = await repo.findUnit(this.db, unitId);
      if (!unit) throw notFound(UNIT, unitId);
      if (!can(actor, 'user.read', unit)) throw forbidden('无权查看该单位的人员', "You may not see this unit's staff");
    }
    return repo.usersInScope(this.db, staffReadScope(actor), unitId);
  }

  unitIdsInScope = (scope: Parameters<typeof repo.unitIdsInScope>[1]) => repo.unitIdsInScope(this.db, scope);

  /** Grants or changes a role; used inside the caller's transaction when a user is created. */
  async setMembership(ctx: ActorContext, userId: string, unitId: string, role: Role, db = this.db) {
    const unit = await this.requireUnitAccess(ctx, 'user.manage', unitId, db);
    if (!unit.active) throw conflict('unit_inactive', '该单位已停用', 'The unit is deactivated');
    if (!canGrant(ctx.actor, role)) throw forbidden('无权授予该角色', 'You may not grant this role');
    const before = await repo.findMembership(db, userId, unitId);
    await repo.upsertMembership(db, userId, unitId, role);
    await this.audit(db, ctx, {
      unitId,
      action: 'membership.set',
      targetType: 'user',
      targetId: userId,
      before: before ?? null,
      after: { unit_id: unitId, user_id: userId, role },
    });
  }

  /** Grants a role without a caller's policy check: only the CLI and first-run bootstrap use it. */
  async grantAsSystem(db: Db, meta: AuditMeta, userId: string, unitId: string, role: Role) {
    await repo.upsertMembership(db, userId, unitId, role);
    await this.audit(db, meta, { unitId, action: 'membership.set', targetType: 'user', targetId: userId, after: { unit_id: unitId, user_id: userId, role } });
  }

  findRoot() {
    return repo.findRoot(this.db);
  }

  findUnitByDivisionCode(code: string) {
    return repo.findUnitByDivisionCode(this.db, code);
  }

  async removeMembership(ctx: ActorContext, userId: string, unitId: string) {
    return this.db.transaction().execute(async (trx) => {
      await this.requireUnitAccess(ctx, 'user.manage', unitId, trx);
      const before = await repo.findMembership(trx, userId, unitId);
      if (!before) throw notFound({ zh: '成员关系', en: 'Membership' });
      if (!canGrant(ctx.actor, before.role)) throw forbidden('无权撤销该角色', 'You may not revoke this role');
      await repo.deleteMembership(trx, userId, unitId);
      await this.audit(trx, ctx, { unitId, action: 'membership.remove', targetType: 'user', targetId: userId, before });
    });
  }
}
