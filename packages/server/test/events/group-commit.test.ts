import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/errors/index.js';
import { GroupCommitWriter } from '../../src/events/group-commit-writer.js';
import { QueueFullError } from '../../src/events/queue-full-error.js';
import type { EventBatchRecord, EventStore } from '../../src/stores/index.js';
import { newTestStore } from '../helpers/vexil.js';

// The group-commit writer on a real SQLite store. Where a test needs to see or disturb the
// commits, the store is wrapped: calls are counted, or one batch is made to fail, and
// everything else goes to the real store.

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
});

async function store() {
  const t = await newTestStore('sqlite');
  disposers.push(t.dispose);
  return t.store;
}

function batch(events = 10, batchId: string = randomUUID()): EventBatchRecord {
  return {
    project: 'shop',
    environment: 'production',
    batchId,
    sdk: null,
    receivedAt: '2026-11-25T10:00:00.000Z',
    events: Array.from({ length: events }, (_, i) => ({
      kind: 'track' as const,
      time: '2026-11-25T10:00:00.000Z',
      name: 'e',
      value: i,
      contextKey: `u${i}`,
    })),
  };
}

describe('group commit', () => {
  it('commits many concurrent batches in a few transactions, and answers each after its commit', async () => {
    const real = await store();
    const groups: number[] = [];
    const counting: Pick<EventStore, 'appendEventBatches'> = {
      appendEventBatches: async (batches) => {
        groups.push(batches.length);
        return real.appendEventBatches(batches);
      },
    };
    const writer = new GroupCommitWriter({ store: counting });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => writer.submit(batch())));
    expect(outcomes.every((o) => !o.duplicate)).toBe(true);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(50);
    expect(groups.length).toBeLessThan(50);
    const [row] = await real.countTrackedEvents({ project: 'shop' });
    expect(row?.count).toBe(500);
  });

  it('fails only the batch whose write fails, never the others of its group', async () => {
    const real = await store();
    const failing: Pick<EventStore, 'appendEventBatches'> = {
      appendEventBatches: async (batches) => {
        if (batches.some((b) => b.batchId === 'poison')) throw new Error('constraint violated');
        return real.appendEventBatches(batches);
      },
    };
    const writer = new GroupCommitWriter({ store: failing });
    const results = await Promise.allSettled([
      writer.submit(batch(5, 'a')),
      writer.submit(batch(5, 'poison')),
      writer.submit(batch(5, 'b')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const [row] = await real.countTrackedEvents({ project: 'shop' });
    expect(row?.count).toBe(10);
    expect(writer.queuedEvents).toBe(0);
  });

  it('refuses a batch that does not fit in the queue, with a retry delay', async () => {
    const real = await store();
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const writer = new GroupCommitWriter({
      store: { appendEventBatches: (b) => gate.then(() => real.appendEventBatches(b)) },
      maxQueuedEvents: 25,
    });
    const first = writer.submit(batch(20));
    const refused = writer.submit(batch(10));
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({ code: 'QUEUE_FULL', retryAfterSeconds: 1 });
    const fits = writer.submit(batch(5));
    open();
    await Promise.all([first, fits]);
    expect(writer.queuedEvents).toBe(0);
  });

  it('writes what is queued on close, then refuses new batches', async () => {
    const real = await store();
    const writer = new GroupCommitWriter({ store: real });
    const pending = [writer.submit(batch(3)), writer.submit(batch(3))];
    await writer.close();
    await Promise.all(pending);
    const [row] = await real.countTrackedEvents({ project: 'shop' });
    expect(row?.count).toBe(6);
    await expect(writer.submit(batch(1))).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
