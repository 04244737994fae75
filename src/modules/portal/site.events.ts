/**
 * Tells the reader side that the site store changed, so in-process render caches drop what they
 * hold. Module-level on purpose: the adapters are built by the distribution registry from a
 * database handle alone, and every cache in this process must hear about every write. Other
 * processes (several `tianfu serve` behind a proxy) rely on the caches' short lifetime instead.
 */
/** itemId is left out when the change is the site's arrangement (门户编排), not one story. */
type Listener = (change: { siteSlug: string; itemId?: string }) => void;

const listeners = new Set<Listener>();

export function onSiteChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function siteChanged(change: { siteSlug: string; itemId?: string }): void {
  for (const l of listeners) l(change);
}
