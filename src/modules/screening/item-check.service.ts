import type { Actor } from '../../policies/index.ts';
import { requireAccess, screeningConfig } from '../../policies/index.ts';
import type { ContentService } from '../content/service.ts';
import type { ContentItemRow } from '../content/tables.ts';
import { type Finding, checkAiLabel, TypoChecker, typoFindings } from './checks/index.ts';
import type { ScreeningConfig } from './config.ts';
import type { LlmScreener } from './llm.ts';
import { plainFindings, scanItem, verdictOf } from './scan.ts';

/**
 * Screening of newsroom items: the one automatic check the workflow runs (lexicons, wording, typos,
 * AI labels and, when configured, an LLM), the editor's inline highlights, and the console's test box.
 */
export class ItemCheckService {
  constructor(
    private readonly config: ScreeningConfig,
    private readonly content: ContentService,
    private readonly llm: LlmScreener | null = null,
  ) {}

  /** The workflow runs it before its transaction opens, so it may bring the configuration up to date first. */
  checkItem = async (item: ContentItemRow): Promise<Finding[]> => {
    const snap = await this.config.current();
    const findings = plainFindings(scanItem(this.config.forUnit(snap, item.unit_id), item.title, item.body_text));
    // The checker reports only candidates above its shipped confidence threshold; it loads its dictionaries on first use.
    findings.push(...typoFindings(TypoChecker.load().check(item.body_text)));
    findings.push(...checkAiLabel(item));
    if (this.llm) findings.push(...(await this.llm.screen(item.title, item.body_text)));
    return findings;
  };

  /** Findings for an item the caller may see (the editor's inline highlights). */
  async itemFindings(actor: Actor, itemId: string) {
    return this.checkItem(await this.content.get(actor, itemId));
  }

  /** The console's "test a text": what an item with this title and body would be told. */
  async testText(actor: Actor, input: { text: string; title?: string }) {
    requireAccess(actor, screeningConfig.screen);
    const snap = await this.config.current();
    const findings = plainFindings(scanItem(this.config.forUnit(snap, actor.unitId), input.title ?? '', input.text));
    findings.push(...typoFindings(TypoChecker.load().check(input.text)));
    return { findings, verdict: verdictOf(findings) };
  }
}
