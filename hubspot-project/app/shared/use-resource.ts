import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ApiResult, Loadable } from './api.ts';

/**
 * Loads once per `key` (and on reload); older answers never overwrite newer ones. The state is
 * stored with the request it answers, so a new key or a reload reads as loading at once, without
 * setting state inside the effect; the latest `load` is kept in a ref updated after each render.
 */
export function useResource<T>(
  load: () => Promise<ApiResult<T>>,
  key = '',
): { state: Loadable<T>; reload: () => void } {
  const [generation, setGeneration] = useState(0);
  const request = `${generation}:${key}`;
  const [answer, setAnswer] = useState<{ request: string; state: Loadable<T> } | null>(null);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let current = true;
    void loadRef.current().then((result) => {
      if (current) setAnswer({ request, state: result });
    });
    return () => {
      current = false;
    };
  }, [request]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const state: Loadable<T> = answer?.request === request ? answer.state : { status: 'loading' };
  return { state, reload };
}

/** A button's request: pending while it runs, the backend's error message if it failed. */
export function useAction(): {
  pending: boolean;
  error: ApiError | null;
  run: <T>(action: () => Promise<ApiResult<T>>, onSuccess?: (data: T) => void) => Promise<void>;
} {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <T>(action: () => Promise<ApiResult<T>>, onSuccess?: (data: T) => void) => {
    setPending(true);
    setError(null);
    const result = await action();
    setPending(false);
    if (result.status === 'error') setError(result.error);
    else onSuccess?.(result.data);
  }, []);
  return { pending, error, run };
}
