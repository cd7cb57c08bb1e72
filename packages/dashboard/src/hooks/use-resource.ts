import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, asApiError } from '../api/errors.js';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  /** Loads again (keeping the current data on screen meanwhile); resolves to the new data. */
  reload(): Promise<T | undefined>;
  /** Replaces the data (with what a write returned). */
  set(data: T): void;
}

/** Loads data when `deps` change; stale answers (of older deps) are dropped. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const run = useCallback(async (): Promise<T | undefined> => {
    const mine = ++generation.current;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loader.current(controller.signal);
      if (mine === generation.current) setState({ data, loading: false });
      return data;
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, error: asApiError(error), loading: false }));
      return undefined;
    }
  }, []);

  useEffect(
    () => {
      setState({ loading: true });
      void run();
      return () => {
        generation.current++;
      };
    },
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to load
    deps,
  );

  const set = useCallback((data: T) => setState({ data, loading: false }), []);
  return { data: state.data, error: state.error, loading: state.loading, reload: run, set };
}
