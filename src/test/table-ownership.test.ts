import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A module reads and writes only its own tables; another module's data comes through that module's service or
 * a query fragment it exports (see docs/architecture.md). Ownership is derived, never listed here: the schema
 * (src/platform/db/tables.ts) is assembled from one `XTables` interface per module, so the module whose folder
 * declares a table owns it, and renaming or moving a table needs no edit to this test.
 *
 * Scanned: every .ts file under src/modules. Not scanned, on purpose:
 * - migrations (src/platform/db/migrations): they create and change every table, which is their job;
 * - tests (*.test.ts, src/test): fixtures set up and inspect any table to check a module from outside;
 * - platform plumbing (src/platform): the database, job queue and HTTP layers own no domain table.
 *
 * One stated exception: any module may *read* the directory, alliance's `units` and identity's `users`, in a
 * join. Every tenant query is scoped by the unit tree (a unit's path) and lists show people's and units' names;
 * a service call per row would turn one query into hundreds. Writing to them stays with their owners.
 */
const DIRECTORY = new Set(['units', 'users']);

const SRC = path.resolve(import.meta.dirname, '..');
const MODULES = path.join(SRC, 'modules');

/** Table name → owning module, read from the interfaces src/platform/db/tables.ts assembles. */
function tableOwners(): Map<string, string> {
  const schema = fs.readFileSync(path.join(SRC, 'platform/db/tables.ts'), 'utf8');
  const owners = new Map<string, string>();
  for (const [, names, from] of schema.matchAll(/import type \{([^}]+)\} from '\.\.\/\.\.\/(modules\/[^']+)'/g)) {
    const file = path.join(SRC, from);
    const module = from.split('/')[1];
    const source = fs.readFileSync(file, 'utf8');
    for (const name of names.split(',').map((n) => n.trim())) {
      const start = source.indexOf(`export interface ${name} {`);
      if (start < 0) throw new Error(`${name} not found in ${from}`);
      for (const table of topLevelKeys(source.slice(start))) owners.set(table, module);
    }
  }
  return owners;
}

/** The keys of the interface the text starts with, skipping those of object types nested in it. */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    const key = depth === 1 ? /^\s*([a-z_0-9]+)\s*:/.exec(line)?.[1] : undefined;
    if (key) keys.push(key);
    depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
    if (depth <= 0) return keys;
  }
  return keys;
}

function productionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return productionFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

const BUILDER = /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto|table)\(\s*'([a-z_0-9]+)/g;
const WRITE_VERBS = new Set(['insertInto', 'updateTable', 'deleteFrom', 'mergeInto']);
const SQL_TEXT = /\bsql(?:<[^>`]*>)?`([^`]*)`/g;
const SQL_WRITE = /\b(?:insert\s+into|update|delete\s+from|merge\s+into)\s+([a-z_0-9]+)/gi;

/** Every "file: table (owner)" where a module's SQL names a table another module owns. */
function foreignTables(owners: Map<string, string>): string[] {
  const found: string[] = [];
  for (const file of productionFiles(MODULES)) {
    const module = path.relative(MODULES, file).split(path.sep)[0];
    const source = fs.readFileSync(file, 'utf8');
    const read = new Set<string>();
    const written = new Set<string>();
    for (const [, verb, table] of source.matchAll(BUILDER)) (WRITE_VERBS.has(verb) ? written : read).add(table);
    for (const [, text] of source.matchAll(SQL_TEXT)) {
      for (const word of text.match(/[a-z_0-9]+/g) ?? []) if (owners.has(word)) read.add(word);
      for (const [, table] of text.matchAll(SQL_WRITE)) written.add(table);
    }
    for (const table of new Set([...read, ...written])) {
      const owner = owners.get(table);
      if (!owner || owner === module || (DIRECTORY.has(table) && !written.has(table))) continue;
      found.push(`${path.relative(SRC, file)}: ${table} (owned by ${owner})`);
    }
  }
  return found.sort();
}

describe('table ownership', () => {
  const owners = tableOwners();

  it('finds the owner of every table in the schema', () => {
    expect(owners.size).toBeGreaterThan(50);
    expect(owners.get('content_items')).toBe('content');
    expect(owners.get('units')).toBe('alliance');
    // A table declared after one typed inline ({ … } over several lines) still has its owner.
    expect(owners.get('rec_pins')).toBe('recommend');
  });

  it("no module's SQL names a table another module owns", () => {
    expect(foreignTables(owners)).toEqual([]);
  });
});
