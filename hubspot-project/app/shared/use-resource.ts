import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ApiResult, Loadable } from './api.ts';

/** Loads once per `key` (and on reload); older answers never overwrite newer ones. */
export function useResource<T>(
  load: () => Promise<ApiResult<T>>,
  key = '',
): { state: Loadable<T>; reload: () => void } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    void loadRef.current().then((result) => {
      if (current) setState(result);
    });
    return () => {
      current = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
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
