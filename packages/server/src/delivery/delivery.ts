import { NotFoundError } from '../errors/index.js';
import { createMetrics, type Metrics, onScrape } from '../metrics/registry.js';
import type { LifecycleEvent } from '../services/events.js';
import type { Vexil } from '../services/vexil.js';
import type { PatchLogLimits } from './patch-log.js';
import { SigningKeys, type SigningOptions } from './signing/signing-keys.js';
import { type DeliveryLogger, SnapshotManager } from './snapshot-manager.js';
import { StreamHub } from './streams/stream-hub.js';
import { StreamTokens } from './streams/stream-tokens.js';

export interface DeliveryOptions {
  readonly vexil: Vexil;
  /** pino's shape; default: silent. */
  readonly logger?: DeliveryLogger | undefined;
  /** The metrics to report to (default: a fresh set). */
  readonly metrics?: Metrics | undefined;
  /** Where the signing key comes from (default: the store keeps one). */
  readonly signing?: SigningOptions | undefined;
  /** A read-only server never writes (it signs with a key of its own if the store has none). */
  readonly readOnly?: boolean | undefined;
  /** Heartbeat period of streams (default 15 s). */
  readonly heartbeatMs?: number | undefined;
  /** The `retry:` hint of streams (default 2 s). */
  readonly retryMs?: number | undefined;
  /** Patches kept for stream resumes. */
  readonly patchLog?: PatchLogLimits | undefined;
  /** How often signing keys are re-read, to pick up another server's rotation (default 60 s). */
  readonly keyReloadMs?: number | undefined;
}

/** The delivery layer: snapshots, streams, signing keys, stream tokens and metrics, wired together. */
export interface Delivery {
  readonly snapshots: SnapshotManager;
  readonly streams: StreamHub;
  readonly signingKeys: SigningKeys;
  readonly streamTokens: StreamTokens;
  readonly metrics: Metrics;
  /** Loads the signing keys and every environment's snapshots, then follows changes. */
  start(): Promise<void>;
  /** Started, with every snapshot loaded. */
  readonly ready: boolean;
  /** Closes every stream with a retry hint and takes no more (the first step of a graceful shutdown). */
  shutdown(): void;
  /** Shuts down and stops every timer. */
  close(): void;
  /** Sends the delivery layer's log lines to `logger` from now on (e.g. the server's once it exists). */
  setLogger(logger: DeliveryLogger): void;
}

/** CORS headers of SDK and OFREP answers: keys are bearer tokens, never cookies, so any origin may call. */
export const SDK_CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, X-Vexil-Version, Retry-After, X-Request-Id',
};

/**
 * Creates the delivery layer on Vexil's services. `startServer` makes one; `createServer`
 * makes one when not given one.
 * @example
 * const delivery = createDelivery({ vexil, logger: app.log });
 * await delivery.start();
 * delivery.snapshots.get('shop', 'production', 'server')?.body;
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { vexil } = options;
  let target: DeliveryLogger = options.logger ?? { info() {}, warn() {}, error() {} };
  const logger: DeliveryLogger = {
    info: (obj, msg) => target.info(obj, msg),
    warn: (obj, msg) => target.warn(obj, msg),
    error: (obj, msg) => target.error(obj, msg),
  };
  const metrics = options.metrics ?? createMetrics();
  const signingKeys = new SigningKeys(vexil.store, {
    ...options.signing,
    readOnly: options.readOnly ?? false,
  });
  const snapshots = new SnapshotManager({ vexil, keys: signingKeys, logger, patchLog: options.patchLog });
  const streams = new StreamHub({
    snapshots,
    metrics,
    logger,
    heartbeatMs: options.heartbeatMs,
    retryMs: options.retryMs,
    headers: SDK_CORS_HEADERS,
    keyIsActive: async (id) => {
      try {
        return (await vexil.keys.get(id)).status === 'active';
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        throw error;
      }
    },
  });
  const streamTokens = new StreamTokens(signingKeys);
  const timers = new Set<NodeJS.Timeout>();
  const unsubscribe: (() => void)[] = [];
  let started = false;
  let closed = false;

  const onKeyEvent = (event: LifecycleEvent) => {
    if (event.action === 'apiKey.revoke') {
      streams.closeKey(event.key);
      return;
    }
    const expiresAt = (event.after as { expiresAt?: string | null } | null)?.expiresAt;
    if (typeof expiresAt !== 'string') return;
    const delay = Date.parse(expiresAt) - Date.now();
    if (delay <= 0) {
      streams.closeKey(event.key);
      return;
    }
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        streams.closeKey(event.key);
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    timer.unref();
    timers.add(timer);
  };

  unsubscribe.push(snapshots.subscribe(() => metrics.snapshotSwaps.inc()));
  onScrape(metrics.snapshotVersion, () => {
    metrics.snapshotVersion.reset();
    for (const e of snapshots.environments())
      metrics.snapshotVersion.set({ project: e.project, environment: e.environment }, e.version);
  });

  return {
    snapshots,
    streams,
    signingKeys,
    streamTokens,
    metrics,
    get ready() {
      return started && snapshots.loaded && !closed;
    },
    async start() {
      await signingKeys.load();
      unsubscribe.push(vexil.events.after(['apiKey.revoke', 'apiKey.rotate'], onKeyEvent));
      await snapshots.start();
      if (signingKeys.source === 'store') {
        const reload = setInterval(() => {
          signingKeys
            .load()
            .catch((error: unknown) => logger.warn({ err: error }, 'could not re-read the signing keys'));
        }, options.keyReloadMs ?? 60_000);
        reload.unref();
        timers.add(reload);
      }
      started = true;
    },
    setLogger(next) {
      target = next;
    },
    shutdown() {
      closed = true;
      streams.shutdown();
    },
    close() {
      this.shutdown();
      snapshots.close();
      for (const u of unsubscribe.splice(0)) u();
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
