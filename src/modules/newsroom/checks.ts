import type { ContentItemRow } from '../content/tables.ts';
import type { Finding } from './tables.ts';

/**
 * 智能审核 hook: checks run on submission and at every approval, before the move's transaction opens
 * (so a check may read the database or call out). Findings are shown to the reviewer;
 * a 'block' finding stops the move unless an authorised role overrides it with a reason. The
 * screening module plugs its lexicon, wording and typo checks in here; the findings are kept per
 * revision (check-results.repo.ts).
 */
export type AutomaticCheck = (item: ContentItemRow) => Promise<Finding[]>;

// Markers editors leave for themselves; a story carrying one is not finished.
const PLACEHOLDERS = /【待核实】|【待补充】|\[待核实\]|\[待补充\]|XXX|＊＊＊/g;

/** Built-in: an empty story, or one still carrying an editor's placeholder, must not go through. */
export const unfinishedStoryCheck: AutomaticCheck = async (item) => {
  const findings: Finding[] = [];
  if (item.type === 'article' && !item.body_text.trim()) {
    findings.push({ rule: 'empty_body', severity: 'block', message: '正文为空 / the body is empty' });
  }
  for (const field of ['title', 'body_text'] as const) {
    for (const m of item[field].matchAll(PLACEHOLDERS)) {
      findings.push({
        rule: 'placeholder',
        severity: 'block',
        message: `${field === 'title' ? '标题' : '正文'}中还有占位标记“${m[0]}” / unfinished marker in the ${field === 'title' ? 'title' : 'body'}`,
        ...(field === 'body_text' ? { start: m.index, end: m.index + m[0].length } : {}),
      });
    }
  }
  return findings;
};
