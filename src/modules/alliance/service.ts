import type { AuditMeta, AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { Problem, badRequest, conflict, forbidden, notFound } from '../../platform/http/problem.ts';
import { type Actor, type Rule, type UnitPlace, account, can, grant, invitation, isWithin, requireAccess, requireVisible, staffReadScope, unit as unitRules } from '../../policies/index.ts';
import * as repo from './repo.ts';
import type { Role, UnitKind } from './roles.ts';
import type { UnitRow } from './tables.ts';

const UNIT = { zh: '单位', en: 'Unit' };
const INVITATION = { zh: '邀请', en: 'Invitation' };
/** How long an invitation waits for an answer. */
export const INVITATION_DAYS = 14;

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

  async requireUnitAccess(ctx: ActorContext, rule: Rule<UnitPlace>, unitId: string, db = this.db): Promise<UnitRow> {
    const unit = await repo.findUnit(db, unitId);
    if (!unit) throw notFound(UNIT, unitId);
    requireAccess(ctx.actor, rule, unit);
    return unit;
  }

  async createUnit(ctx: ActorContext, input: { parentId: string; kind: UnitKind; name: string; divisionCode?: string }) {
    return this.db.transaction().execute(async (trx) => {
      const parent = await this.requireUnitAccess(ctx, unitRules.create, input.parentId, trx);
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
      const before = await this.requireUnitAccess(ctx, unitRules.update, id, trx);
      if (change.parentId && change.parentId !== before.parent_id) {
        const newParent = await this.requireUnitAccess(ctx, unitRules.create, change.parentId, trx);
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
      requireAccess(actor, unitRules.readStaff, unit);
    }
    return repo.usersInScope(this.db, staffReadScope(actor), unitId);
  }

  unitIdsInScope = (scope: Parameters<typeof repo.unitIdsInScope>[1]) => repo.unitIdsInScope(this.db, scope);

  /** Grants or changes a role; used inside the caller's transaction when a user is created. */
  async setMembership(ctx: ActorContext, userId: string, unitId: string, role: Role, db = this.db) {
    const unit = await this.requireUnitAccess(ctx, unitRules.manageStaff, unitId, db);
    if (!unit.active) throw conflict('unit_inactive', '该单位已停用', 'The unit is deactivated');
    requireAccess(ctx.actor, grant, role);
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

  /**
   * Adds or changes a role for an account the caller already sees. A role change in a unit the person is
   * in needs that unit alone; adding a new unit needs the right over every unit the account is in
   * (otherwise: invite). Checked again inside the transaction so a concurrent change cannot slip through.
   */
  async attachOrChange(ctx: ActorContext, userId: string, unitId: string, role: Role) {
    await this.db.transaction().execute(async (trx) => {
      const held = await repo.membershipsOf(trx, [userId]);
      if (!held.some((m) => m.unit_id === unitId) && !can(ctx.actor, account.attachDirectly, held.map((m) => ({ id: m.unit_id, path: m.unit_path })))) {
        throw new Problem(
          403,
          'invitation_required',
          '该用户还属于你无权管理的单位，不能直接加入；请改为发出邀请，由本人接受',
          'This person also belongs to units you do not manage; send an invitation for them to accept instead',
        );
      }
      await this.setMembership(ctx, userId, unitId, role, trx);
    });
  }

  /** The units an account belongs to, as places in the tree. */
  async unitsOf(userId: string, db = this.db) {
    return (await repo.membershipsOf(db, [userId])).map((m) => ({ id: m.unit_id, path: m.unit_path }));
  }

  /** Refuses an invitation before the invitee is even looked up, so a refusal says nothing about them. */
  async requireInviteRight(ctx: ActorContext, unitId: string, role: Role, db = this.db) {
    const unit = await repo.findUnit(db, unitId);
    if (!unit) throw notFound(UNIT, unitId);
    requireAccess(ctx.actor, invitation.send, { unit, role });
    if (!unit.active) throw conflict('unit_inactive', '该单位已停用', 'The unit is deactivated');
    return unit;
  }

  /** 邀请加入单位: a pending offer of a role, audited; the person's profile stays closed until they accept. */
  async invite(ctx: ActorContext, userId: string, username: string, unitId: string, role: Role) {
    return this.db.transaction().execute(async (trx) => {
      const unit = await this.requireInviteRight(ctx, unitId, role, trx);
      if (await repo.findMembership(trx, userId, unitId)) {
        throw conflict('already_member', `${username} 已是${unit.name}的成员`, `${username} already belongs to ${unit.name}`);
      }
      await repo.expireStaleInvitations(trx, unitId, userId);
      const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
      const row = await repo.insertInvitation(trx, { unitId, userId, role, invitedBy: ctx.actor.userId, expiresAt });
      if (!row) throw conflict('already_invited', `已邀请 ${username} 加入${unit.name}，等待对方答复`, `${username} has already been invited to ${unit.name}`);
      await this.audit(trx, ctx, { unitId, action: 'invitation.create', targetType: 'user', targetId: userId, after: { invitationId: row.id, unit_id: unitId, role } });
      return (await repo.findInvitation(trx, row.id))!;
    });
  }

  /** Pending invitations into the units the caller manages. */
  sentInvitations(actor: Actor) {
    requireAccess(actor, invitation.listSent);
    return repo.pendingInvitationsIn(this.db, { unit: { id: actor.unitId, path: actor.unitPath }, subtree: true }, 200);
  }

  async cancelInvitation(ctx: ActorContext, id: string) {
    await this.db.transaction().execute(async (trx) => {
      const inv = await repo.findInvitation(trx, id);
      // Another unit's invitation is not there at all, as far as the caller can tell.
      if (!inv) throw notFound(INVITATION, id);
      requireVisible(ctx.actor, invitation.cancel, { id: inv.unit_id, path: inv.unit_path }, INVITATION, id);
      if (!(await repo.closeInvitation(trx, inv.unit_id, id, 'cancelled'))) throw invitationClosed(inv.status);
      await this.audit(trx, ctx, { unitId: inv.unit_id, action: 'invitation.cancel', targetType: 'user', targetId: inv.user_id, before: { invitationId: id, role: inv.role } });
    });
  }

  /** My pending invitations. */
  invitationsOf(userId: string) {
    return repo.pendingInvitationsOf(this.db, userId);
  }

  /** The invited person's answer; accepting creates the membership, both audited under the inviting unit. */
  async answerInvitation(ctx: ActorContext, id: string, accept: boolean) {
    await this.db.transaction().execute(async (trx) => {
      const inv = await repo.findInvitation(trx, id);
      if (!inv) throw notFound(INVITATION, id);
      requireVisible(ctx.actor, invitation.answer, inv, INVITATION, id);
      if (inv.status === 'pending' && new Date(inv.expires_at) <= new Date()) throw invitationClosed('expired');
      if (accept && !inv.unit_active) throw conflict('unit_inactive', '该单位已停用', 'The unit is deactivated');
      const closed = await repo.closeInvitation(trx, inv.unit_id, id, accept ? 'accepted' : 'declined');
      if (!closed) throw invitationClosed(inv.status);
      await this.audit(trx, ctx, {
        unitId: inv.unit_id,
        action: accept ? 'invitation.accept' : 'invitation.decline',
        targetType: 'user',
        targetId: inv.user_id,
        after: { invitationId: id, role: inv.role },
      });
      if (!accept) return;
      const before = await repo.findMembership(trx, inv.user_id, inv.unit_id);
      await repo.upsertMembership(trx, inv.user_id, inv.unit_id, inv.role);
      await this.audit(trx, ctx, {
        unitId: inv.unit_id,
        action: 'membership.set',
        targetType: 'user',
        targetId: inv.user_id,
        before: before ?? null,
        after: { unit_id: inv.unit_id, user_id: inv.user_id, role: inv.role, invitationId: id },
      });
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
      await this.requireUnitAccess(ctx, unitRules.manageStaff, unitId, trx);
      const before = await repo.findMembership(trx, userId, unitId);
      if (!before) throw notFound({ zh: '成员关系', en: 'Membership' });
      if (!can(ctx.actor, grant, before.role)) throw forbidden('无权撤销该角色', 'You may not revoke this role');
      await repo.deleteMembership(trx, userId, unitId);
      await this.audit(trx, ctx, { unitId, action: 'membership.remove', targetType: 'user', targetId: userId, before });
    });
  }
}

const invitationClosed = (status: string) =>
  conflict('invitation_closed', `该邀请已不再有效（${invitationStatusZh[status] ?? status}）`, `The invitation is no longer open (${status})`, { invitationStatus: status });

const invitationStatusZh: Record<string, string> = { accepted: '已接受', declined: '已拒绝', cancelled: '已撤回', expired: '已过期' };
