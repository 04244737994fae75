import type { ItemStatus } from '../content/tables.ts';

/**
 * The item state machine, all of it: which action moves an item from which states, and what the
 * action needs. Where it goes is decided in workflow.service.ts (approve moves up a level or signs
 * off; publish after an earlier publication is a correction).
 *
 *   draft → submitted → in_review (level n) → signed_off → scheduled → published → corrected / retracted
 */
export const workflowActions = ['submit', 'approve', 'return', 'reject', 'schedule', 'unschedule', 'publish', 'retract', 'reopen'] as const;
export type WorkflowAction = (typeof workflowActions)[number];

export interface Transition {
  from: readonly ItemStatus[];
  /** author: the unit's newsroom; reviewer: whoever the policy names at the current level; publisher: chief editor and up. */
  by: 'author' | 'reviewer' | 'publisher';
  needsComment?: boolean;
  runsChecks?: boolean;
}

export const transitions: Record<WorkflowAction, Transition> = {
  submit: { from: ['draft'], by: 'author', runsChecks: true },
  approve: { from: ['submitted', 'in_review'], by: 'reviewer', runsChecks: true },
  return: { from: ['submitted', 'in_review'], by: 'reviewer', needsComment: true },
  reject: { from: ['submitted', 'in_review'], by: 'reviewer', needsComment: true },
  schedule: { from: ['signed_off'], by: 'publisher' },
  unschedule: { from: ['scheduled'], by: 'publisher' },
  publish: { from: ['signed_off', 'scheduled'], by: 'publisher' },
  retract: { from: ['published', 'corrected'], by: 'publisher', needsComment: true },
  reopen: { from: ['archived', 'retracted'], by: 'author' },
};

export function allowedActions(status: ItemStatus): WorkflowAction[] {
  return workflowActions.filter((a) => transitions[a].from.includes(status));
}

/** Statuses in which an edit sends the item back through the chain, as the unit's policy says. */
export const underReview: readonly ItemStatus[] = ['submitted', 'in_review', 'signed_off', 'scheduled'];
/** Statuses in which an edit starts a correction of what is live. */
export const live: readonly ItemStatus[] = ['published', 'corrected'];
