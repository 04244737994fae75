import type { AlertRow, LexiconRow, ProposalRow, WordingPackRow } from './tables.ts';

/** API output of the screening module: camelCase, ISO dates, no internal columns. */

const iso = (d: Date | string) => new Date(d).toISOString();

export const presentLexicon = (l: LexiconRow & { termCount?: number; manageable?: boolean }) => ({
  id: l.id,
  unitId: l.unit_id,
  scope: l.scope,
  name: l.name,
  description: l.description,
  builtin: l.builtin_key !== null,
  version: l.version,
  enabled: l.enabled,
  ...(l.termCount === undefined ? {} : { termCount: l.termCount }),
  ...(l.manageable === undefined ? {} : { manageable: l.manageable }),
  updatedAt: iso(l.updated_at),
});

export const presentPack = (p: WordingPackRow & { manageable?: boolean }) => ({
  id: p.id,
  unitId: p.unit_id,
  scope: p.scope,
  name: p.name,
  builtin: p.builtin_key !== null,
  rules: p.rules as never[],
  version: p.version,
  enabled: p.enabled,
  ...(p.manageable === undefined ? {} : { manageable: p.manageable }),
  updatedAt: iso(p.updated_at),
});

export const presentAlert = (a: AlertRow) => ({
  id: Number(a.id),
  itemId: a.item_id,
  rule: a.rule,
  severity: a.severity,
  message: a.message,
  field: a.field,
  start: a.start_offset,
  end: a.end_offset,
  excerpt: a.excerpt,
  status: a.status,
  createdAt: iso(a.created_at),
  resolvedBy: a.resolved_by,
  resolvedAt: a.resolved_at ? iso(a.resolved_at) : null,
  resolution: a.resolution,
});

export const presentProposal = (p: ProposalRow & { proposed_by_name?: string | null }) => ({
  id: Number(p.id),
  term: p.term,
  rule: p.rule,
  excerpt: p.excerpt,
  note: p.note,
  status: p.status,
  proposedBy: p.proposed_by,
  proposedByName: p.proposed_by_name ?? null,
  proposedAt: iso(p.proposed_at),
  decidedBy: p.decided_by,
  decidedAt: p.decided_at ? iso(p.decided_at) : null,
});
