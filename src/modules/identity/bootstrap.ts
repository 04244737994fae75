import type { Db } from '../../platform/db/database.ts';
import { conflict } from '../../platform/http/problem.ts';
import type { Role } from '../alliance/roles.ts';
import type { AllianceService } from '../alliance/service.ts';
import { recordAudit } from './audit.service.ts';
import * as repo from './repo.ts';
import { assertStrongPassword, passwordIssue } from './password-policy.ts';
import { generatePassword, hashPassword } from './secrets.ts';

const SYSTEM = { actorUserId: null, requestId: 'cli' };

/** Accounts made from the command line (operators with shell access) rather than through the API. */
export async function addUserFromCli(
  db: Db,
  alliance: AllianceService,
  input: { username: string; displayName: string; password?: string; unitId: string; role: Role },
) {
  const password = input.password ?? strongGeneratedPassword(input.username);
  assertStrongPassword(password, input.username);
  const passwordHash = await hashPassword(password);
  const user = await db.transaction().execute(async (trx) => {
    if (await repo.findUserByUsername(trx, input.username)) {
      throw conflict('username_taken', `用户名 ${input.username} 已被使用`, `Username ${input.username} is taken`);
    }
    const user = await repo.insertUser(trx, { username: input.username, displayName: input.displayName, passwordHash });
    await recordAudit(trx, SYSTEM, { unitId: input.unitId, action: 'user.create', targetType: 'user', targetId: user.id, after: user });
    await alliance.grantAsSystem(trx, SYSTEM, user.id, input.unitId, input.role);
    return user;
  });
  return { user, password, generated: !input.password };
}

/** A generated password that meets the rules (one in a few hundred draws lacks a character class). */
function strongGeneratedPassword(username: string): string {
  for (;;) {
    const candidate = generatePassword();
    if (!passwordIssue(candidate, username)) return candidate;
  }
}

/**
 * On a platform with no accounts yet, makes the demo admin: alliance admin at the root, and unit
 * admin of 成都市 so the unit switcher has something to switch. The password is returned once.
 */
export async function ensureDemoAdmin(db: Db, alliance: AllianceService): Promise<{ username: string; password: string } | null> {
  if ((await repo.countUsers(db)) > 0) return null;
  const root = await alliance.findRoot();
  if (!root) return null;
  const { user, password } = await addUserFromCli(db, alliance, {
    username: 'admin',
    displayName: '联合体管理员',
    unitId: root.id,
    role: 'alliance_admin',
  });
  const chengdu = await alliance.findUnitByDivisionCode('510100');
  if (chengdu) await alliance.grantAsSystem(db, SYSTEM, user.id, chengdu.id, 'unit_admin');
  return { username: user.username, password };
}
