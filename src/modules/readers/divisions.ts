import { readSichuanDivisions } from '../alliance/seed.ts';

export interface Division {
  code: string;
  name: string;
  /** The prefecture (city) it belongs to; a prefecture is its own city. */
  cityCode: string;
  cityName: string;
}

let cache: Map<string, Division> | undefined;

/** Sichuan's prefectures and counties from the divisions data the alliance module ships. */
export function divisions(): Map<string, Division> {
  if (cache) return cache;
  const data = readSichuanDivisions();
  cache = new Map();
  for (const p of data.prefectures) {
    cache.set(p.code, { code: p.code, name: p.name, cityCode: p.code, cityName: p.name });
    for (const c of p.counties) cache.set(c.code, { code: c.code, name: c.name, cityCode: p.code, cityName: p.name });
  }
  return cache;
}

export const findDivision = (code: string) => divisions().get(code);
