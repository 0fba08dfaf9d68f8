import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { defineJob, JobQueue } from './queue.ts';

const job = (name: string, queue = {}) =>
  defineJob({ name, schema: z.object({}), queue, handle: async () => {} });

describe('JobQueue.register', () => {
  let handle: DatabaseHandle;
  let queue: JobQueue;
  beforeAll(async () => {
    handle = await openDatabase({ databaseUrl: undefined, dataDir: ':memory:' });
    await migrateToLatest(handle.db);
    queue = await JobQueue.start(handle, createLogger('silent'), createMetrics());
  }, 60_000);
  afterAll(async () => {
    await queue.stop();
    await handle.close();
  });

  it('creates each queue and its dead-letter queue once; a later start creates none', async () => {
    const definitions = [job('test.plain'), job('test.stately', { policy: 'stately', heartbeatSeconds: 30 })];
    await queue.register(definitions);
    const created = await queue.raw.getQueues([
      'test.plain',
      'test.plain.dead',
      'test.stately',
      'test.stately.dead',
    ]);
    expect(created.map((q) => q.name).sort()).toEqual([
      'test.plain',
      'test.plain.dead',
      'test.stately',
      'test.stately.dead',
    ]);
    const stately = created.find((q) => q.name === 'test.stately')!;
    expect(stately).toMatchObject({
      policy: 'stately',
      heartbeatSeconds: 30,
      deadLetter: 'test.stately.dead',
    });

    const createQueue = vi.spyOn(queue.raw, 'createQueue');
    await queue.register(definitions);
    expect(createQueue).not.toHaveBeenCalled();
    await queue.register([...definitions, job('test.added')]);
    expect(createQueue.mock.calls.map(([name]) => name)).toEqual(['test.added.dead', 'test.added']);
  });
});
