import type { Db } from '../../platform/db/database.ts';
import { conflict, forbidden, notFound } from '../../platform/http/problem.ts';
import { account, can, requireAccess, unit as unitRules } from '../../policies/index.ts';
import type { Role } from '../alliance/roles.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import * as repo from './repo.ts';
import { assertStrongPassword } from './password-policy.ts';
import { hashPassword } from './secrets.ts';
import { SYSTEM_USER_ID } from './system.ts';

const USER = { zh: '用户', en: 'User' };

/** Staff accounts (采编人员): who they are and where they work. */
export class StaffService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly audit: import('../../platform/audit.ts').AuditRecorder,
  ) {}

  async list(ctx: ActorContext, opts: { unitId?: string; q?: string; limit: number; offset: number }) {
    requireAccess(ctx.actor, account.read);
    const ids = await this.alliance.visibleUserIds(ctx.actor, opts.unitId);
    const users = await repo.listUsersIn(this.db, ids, opts);
    return this.withMemberships(users);
  }

  /** A user outside the caller's scope answers 404, so ids of other units' staff reveal nothing. */
  async get(ctx: ActorContext, id: string) {
    requireAccess(ctx.actor, account.read);
    const ids = await this.alliance.visibleUserIds(ctx.actor);
    const [user] = await repo.listUsersIn(this.db, ids.where('m.user_id', '=', id), { limit: 1, offset: 0 });
    if (!user) throw notFound(USER, id);
    return (await this.withMemberships([user]))[0]!;
  }

  private async withMemberships<U extends { id: string }>(users: U[]) {
    const memberships = await this.alliance.membershipsOf(users.map((u) => u.id));
    return users.map((u) => ({ ...u, memberships: memberships.filter((m) => m.user_id === u.id) }));
  }

  /** Creates the account and its first membership in one transaction: no account without a unit. */
  async create(ctx: ActorContext, input: { username: string; displayName: string; password: string; unitId: string; role: Role }) {
    assertStrongPassword(input.password, input.username);
    const passwordHash = await hashPassword(input.password);
    const id = await this.db.transaction().execute(async (trx) => {
      if (await repo.findUserByUsername(trx, input.username)) {
        throw conflict('username_taken', `用户名 ${input.username} 已被使用`, `Username ${input.username} is taken`);
      }
      const user = await repo.insertUser(trx, { username: input.username, displayName: input.displayName.trim(), passwordHash });
      await this.audit(trx, ctx, { unitId: input.unitId, action: 'user.create', targetType: 'user', targetId: user.id, after: user });
      await this.alliance.setMembership(ctx, user.id, input.unitId, input.role, trx);
      return user.id;
    });
    return this.get(ctx, id);
  }

  /** Account-wide changes need the right to manage staff in every unit the person belongs to. */
  async manageable(ctx: ActorContext, id: string) {
    const target = await this.get(ctx, id);
    return { target, allowed: can(ctx.actor, account.manage, target.memberships.map((m) => ({ id: m.unit_id, path: m.unit_path }))) };
  }

  /**
   * An admin's reset of someone else's password is a one-time password: the person must choose their
   * own at the next sign-in.
   */
  async update(ctx: ActorContext, id: string, change: { displayName?: string; active?: boolean; password?: string }) {
    const { target, allowed } = await this.manageable(ctx, id);
    if (!allowed) throw forbidden('该用户还属于你无权管理的单位', 'This person also belongs to units you do not manage');
    if (change.active === false && id === ctx.actor.userId) {
      throw conflict('self_deactivate', '不能停用自己的账号', 'You cannot deactivate your own account');
    }
    if (change.password !== undefined) assertStrongPassword(change.password, target.username);
    const passwordHash = change.password ? await hashPassword(change.password) : undefined;
    await this.db.transaction().execute(async (trx) => {
      const after = await repo.updateUser(trx, id, {
        display_name: change.displayName?.trim(),
        active: change.active,
      });
      if (passwordHash) await repo.setPassword(trx, id, passwordHash, id !== ctx.actor.userId);
      if (change.active === false || passwordHash) await repo.deleteSessionsOf(trx, id);
      const { memberships: _m, ...before } = target;
      await this.audit(trx, ctx, {
        unitId: ctx.actor.unitId,
        action: passwordHash ? 'user.update+password' : 'user.update',
        targetType: 'user',
        targetId: id,
        before,
        after,
      });
    });
    return this.get(ctx, id);
  }

  /**
   * Grants or changes a role. The target unit is checked first, so a refusal there says nothing about
   * the person; then a person outside the caller's sight answers 404 exactly like `get`; adding a unit
   * the person is not yet in needs the right over all their units (else an invitation, below).
   */
  async setMembership(ctx: ActorContext, userId: string, unitId: string, role: Role) {
    await this.alliance.requireUnitAccess(ctx, unitRules.manageStaff, unitId);
    const units = await this.alliance.unitsOf(userId);
    const seen = units.length
      ? await this.isVisible(ctx, userId)
      : can(ctx.actor, account.attachDirectly, []) && !!(await repo.findUser(this.db, userId));
    if (!seen) throw notFound(USER, userId);
    await this.alliance.attachOrChange(ctx, userId, unitId, role);
    return this.get(ctx, userId);
  }

  private async isVisible(ctx: ActorContext, userId: string) {
    const ids = await this.alliance.visibleUserIds(ctx.actor);
    return !!(await ids.where('m.user_id', '=', userId).executeTakeFirst());
  }

  /** 邀请: offers a role in a unit (the caller's active unit by default) to an existing account, by username. */
  async invite(ctx: ActorContext, input: { username: string; role: Role; unitId?: string }) {
    const unitId = input.unitId ?? ctx.actor.unitId;
    await this.alliance.requireInviteRight(ctx, unitId, input.role);
    const user = await repo.findUserByUsername(this.db, input.username.trim());
    if (!user || !user.active || user.id === SYSTEM_USER_ID) {
      throw notFound({ zh: '用户名', en: 'Username' }, input.username.trim());
    }
    return this.alliance.invite(ctx, user.id, user.username, unitId, input.role);
  }

  sentInvitations(ctx: ActorContext) {
    return this.alliance.sentInvitations(ctx.actor);
  }

  cancelInvitation(ctx: ActorContext, id: string) {
    return this.alliance.cancelInvitation(ctx, id);
  }

  myInvitations(ctx: ActorContext) {
    requireAccess(ctx.actor, account.self);
    return this.alliance.invitationsOf(ctx.actor.userId);
  }

  /** The invited person answers; on acceptance their own profile (with the new unit) comes back. */
  async answerInvitation(ctx: ActorContext, id: string, accept: boolean) {
    await this.alliance.answerInvitation(ctx, id, accept);
    const user = (await repo.findUser(this.db, ctx.actor.userId))!;
    return (await this.withMemberships([user]))[0]!;
  }

  async removeMembership(ctx: ActorContext, userId: string, unitId: string) {
    await this.alliance.removeMembership(ctx, userId, unitId);
  }
}
