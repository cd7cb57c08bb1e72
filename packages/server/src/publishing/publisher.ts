import type { Counter } from 'prom-client';
import type { FlagSetScope } from '../services/flag-sets/build-flag-set.js';
import type { PublishTarget } from './publish-target.js';

/** What the publisher reads from the delivery layer's `SnapshotManager`. */
export interface PublishSource {
  subscribe(
    listener: (swap: {
      project: string;
      environment: string;
      scope: FlagSetScope;
      version: number;
      snapshot: { envelope: Buffer };
    }) => void,
  ): () => void;
  get(
    project: string,
    environment: string,
    scope: FlagSetScope,
  ): { version: number; envelope: Buffer } | undefined;
  environments(): Iterable<{ project: string; environment: string; version: number }>;
}

/** Minimal logger (pino's shape). */
export interface PublishLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface PublisherOptions {
  readonly source: PublishSource;
  readonly targets: readonly PublishTarget[];
  /** Scopes to publish (default both: `server` files hold full definitions — keep such a bucket private). */
  readonly scopes?: readonly FlagSetScope[] | undefined;
  /** Prefix of every file; `{project}` becomes the project's key (default `{project}/`). */
  readonly prefix?: string | undefined;
  readonly metrics?: { publishes: Counter<'target'>; publishFailures: Counter<'target'> } | undefined;
  readonly logger?: PublishLogger | undefined;
  /** Backoff of failed writes: first delay and cap, in ms (defaults 1 s and 60 s). */
  readonly retryMs?: number | undefined;
  readonly maxRetryMs?: number | undefined;
}

/** A file that could not be published yet (it is being retried). */
export interface PublishFailure {
  readonly target: string;
  readonly key: string;
  /** The version waiting to be published. */
  readonly version: number;
  readonly since: string;
  readonly attempts: number;
  readonly error: string;
}

export interface PublishStatus {
  /** Files whose latest version is not published yet (being written, or waiting to retry). */
  readonly pending: number;
  readonly failing: PublishFailure[];
}

/** Publishes each environment's signed flag set after every change (FlagDrop's model). */
export interface Publisher {
  /** Publishes every snapshot held now, then every swap. */
  start(): void;
  /** Resolves when no write is running or queued (files waiting for a retry may remain). */
  idle(): Promise<void>;
  status(): PublishStatus;
  close(): Promise<void>;
}

interface Job {
  readonly target: PublishTarget;
  readonly key: string;
  /** The version to publish, and its envelope, signed when it is written (not when offered). */
  wanted: { version: number; body: () => Buffer };
  published: number;
  running: Promise<void> | undefined;
  timer: NodeJS.Timeout | undefined;
  attempts: number;
  delay: number;
  failingSince: string | undefined;
  lastError: string | undefined;
}

/** Writes that come back older than ours are rewritten at most this often in a row (replicas racing). */
const MAX_REWRITES = 3;

/**
 * Writes `flags-{environment}-{scope}.json` (the signed envelope) to every target on
 * each change. Bursts coalesce: while a file is being written, newer versions wait and
 * only the latest is written next. A failed write is retried with backoff until it
 * succeeds or a newer version replaces it: it is counted, logged and shown by `status()`,
 * never dropped. A file is never replaced by an older version (checked against the
 * version kept with it), so several replicas may publish to the same place.
 * @example
 * const publisher = createPublisher({ source: delivery.snapshots, targets: [createDirectoryTarget({ path: 'www' })] });
 * publisher.start();
 */
export function createPublisher(options: PublisherOptions): Publisher {
  const scopes = options.scopes ?? ['server', 'client'];
  const prefix = options.prefix ?? '{project}/';
  const jobs = new Map<string, Job>();
  const logger = options.logger;
  let unsubscribe: (() => void) | undefined;
  let closed = false;

  const keyOf = (project: string, environment: string, scope: FlagSetScope) =>
    `${prefix.replaceAll('{project}', project)}flags-${environment}-${scope}.json`;

  const offer = (
    project: string,
    environment: string,
    scope: FlagSetScope,
    version: number,
    envelope: () => Buffer,
  ) => {
    if (closed || !scopes.includes(scope)) return;
    const key = keyOf(project, environment, scope);
    for (const target of options.targets) {
      const id = `${target.name}\u0000${key}`;
      let job = jobs.get(id);
      if (job === undefined) {
        job = {
          target,
          key,
          wanted: { version, body: envelope },
          published: 0,
          running: undefined,
          timer: undefined,
          attempts: 0,
          delay: 0,
          failingSince: undefined,
          lastError: undefined,
        };
        jobs.set(id, job);
      } else if (version > job.wanted.version) {
        job.wanted = { version, body: envelope };
      } else {
        continue;
      }
      if (job.running === undefined && job.timer === undefined) job.running = run(job);
    }
  };

  const run = async (job: Job): Promise<void> => {
    try {
      let rewrites = 0;
      while (!closed && job.wanted.version > job.published) {
        const want = job.wanted;
        try {
          const there = await job.target.versionOf(job.key);
          if (there === undefined || there < want.version) {
            await job.target.write({ key: job.key, body: want.body(), version: want.version });
            const after = await job.target.versionOf(job.key);
            if (after !== undefined && after < want.version && ++rewrites <= MAX_REWRITES) continue;
            options.metrics?.publishes.inc({ target: job.target.name });
          }
          if (job.failingSince !== undefined) {
            logger?.info(
              { target: job.target.name, key: job.key, version: want.version },
              'publishing recovered',
            );
          }
          job.published = Math.max(job.published, want.version);
          job.attempts = 0;
          job.delay = 0;
          job.failingSince = undefined;
          job.lastError = undefined;
        } catch (error) {
          fail(job, error);
          return;
        }
      }
    } finally {
      job.running = undefined;
    }
  };

  const fail = (job: Job, error: unknown) => {
    options.metrics?.publishFailures.inc({ target: job.target.name });
    job.attempts++;
    job.failingSince ??= new Date().toISOString();
    job.lastError = error instanceof Error ? error.message || error.name : String(error);
    job.delay = Math.min(Math.max(job.delay * 2, options.retryMs ?? 1000), options.maxRetryMs ?? 60_000);
    logger?.warn(
      {
        err: error,
        target: job.target.name,
        key: job.key,
        version: job.wanted.version,
        retryInMs: job.delay,
      },
      'could not publish a flag file; retrying',
    );
    if (closed) return;
    job.timer = setTimeout(() => {
      job.timer = undefined;
      if (job.running === undefined) job.running = run(job);
    }, job.delay);
    job.timer.unref();
  };

  return {
    start() {
      unsubscribe = options.source.subscribe((swap) =>
        offer(swap.project, swap.environment, swap.scope, swap.version, () => swap.snapshot.envelope),
      );
      for (const { project, environment } of options.source.environments()) {
        for (const scope of scopes) {
          const snapshot = options.source.get(project, environment, scope);
          if (snapshot !== undefined)
            offer(project, environment, scope, snapshot.version, () => snapshot.envelope);
        }
      }
    },
    async idle() {
      for (;;) {
        const running = [...jobs.values()].map((j) => j.running).filter((r) => r !== undefined);
        if (running.length === 0) return;
        await Promise.all(running);
      }
    },
    status() {
      const all = [...jobs.values()];
      return {
        pending: all.filter((j) => j.wanted.version > j.published).length,
        failing: all
          .filter((j) => j.failingSince !== undefined)
          .map((j) => ({
            target: j.target.name,
            key: j.key,
            version: j.wanted.version,
            since: j.failingSince!,
            attempts: j.attempts,
            error: j.lastError ?? '',
          })),
      };
    },
    async close() {
      unsubscribe?.();
      // Writes in flight (and the newer versions they pick up) finish; retries waiting are given up.
      for (const job of jobs.values()) if (job.timer !== undefined) clearTimeout(job.timer);
      await this.idle();
      closed = true;
      for (const target of options.targets) await target.close();
    },
  };
}
