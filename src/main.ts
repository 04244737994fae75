import { Command, InvalidArgumentError } from 'commander';
import { createServices } from './app.ts';
import { roles, type Role, unitKinds } from './modules/alliance/roles.ts';
import { addUserFromCli } from './modules/identity/bootstrap.ts';
import { passwordIssue } from './modules/identity/password-policy.ts';
import { NoDatabaseError, serve, prepareDatabase } from './serve.ts';
import { BackupError, backup, restore } from './platform/backup.ts';
import { DataDirLockedError } from './platform/db/lock.ts';
import { usePrivateUmask } from './platform/db/permissions.ts';
import { type Config, ConfigError, loadConfig } from './platform/config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { Problem } from './platform/http/problem.ts';
import { seedAlliance } from './modules/alliance/seed.ts';
import { seedDemoContent } from './modules/content/demo.ts';

// Whatever any command writes (data folder, assets, secret.key, backups) is readable by this account only.
usePrivateUmask();

const program = new Command('tianfu')
  .description('天府融媒 Tianfu — 省级媒体联合体平台 / the platform of a provincial media alliance')
  .showHelpAfterError();

/** Runs a command on the platform's database; only `create` commands (migrate, seed) may make a new one. */
async function withDatabase<T>(work: (handle: DatabaseHandle, config: Config) => Promise<T>, opts: { create?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const handle = await prepareDatabase(config, { seed: false, existing: !opts.create });
  try {
    return await work(handle, config);
  } finally {
    await handle.close();
  }
}

program
  .command('serve')
  .description('启动服务（控制台、接口、后台任务）/ start the console, API and background jobs')
  .action(async () => {
    await serve(loadConfig());
  });

program
  .command('migrate')
  .description('把数据库升级到最新结构 / bring the database schema up to date')
  .action(() =>
    withDatabase(
      async () => {
        console.log('数据库已是最新 / database schema is up to date');
      },
      { create: true },
    ),
  );

program
  .command('seed')
  .description('写入联合体成员单位（已存在则跳过）/ seed the alliance unit tree (skipped when present)')
  .option('--demo', '同时写入演示稿件（已存在则跳过）/ also add the demo stories (skipped when present)')
  .action((opts: { demo?: boolean }) =>
    withDatabase(
      async (handle, config) => {
        const result = await seedAlliance(handle.db);
        console.log(result.created ? `已创建 ${result.units} 个单位 / created ${result.units} units` : '单位树已存在 / unit tree already present');
        if (opts.demo) {
          const demo = await seedDemoContent(createServices(handle.db, config));
          console.log(demo.skipped ? '演示稿件已存在 / demo stories already present' : `已写入 ${demo.created} 篇演示稿件、${demo.assets} 张图片 / added ${demo.created} demo items, ${demo.assets} pictures`);
        }
      },
      { create: true },
    ),
  );

const units = program.command('units').description('成员单位 / alliance units');
units
  .command('list')
  .description('列出单位 / list units')
  .option('--json', 'JSON output / 以 JSON 输出')
  .option('--kind <kind>', `only one kind: ${unitKinds.join(', ')}`, (v) => {
    if (!(unitKinds as readonly string[]).includes(v)) throw new InvalidArgumentError(`kind must be one of ${unitKinds.join(', ')}`);
    return v as (typeof unitKinds)[number];
  })
  .action((opts: { json?: boolean; kind?: (typeof unitKinds)[number] }) =>
    withDatabase(async (handle, config) => {
      const list = await createServices(handle.db, config).alliance.listUnits({ kind: opts.kind });
      if (opts.json) {
        const out = list.map((u) => ({ id: u.id, parentId: u.parent_id, kind: u.kind, name: u.name, divisionCode: u.division_code, memberCount: u.member_count }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const byKind = new Map<string, number>();
      for (const u of list) {
        byKind.set(u.kind, (byKind.get(u.kind) ?? 0) + 1);
        console.log(`${'  '.repeat(u.depth)}${u.name}${u.division_code ? ` (${u.division_code})` : ''} [${u.kind}] ${u.member_count} 人`);
      }
      console.log(`\n共 ${list.length} 个单位 / ${list.length} units: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    }),
  );

const user = program.command('user').description('人员账号 / staff accounts');
user
  .command('add')
  .description('新增人员并加入单位 / add a staff account to a unit')
  .requiredOption('--username <name>', '登录名 / login name')
  .requiredOption('--unit <unit>', '单位：区划代码、单位 id 或全名 / division code, unit id or exact name')
  .requiredOption('--role <role>', `角色 / role: ${roles.join(', ')}`, (v) => {
    if (!(roles as readonly string[]).includes(v)) throw new InvalidArgumentError(`role must be one of ${roles.join(', ')}`);
    return v as Role;
  })
  .option('--display-name <name>', '显示名 / display name')
  .option('--password <password>', '密码，省略则生成并打印 / omit to generate and print one')
  .action((opts: { username: string; unit: string; role: Role; displayName?: string; password?: string }) =>
    withDatabase(async (handle, config) => {
      const weak = opts.password === undefined ? null : passwordIssue(opts.password, opts.username);
      if (weak) throw new CliError(`${weak.zh} / ${weak.en}`);
      const { alliance } = createServices(handle.db, config);
      const all = await alliance.listUnits({ includeInactive: true });
      const unit = all.find((u) => u.id === opts.unit || u.division_code === opts.unit || u.name === opts.unit);
      if (!unit) throw new CliError(`找不到单位 / no unit matches "${opts.unit}" (try: tianfu units list)`);
      const made = await addUserFromCli(handle.db, alliance, {
        username: opts.username,
        displayName: opts.displayName ?? opts.username,
        password: opts.password,
        unitId: unit.id,
        role: opts.role,
      });
      console.log(`已创建 ${made.user.username}（${unit.name}，${opts.role}）/ created`);
      if (made.generated) console.log(`密码 password: ${made.password}`);
    }),
  );

program
  .command('backup <file>')
  .description('备份数据库（内嵌库需先停止服务）/ back up the database (stop the server first on the embedded default)')
  .action(async (file: string) => {
    const out = await backup(loadConfig(), file);
    console.log(`备份完成 / backup written: ${out}`);
  });

program
  .command('restore <file>')
  .description('从备份恢复 / restore from a backup')
  .option('--force', '数据目录非空时先把原数据移开 / move existing data aside first')
  .action(async (file: string, opts: { force?: boolean }) => {
    const where = await restore(loadConfig(), file, !!opts.force);
    console.log(`已恢复到 / restored into: ${where}`);
  });

const search = program.command('search').description('全文检索 / full-text search');
search
  .command('reindex')
  .description('重建全部稿件的检索索引 / rebuild the search index of every item')
  .action(() =>
    withDatabase(async (handle, config) => {
      const started = Date.now();
      let last = 0;
      const done = await createServices(handle.db, config).search.reindex((n, total) => {
        // A line per ~5% (and the last), so a long rebuild shows it is moving without flooding the terminal.
        if (n === total || n - last >= Math.max(200, Math.floor(total / 20))) {
          last = n;
          console.log(`已索引 ${n}/${total} / indexed`);
        }
      });
      console.log(`完成：${done} 篇稿件，${((Date.now() - started) / 1000).toFixed(1)} 秒 / reindexed ${done} items`);
    }),
  );

const audit = program.command('audit').description('审计日志防篡改哈希链 / the audit log\'s tamper-evident hash chain');
audit
  .command('verify')
  .description('重算审计日志哈希链，报告被改动、删除或伪造的行 / recompute the audit hash chain and report edited, deleted or forged rows')
  .option('--json', 'JSON output / 以 JSON 输出')
  .option('--max-unsealed-minutes <n>', '未封存超过此分钟数即报告 / report rows unsealed for longer (default 10)', (v) => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 10080) throw new InvalidArgumentError('must be an integer from 1 to 10080');
    return Number(v);
  })
  .option('--expect <seq:hash>', '先前记下的链头（日志中的 headSeq:headHash），须仍在链中 / a head noted earlier that must still be in the chain', (v) => {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(v.trim());
    if (!m) throw new InvalidArgumentError('must be <seq>:<64 hex digits>');
    return { seq: Number(m[1]), hash: m[2]! };
  })
  .addHelpText(
    'after',
    '\n退出码 exit codes: 0 完整 intact · 3 发现问题 problems found (each printed) · 2 配置或用法错误 bad configuration or usage',
  )
  .action((opts: { json?: boolean; maxUnsealedMinutes?: number; expect?: { seq: number; hash: string } }) =>
    withDatabase(
      async (handle, config) => {
        const started = Date.now();
        let last = 0;
        const report = await createServices(handle.db, config).audit.verify({
          maxUnsealedMinutes: opts.maxUnsealedMinutes,
          expect: opts.expect,
          // Progress goes to stderr so --json output stays one document.
          onProgress: (n, total) => {
            if (n === total || n - last >= Math.max(10_000, Math.floor(total / 20))) {
              last = n;
              process.stderr.write(`已校验 ${n}/${total} / checked\n`);
            }
          },
        });
        process.exitCode = report.intact ? 0 : 3;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const lines = [`审计链校验 / audit chain verification (${((Date.now() - started) / 1000).toFixed(1)} s)`];
        lines.push(
          report.anchor
            ? `  锚点 anchor:   seq ${report.anchor.seq}（清理 ${report.anchor.purged} 行 / ${report.anchor.purged} rows purged, ${report.anchor.at}）`
            : '  锚点 anchor:   无，从链首开始 / none, from the start of the chain',
        );
        lines.push(`  已校验 checked: ${report.checked} 行 rows`);
        lines.push(`  链头 head:     ${report.head ? `seq ${report.head.seq} ${report.head.hash}` : '—'}`);
        lines.push(`  未封存 unsealed: ${report.unsealed}${report.oldestUnsealedAt ? `（最早 oldest ${report.oldestUnsealedAt}）` : ''}`);
        lines.push(`  新行算法 hashing new rows with: ${report.alg}`);
        if (report.intact) {
          lines.push('完整：未发现改动、删除或伪造 / INTACT: no edited, deleted or forged rows');
        } else {
          lines.push(`发现 ${report.findingCount} 处问题 / ${report.findingCount} problem(s) found:`);
          for (const f of report.findings) lines.push(`  [${f.kind}] ${f.zh} / ${f.en}`);
          if (report.findingCount > report.findings.length) lines.push(`  …另有 ${report.findingCount - report.findings.length} 处 / and ${report.findingCount - report.findings.length} more`);
        }
        console.log(lines.join('\n'));
      },
    ),
  );

audit
  .command('seal')
  .description('立即封存尚未入链的审计行（服务运行时每分钟自动进行）/ chain the unsealed audit rows now (the server does it every minute)')
  .action(() =>
    withDatabase(
      async (handle, config) => {
        const { sealed, head } = await createServices(handle.db, config).audit.seal();
        console.log(
          head
            ? `已封存 ${sealed} 行，链头 / sealed ${sealed} rows, head: ${head.seq}:${head.hash}`
            : '没有待封存的行 / nothing to seal',
        );
      },
    ),
  );

class CliError extends Error {}

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Problem ? `${err.zh} / ${err.en}` : err instanceof Error ? err.message : String(err);
  const expected = err instanceof Problem || err instanceof CliError || err instanceof ConfigError || err instanceof BackupError || err instanceof DataDirLockedError || err instanceof NoDatabaseError;
  console.error(`tianfu: ${message}`);
  if (!expected && err instanceof Error && err.stack) console.error(err.stack);
  process.exit(expected ? 2 : 1);
});
