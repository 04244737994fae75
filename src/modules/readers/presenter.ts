import { maskContact } from './contact.ts';
import { findDivision } from './divisions.ts';
import type { ConsentPurpose, ReaderRow } from './tables.ts';
import type { UnitRef } from './units.ts';

const iso = (d: Date | string) => new Date(d).toISOString();
const brief = (u: UnitRef) => ({ id: u.id, slug: u.slug, name: u.name });

/** A reader as the reader (and, for support, the alliance admin) sees it: contacts masked. */
export function presentProfile(p: {
  reader: ReaderRow;
  consents: { purpose: ConsentPurpose; granted: boolean; version: string; at: Date | string }[];
  follows: UnitRef[];
  registered: UnitRef | undefined;
}) {
  const r = p.reader;
  const division = r.home_division_code ? findDivision(r.home_division_code) : undefined;
  return {
    id: r.id,
    displayName: r.display_name,
    phone: maskContact(r.phone),
    email: maskContact(r.email),
    hasPassword: !!r.password_hash,
    homeDivision: division ? { code: division.code, name: division.name, cityCode: division.cityCode, cityName: division.cityName } : null,
    interests: r.interests,
    registeredAt: p.registered ? brief(p.registered) : null,
    follows: p.follows.map(brief),
    consents: p.consents.map((c) => ({ purpose: c.purpose, granted: c.granted, version: c.version, at: iso(c.at) })),
    createdAt: iso(r.created_at),
  };
}
