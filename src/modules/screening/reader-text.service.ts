import type { Finding } from './checks/index.ts';
import type { ScreeningConfig } from './config.ts';
import { type Verdict, verdictOf } from './scan.ts';

/**
 * Verdicts on reader text (comments, tips, inquiries): the unit's lexicons and allow-lists only, no
 * wording or typo rules (those are newsroom style).
 */
export class ReaderTextScreening {
  constructor(private readonly config: ScreeningConfig) {}

  /** Call outside a transaction: it may reload the configuration. */
  async check(unitId: string, text: string): Promise<{ findings: Finding[]; verdict: Verdict }> {
    const { engine } = this.config.forUnit(await this.config.current(), unitId);
    const findings: Finding[] = engine.scan(text).map((m) => ({
      rule: `lexicon.${m.category}`,
      severity: m.severity,
      message: `“${m.variant}” · ${m.category}`,
      start: m.start,
      end: m.end,
    }));
    return { findings, verdict: verdictOf(findings) };
  }
}
