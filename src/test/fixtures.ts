import type { Role } from '../modules/alliance/roles.ts';
import { AllianceService } from '../modules/alliance/service.ts';
import { recordAudit } from '../modules/identity/audit.service.ts';
import { addUserFromCli } from '../modules/identity/bootstrap.ts';
import type { Db } from '../platform/db/database.ts';

export const FIXTURE_PASSWORD = 'Tianfu-Test-2026';

/** Staff the tests sign in as; the unit is a division code, or 'root' for the propaganda department. */
export const fixtureUsers: Record<string, { memberships: [unit: string, role: Role][] }> = {
  admin: { memberships: [['root', 'alliance_admin']] },
  supervisor: { memberships: [['root', 'supervisor']] },
  chengdu_admin: { memberships: [['510100', 'unit_admin']] },
  mianyang_admin: { memberships: [['510700', 'unit_admin']] },
  jinjiang_reporter: { memberships: [['510104', 'reporter']] },
  jinjiang_admin: { memberships: [['510104', 'unit_admin']] },
  jinjiang_editor: { memberships: [['510104', 'editor']] },
  jinjiang_chief: { memberships: [['510104', 'chief_editor']] },
  qingyang_editor: { memberships: [['510105', 'editor']] },
  // One of each role in 青羊区 (a county beside 锦江区): the isolation probe's callers.
  qingyang_reporter: { memberships: [['510105', 'reporter']] },
  qingyang_chief: { memberships: [['510105', 'chief_editor']] },
  qingyang_admin: { memberships: [['510105', 'unit_admin']] },
  qingyang_supervisor: { memberships: [['510105', 'supervisor']] },
  qingyang_alliance_admin: { memberships: [['510105', 'alliance_admin']] },
  /** An alliance admin below the root (金牛区): its subtree is one county, never the alliance. */
  jinniu_alliance_admin: { memberships: [['510106', 'alliance_admin']] },
  multi: {
    memberships: [
      ['510104', 'reporter'],
      ['510108', 'chief_editor'],
    ],
  },
};

export async function createFixtureUsers(db: Db) {
  const alliance = new AllianceService(db, recordAudit);
  const root = await alliance.findRoot();
  const unitId = async (code: string) => (code === 'root' ? root!.id : (await alliance.findUnitByDivisionCode(code))!.id);
  for (const [username, { memberships }] of Object.entries(fixtureUsers)) {
    const [[firstUnit, firstRole], ...rest] = memberships as [[string, Role], ...[string, Role][]];
    const { user } = await addUserFromCli(db, alliance, {
      username,
      displayName: username,
      password: FIXTURE_PASSWORD,
      unitId: await unitId(firstUnit),
      role: firstRole,
    });
    for (const [unit, role] of rest) {
      await alliance.grantAsSystem(db, { actorUserId: null }, user.id, await unitId(unit), role);
    }
  }
}
