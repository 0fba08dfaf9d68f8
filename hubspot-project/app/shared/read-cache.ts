/**
 * One load of each resource for every panel that shows it: reads of the same URL that overlap share
 * one request, and a successful answer is reused for `maxAgeMs` (0: only while in flight). Errors are
 * never kept. `invalidate()` (after every save) forgets everything, so the next read asks again.
 */
export interface ReadCache {
  read<T>(
    key: string,
    maxAgeMs: number,
    load: () => Promise<{ status: 'success' | 'error' } & T>,
  ): Promise<{ status: 'success' | 'error' } & T>;
  invalidate(): void;
}

interface Entry {
  promise: Promise<{ status: 'success' | 'error' }>;
  /** When the answer arrived; null while in flight. */
  settledAt: number | null;
}

export function createReadCache(now: () => number = Date.now): ReadCache {
  const entries = new Map<string, Entry>();
  return {
    read(key, maxAgeMs, load) {
      const known = entries.get(key);
      if (known && (known.settledAt === null || now() - known.settledAt < maxAgeMs)) {
        return known.promise as ReturnType<typeof load>;
      }
      const entry: Entry = { promise: load(), settledAt: null };
      entries.set(key, entry);
      const forget = () => {
        if (entries.get(key) === entry) entries.delete(key);
      };
      void entry.promise.then((result) => {
        if (result.status === 'success' && maxAgeMs > 0 && entries.get(key) === entry)
          entry.settledAt = now();
        else forget();
      }, forget);
      return entry.promise as ReturnType<typeof load>;
    },
    invalidate() {
      entries.clear();
    },
  };
}
