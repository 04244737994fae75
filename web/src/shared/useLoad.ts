import { type DependencyList, type Dispatch, type SetStateAction, useCallback, useEffect, useRef, useState } from 'react';
import { useNotifyError } from './feedback.ts';

export interface Loaded<T> {
  data: T;
  /** For a page that updates what it shows after its own write, without reading again. */
  setData: Dispatch<SetStateAction<T>>;
  loading: boolean;
  /** Read again, e.g. after a write. */
  reload(): Promise<void>;
  /** Read again without the spinner, e.g. on a live notification or a poll. */
  refresh(): Promise<void>;
}

/**
 * What a page or panel shows, read from the server: `loading` drives its spinner and a failure is shown as a toast
 * (or handed to `onError`). When the inputs in `deps` change, or the view closes, the request in flight is aborted
 * and its answer dropped, so a slow old answer never overwrites a newer one.
 */
export function useLoad<T>(read: (signal: AbortSignal) => Promise<T>, deps: DependencyList, initial: T, onError?: (err: unknown) => void): Loaded<T> {
  const notifyError = useNotifyError();
  const [data, setData] = useState<T>(initial);
  const [loading, setLoading] = useState(true);
  // the latest closures, so that only `deps` decide when to read again
  const latest = useRef({ read, fail: onError ?? notifyError });
  latest.current = { read, fail: onError ?? notifyError };
  const inFlight = useRef<AbortController | null>(null);

  const run = useCallback(async (quiet: boolean) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    if (!quiet) setLoading(true);
    try {
      const value = await latest.current.read(controller.signal);
      if (!controller.signal.aborted) setData(() => value);
    } catch (err) {
      if (!controller.signal.aborted) latest.current.fail(err);
    } finally {
      if (inFlight.current === controller) setLoading(false);
    }
  }, deps);
  const reload = useCallback(() => run(false), [run]);
  const refresh = useCallback(() => run(true), [run]);

  useEffect(() => {
    void reload();
    return () => inFlight.current?.abort();
  }, [reload]);

  return { data, setData, loading, reload, refresh };
}
