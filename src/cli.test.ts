import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './platform/db/database.ts';
import { withDatabase } from './test/global-setup.ts';
import { runCli } from './test/process.ts';

/** The CLI on a fresh database: the embedded folder, or a new database on the PostgreSQL server in CI. */
let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `tianfu_cli_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    env = { DATABASE_URL: withDatabase(url, name) };
    cleanup = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-cli-'));
    env = { TIANFU_DATA_DIR: dir };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(() => cleanup());

describe('tianfu CLI', () => {
  it('units list --json lists the whole alliance after a seed', async () => {
    const seed = await runCli(['seed'], env);
    expect(seed.code, seed.stderr).toBe(0);
    expect(seed.stdout).toContain('211');
    const res = await runCli(['units', 'list', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const units = JSON.parse(res.stdout) as { kind: string; divisionCode: string | null }[];
    const count = (k: string) => units.filter((u) => u.kind === k).length;
    expect([count('province'), count('founder'), count('city'), count('county') + count('zone')]).toEqual([1, 4, 21, 185]);
    expect(count('zone')).toBe(2);
    const again = await runCli(['seed'], env);
    expect(again.stdout).toContain('已存在');
  }, 180_000);

  it('user add creates a staff account in a unit found by division code, printing a generated password', async () => {
    const res = await runCli(['user', 'add', '--username', 'cli_editor', '--unit', '510104', '--role', 'editor'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('锦江区融媒体中心');
    expect(res.stdout).toMatch(/password: \S{16}/);
    const list = JSON.parse((await runCli(['units', 'list', '--json'], env)).stdout) as { divisionCode: string; memberCount: number }[];
    expect(list.find((u) => u.divisionCode === '510104')!.memberCount).toBe(1);
  }, 180_000);

  it('user add explains its mistakes and exits 2', async () => {
    const badRole = await runCli(['user', 'add', '--username', 'x1', '--unit', '510104', '--role', 'boss'], env);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('role must be one of');
    const badUnit = await runCli(['user', 'add', '--username', 'x2', '--unit', '999999', '--role', 'editor'], env);
    expect(badUnit.code).toBe(2);
    expect(badUnit.stderr).toContain('找不到单位');
    const dup = await runCli(['user', 'add', '--username', 'CLI_editor', '--unit', '510104', '--role', 'editor'], env);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('已被使用');
  }, 180_000);

  it('audit verify passes an intact chain, and names an edited and a deleted row (exit 3)', async () => {
    /** What someone with the database's password could do behind the platform's back. */
    const tamper = async (statement: string): Promise<{ id: number }[]> => {
      if (env.DATABASE_URL) {
        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        try {
          return (await client.query<{ id: number }>(statement)).rows.map((r) => ({ id: Number(r.id) }));
        } finally {
          await client.end();
        }
      }
      const handle = await openDatabase({ kind: 'pglite', dataDir: env.TIANFU_DATA_DIR! });
      try {
        return (await sql.raw<{ id: number }>(statement).execute(handle.db)).rows.map((r) => ({ id: Number(r.id) }));
      } finally {
        await handle.close();
      }
    };
    expect((await runCli(['user', 'add', '--username', 'cli_audit', '--unit', '510105', '--role', 'reporter'], env)).code).toBe(0);
    const seal = await runCli(['audit', 'seal'], env);
    expect(seal.code, seal.stderr).toBe(0);
    expect(seal.stdout).toMatch(/sealed \d+ rows, head: \d+:[0-9a-f]{64}/);
    const intact = await runCli(['audit', 'verify'], env);
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toContain('INTACT');
    const headSeq = Number(/head: (\d+):/.exec(seal.stdout)![1]);
    expect(headSeq).toBeGreaterThanOrEqual(3);

    const [edited] = await tamper(`update audit_log set after = '{"role": "alliance_admin"}' where chain_seq = ${headSeq - 1} returning id`);
    const afterEdit = await runCli(['audit', 'verify'], env);
    expect(afterEdit.code).toBe(3);
    expect(afterEdit.stdout).toContain('[edited]');
    expect(afterEdit.stdout).toContain(`seq ${headSeq - 1} (row id ${edited!.id}) does not match its hash: the row was edited`);

    await tamper(`delete from audit_log where chain_seq = ${headSeq - 2} returning id`);
    const afterDelete = await runCli(['audit', 'verify', '--json'], env);
    expect(afterDelete.code).toBe(3);
    const report = JSON.parse(afterDelete.stdout) as { intact: boolean; findings: { kind: string; seq: number | null; id: number | null }[] };
    expect(report.intact).toBe(false);
    expect(report.findings.map((f) => [f.kind, f.seq])).toEqual([
      ['deleted', headSeq - 2],
      ['edited', headSeq - 1],
    ]);
  }, 300_000);

  it('read commands pointed at a folder without a database refuse, name the folder, and create nothing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-cli-empty-'));
    try {
      for (const cmd of [['units', 'list'], ['user', 'add', '--username', 'nobody', '--unit', '510104', '--role', 'editor'], ['audit', 'verify'], ['search', 'reindex']]) {
        const res = await runCli(cmd, { TIANFU_DATA_DIR: empty });
        expect(res.code, cmd.join(' ')).toBe(2);
        expect(res.stderr, cmd.join(' ')).toContain(`没有找到数据库`);
        expect(res.stderr, cmd.join(' ')).toContain(empty);
      }
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);

  it('every command has --help', async () => {
    for (const cmd of [['serve'], ['migrate'], ['seed'], ['units', 'list'], ['user', 'add'], ['backup'], ['restore'], ['audit', 'verify'], ['audit', 'seal']]) {
      const res = await runCli([...cmd, '--help'], {});
      expect(res.code, cmd.join(' ')).toBe(0);
      expect(res.stdout, cmd.join(' ')).toMatch(/Usage: tianfu/);
    }
  }, 180_000);

  it('refuses bad configuration with every problem named', { timeout: 60_000 }, async () => {
    const res = await runCli(['migrate'], { PORT: 'abc', DATABASE_URL: 'mysql://x', TIANFU_SESSION_HOURS: '0' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('PORT="abc"');
    expect(res.stderr).toContain('DATABASE_URL');
    expect(res.stderr).toContain('TIANFU_SESSION_HOURS');
  });
});
