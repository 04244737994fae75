import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActionLabel, auditTargetLabels } from './audit-labels.ts';

/** Every audit code the server writes, read from the source, so a new action without Chinese words fails here. */
function codesWritten(): { actions: Set<string>; targets: Set<string> } {
  const actions = new Set<string>();
  const targets = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(/\baction: '([a-z_.]+)'/g)) actions.add(m[1]!);
        for (const m of text.matchAll(/\btargetType: '([a-z_]+)'/g)) targets.add(m[1]!);
      }
    }
  };
  walk(path.resolve(import.meta.dirname, '../modules'));
  return { actions, targets };
}

describe('audit log words', () => {
  it('names every action and target the server writes in Chinese', () => {
    const { actions, targets } = codesWritten();
    expect(actions.size).toBeGreaterThan(50);
    const unnamed = [...actions].filter((a) => auditActionLabel(a)[0] === a);
    expect(unnamed).toEqual([]);
    expect([...targets].filter((t) => !auditTargetLabels[t])).toEqual([]);
  });

  it('reads the moves written with a variable part, and the old names kept in hash-chained rows', () => {
    expect(auditActionLabel('workflow.submit')[0]).toBe('审核流程 · 提交');
    expect(auditActionLabel('content.relay_up')[0]).toBe('稿件 · 上报');
    expect(auditActionLabel('content.submit')[0]).toBe('稿件 · 上报');
    expect(auditActionLabel('task.decline')[0]).toBe('任务 · 拒绝');
    expect(auditActionLabel('topic.approve')[0]).toBe('选题 · 通过');
    expect(auditActionLabel('review.lexicon.update')[0]).toBe('智能审核 · 修改词库');
    expect(auditActionLabel('something.new')).toEqual(['something.new', 'something.new']);
  });
});
