// Lexicon file formats: plain text (one term a line, optional category and severity), CSV with a
// header, and the houbb/sensitive-word tag file. Every parser reports malformed lines with their
// 1-based line number instead of throwing, so an editor can show all problems at once.
import type { Category, LexiconTerm, ParseError, ParseResult, Severity } from './types.ts';
import { MAX_TERM_CHARS, isCategory, isSeverity } from './types.ts';

function lines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/**
 * `term` or `term<TAB or spaces>category<spaces>severity` (either or both trailing fields);
 * `#` starts a comment line; blank lines are skipped. A term with spaces inside must use a TAB
 * before its category. Missing fields take `defaults`.
 */
export function parseLexiconText(text: string, defaults: { category: Category; severity: Severity }): ParseResult {
  const terms: LexiconTerm[] = [];
  const errors: ParseError[] = [];
  lines(text).forEach((raw, i) => {
    // Trim only the end: a leading TAB means an empty term, which is an error, not a bare category.
    const line = raw.trimEnd();
    if (line.trim().length === 0 || line.trim().startsWith('#')) return;
    const tab = line.indexOf('\t');
    let term: string;
    let rest: string[];
    if (tab >= 0) {
      term = line.slice(0, tab).trim();
      rest = line.slice(tab + 1).trim().split(/\s+/).filter(Boolean);
    } else {
      const parts = line.trim().split(/\s+/);
      // Without a TAB, trailing words count as fields only when they are a known category/severity.
      rest = [];
      while (parts.length > 1 && rest.length < 2 && (isCategory(parts[parts.length - 1]) || isSeverity(parts[parts.length - 1]))) rest.unshift(parts.pop() ?? '');
      term = parts.join(' ');
    }
    const parsed = fields(term, rest[0], rest[1], defaults, i + 1, errors);
    if (rest.length > 2) errors.push({ line: i + 1, message: `too many fields (${rest.length + 1}); expected term, category, severity` });
    else if (parsed) terms.push(parsed);
  });
  return { terms, errors };
}

function fields(term: string, category: string | undefined, severity: string | undefined, defaults: { category: Category; severity: Severity } | undefined, line: number, errors: ParseError[]): LexiconTerm | undefined {
  if (term.length === 0) {
    errors.push({ line, message: 'empty term' });
    return undefined;
  }
  const chars = [...term].length;
  if (chars > MAX_TERM_CHARS) {
    errors.push({ line, message: `term too long (${chars} characters; at most ${MAX_TERM_CHARS})` });
    return undefined;
  }
  const cat = category === undefined || category === '' ? defaults?.category : category;
  const sev = severity === undefined || severity === '' ? defaults?.severity : severity;
  if (cat === undefined || !isCategory(cat)) {
    errors.push({ line, message: `unknown category "${cat ?? ''}"` });
    return undefined;
  }
  if (sev === undefined || !isSeverity(sev)) {
    errors.push({ line, message: `unknown severity "${sev ?? ''}"` });
    return undefined;
  }
  return { term, category: cat, severity: sev };
}

/** Splits one CSV record (RFC 4180 quoting, "" escapes a quote); undefined when a quote is unbalanced. */
function splitCsv(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      field = line.slice(i, end);
      if (field.includes('"')) return undefined;
      i = end;
    }
    out.push(field);
    if (i >= line.length) return out;
    i++; // the comma
  }
}

/** CSV with a header naming `term`, `category`, `severity` (any order; `lexicon` and `id` optional). */
export function parseLexiconCsv(text: string): ParseResult {
  const terms: LexiconTerm[] = [];
  const errors: ParseError[] = [];
  const all = lines(text);
  let header: string[] | undefined;
  all.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim().length === 0) return;
    const cells = splitCsv(raw);
    if (!cells) {
      errors.push({ line, message: 'unbalanced quotes' });
      return;
    }
    if (!header) {
      header = cells.map((c) => c.trim().toLowerCase());
      for (const need of ['term', 'category', 'severity']) if (!header.includes(need)) errors.push({ line, message: `header lacks column "${need}"` });
      return;
    }
    if (cells.length !== header.length) {
      errors.push({ line, message: `expected ${header.length} fields, found ${cells.length}` });
      return;
    }
    const get = (name: string): string | undefined => {
      const at = header?.indexOf(name) ?? -1;
      return at < 0 ? undefined : cells[at].trim();
    };
    const t = fields(get('term') ?? '', get('category') ?? '', get('severity') ?? '', undefined, line, errors);
    if (!t) return;
    const lexicon = get('lexicon');
    const id = get('id');
    if (lexicon) t.lexicon = lexicon;
    if (id) t.id = id;
    terms.push(t);
  });
  if (!header) errors.push({ line: 1, message: 'missing header "term,category,severity"' });
  return { terms, errors };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV that parseLexiconCsv reads back unchanged; lexicon and id columns only when some term has them. */
export function toCsv(terms: LexiconTerm[]): string {
  const extra = terms.some((t) => t.lexicon !== undefined || t.id !== undefined);
  const head = extra ? 'term,category,severity,lexicon,id' : 'term,category,severity';
  const rows = terms.map((t) => {
    const cells = [t.term, t.category, t.severity];
    if (extra) cells.push(t.lexicon ?? '', t.id ?? '');
    return cells.map(csvCell).join(',');
  });
  return `${[head, ...rows].join('\n')}\n`;
}

/** `term<TAB>category severity` lines that parseLexiconText reads back unchanged (lexicon/id are not kept). */
export function toText(terms: LexiconTerm[]): string {
  return terms.map((t) => `${t.term}\t${t.category} ${t.severity}\n`).join('');
}

const HOUBB_TAGS: Record<string, Category> = { '1': 'drugs', '2': 'porn', '3': 'gambling', '4': 'fraud' };
/** Order of precedence when a word carries several tags: the first found here becomes its category. */
const HOUBB_PRECEDENCE = ['1', '3', '4', '2'];
/**
 * The tier of each tag before frequency is considered: drugs, gambling and porn words are banned in
 * publication (禁用); tag 4 (crime: weapons, forged papers, trading in data) names things news reports
 * on, so an editor should look (慎用).
 */
const HOUBB_TIERS: Record<string, Severity> = { '1': 'block', '2': 'block', '3': 'block', '4': 'review' };

/** How gen-tiers.ts changed a term's tier: demoted to info, only near companions, or only as a whole word. */
export interface HoubbTierRule {
  decision: 'info' | 'near' | 'whole';
  companions: string[];
  reason: string;
}

/**
 * houbb/sensitive-word's `word tags` file (tags 1 drugs, 2 porn, 3 gambling, 4 illegal/crime → 'fraud').
 * A word with several tags becomes one term (so a hit is counted once), categorised by the first
 * of its tags in the order drugs > gambling > fraud > porn, at the highest tier of its tags. `rules`
 * (data/houbb-tiers.tsv) turn ordinary words into info or context terms. Terms get lexicon 'houbb'
 * and id `houbb:<line>`.
 */
export function parseHoubbLexicon(text: string, rules: Map<string, HoubbTierRule> = new Map()): ParseResult {
  const terms: LexiconTerm[] = [];
  const errors: ParseError[] = [];
  lines(text).forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0) return;
    const space = line.lastIndexOf(' ');
    if (space <= 0) {
      errors.push({ line: i + 1, message: 'expected "word tags"' });
      return;
    }
    const word = line.slice(0, space).trim();
    const tags = line.slice(space + 1).split(',');
    const unknown = tags.filter((t) => !(t in HOUBB_TAGS));
    if (unknown.length > 0) {
      errors.push({ line: i + 1, message: `unknown tag "${unknown.join(',')}"` });
      return;
    }
    const tag = HOUBB_PRECEDENCE.find((t) => tags.includes(t)) ?? tags[0];
    const tier: Severity = tags.some((t) => HOUBB_TIERS[t] === 'block') ? 'block' : 'review';
    const term: LexiconTerm = { term: word, category: HOUBB_TAGS[tag], severity: tier, lexicon: 'houbb', id: `houbb:${i + 1}` };
    const rule = rules.get(word);
    if (rule?.decision === 'info') term.severity = 'info';
    else if (rule?.decision === 'near') term.context = { near: rule.companions, window: HOUBB_NEAR_WINDOW };
    else if (rule?.decision === 'whole') {
      term.severity = 'review';
      term.context = { wholeWord: true };
    }
    terms.push(term);
  });
  return { terms, errors };
}

/** Characters between an ordinary word and its companion (出售 … 手枪) for a `near` rule of the houbb list. */
export const HOUBB_NEAR_WINDOW = 6;

/** data/houbb-tiers.tsv: `term, tags, decision, companions (|), count, words, reason`; # comments. */
export function parseHoubbTiers(text: string): Map<string, HoubbTierRule> {
  const rules = new Map<string, HoubbTierRule>();
  for (const line of lines(text)) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const [term, , decision, companions, , , reason] = line.split('\t');
    if (decision !== 'info' && decision !== 'near' && decision !== 'whole') continue;
    rules.set(term, { decision, companions: companions ? companions.split('|') : [], reason: reason ?? '' });
  }
  return rules;
}
