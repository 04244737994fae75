import { AsyncLocalStorage } from 'node:async_hooks';
import { forbidden, notFound } from '../platform/http/problem.ts';
import type { Actor } from './actor.ts';

/**
 * How the rulebook is used. Each rule is made with `allow(name, test, refusal)`; a service method opens
 * with `requireAccess(actor, rule, subject)`, which throws the 403 problem (with the rule's own wording)
 * when the test fails. `can` asks the same question without throwing, and `abilities` answers "what may
 * this actor do here" for the console.
 */

export interface Refusal {
  zh: string;
  en: string;
}

/** A test answers true (allowed), false (refused with the rule's wording) or the refusal that applies. */
type Test<S> = (actor: Actor, subject: S) => boolean | Refusal;

export interface Rule<S = undefined> {
  readonly name: string;
  readonly test: Test<S>;
  readonly refusal?: Refusal;
}

type Subject<S> = undefined extends S ? [subject?: S] : [subject: S];

export function allow<S = undefined>(name: string, test: Test<S>, refusal?: [zh: string, en: string]): Rule<S> {
  return { name, test, refusal: refusal && { zh: refusal[0], en: refusal[1] } };
}

export function can<S>(actor: Actor, rule: Rule<S>, ...[subject]: Subject<S>): boolean {
  return rule.test(actor, subject as S) === true;
}

/**
 * Which rules were applied while a call ran. Nothing listens in production; the route-authorisation test
 * opens a trace around every service call a route makes and checks that one was recorded.
 */
export const accessTrace = new AsyncLocalStorage<{ rules: string[] }>();

const record = (rule: { name: string }) => accessTrace.getStore()?.rules.push(rule.name);

/** Authorises a call: the first line of every service method a route reaches. */
export function requireAccess<S>(actor: Actor, rule: Rule<S>, ...[subject]: Subject<S>): void {
  record(rule);
  const answer = rule.test(actor, subject as S);
  if (answer === true) return;
  const why = answer === false ? rule.refusal : answer;
  throw forbidden(why?.zh, why?.en);
}

/** Authorises access to one object the actor must not even learn exists: a refusal reads as "not found". */
export function requireVisible<S>(actor: Actor, rule: Rule<S>, subject: S, what: { zh: string; en: string }, id?: string): void {
  record(rule);
  if (rule.test(actor, subject) !== true) throw notFound(what, id);
}

/** What the actor may do with a subject, rule by rule: what presenters hand the console. */
export function abilities<S, K extends string>(actor: Actor, rules: Record<K, Rule<S>>, ...[subject]: Subject<S>): Record<K, boolean> {
  return Object.fromEntries(Object.entries<Rule<S>>(rules).map(([k, rule]) => [k, rule.test(actor, subject as S) === true])) as Record<K, boolean>;
}
