import type { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Metrics } from '../../metrics/registry.js';
import type { FlagSetScope } from '../../services/flag-sets/build-flag-set.js';
import type { DeliveryLogger, SnapshotManager, SnapshotRemoval, SnapshotSwap } from '../snapshot-manager.js';
import {
  COMMENT_HEARTBEAT,
  type Frame,
  patchFrame,
  refetchFrame,
  retryFrame,
  snapshotFrame,
  sseFrame,
} from './sse-frames.js';

/** `sdk`: Vexil's stream (snapshot, patch, heartbeat); `ofrep`: OFREP change notifications. */
export type StreamKind = 'sdk' | 'ofrep';

/** Who a stream is for. */
export interface StreamSubscriber {
  readonly kind: StreamKind;
  readonly project: string;
  readonly environment: string;
  readonly scope: FlagSetScope;
  /** The API key it was opened with: closed when that key stops working. */
  readonly keyId: string;
  /** When the key expires (ISO), if ever. */
  readonly keyExpiresAt: string | null;
  /** `Last-Event-ID`: the version the client holds. */
  readonly lastEventId: number | undefined;
}

export interface StreamHubOptions {
  readonly snapshots: SnapshotManager;
  readonly metrics: Metrics;
  readonly logger: DeliveryLogger;
  /** Heartbeat period (default 15 s). */
  readonly heartbeatMs?: number | undefined;
  /** The `retry:` hint sent on connect (default 2 s); at shutdown clients get 1–3× this. */
  readonly retryMs?: number | undefined;
  /** A stream whose unsent data grows past this is dropped as too slow (default 8 MiB). */
  readonly maxBufferedBytes?: number | undefined;
  /** Whether a key still works (checked for open streams at every heartbeat). */
  readonly keyIsActive: (keyId: string) => Promise<boolean>;
  /** Extra headers on every stream response (CORS). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

interface Connection {
  readonly res: ServerResponse;
  readonly sub: StreamSubscriber;
  readonly expiresAtMs: number;
  /** The response's own socket, which events are written to directly (undefined: through `res`). */
  readonly socket: Socket | undefined;
  /** Whether the body is chunked (HTTP/1.1): events then go out as one chunk each. */
  readonly chunked: boolean;
  /** Which tick of the heartbeat cycle beats this stream. */
  readonly slot: number;
}

interface Group {
  readonly sdk: Set<Connection>;
  readonly ofrep: Set<Connection>;
}

/**
 * The open Server-Sent Events streams, grouped by environment and scope. Each change is
 * serialized once, framed once (as an HTTP/1.1 chunk), and that same Buffer written straight
 * to the socket of every stream of its group: one write call per stream, no per-stream
 * encoding, corking or callbacks. Heartbeats go out on one timer for all streams.
 */
export class StreamHub {
  private readonly groups = new Map<string, Group>();
  private readonly byKey = new Map<string, Set<Connection>>();
  private readonly heartbeatMs: number;
  private readonly retryMs: number;
  private readonly maxBuffered: number;
  private readonly unsubscribe: (() => void)[];
  private heartbeat: NodeJS.Timeout | undefined;
  /** Ticks so far, and streams opened so far (each stream's slot in the cycle). */
  private ticks = 0;
  private opened = 0;
  private closing = false;
  private sweeping = false;

  constructor(private readonly options: StreamHubOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.retryMs = options.retryMs ?? 2000;
    this.maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.unsubscribe = [
      options.snapshots.subscribe((swap) => this.onSwap(swap)),
      options.snapshots.onRemoved((removal) => this.onRemoved(removal)),
    ];
    // Heartbeats are spread over the period: each tick beats one slice of the streams, so a
    // change committed meanwhile never waits behind a heartbeat to every stream at once.
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs / HEARTBEAT_SLICES);
    this.heartbeat.unref();
  }

  /** Open streams. */
  get size(): number {
    let n = 0;
    for (const set of this.byKey.values()) n += set.size;
    return n;
  }

  /**
   * Takes over a response as an event stream: headers, the `retry` hint, then what the client
   * is missing (patches after `Last-Event-ID` when held, else the whole snapshot; for OFREP a
   * `refetchEvaluation` when the client is behind), then every change as it is committed.
   */
  open(
    req: IncomingMessage,
    res: ServerResponse,
    sub: StreamSubscriber,
    headers: Record<string, string> = {},
  ): void {
    const snapshot = this.options.snapshots.get(sub.project, sub.environment, sub.scope);
    if (snapshot === undefined || this.closing) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2', ...this.options.headers });
      res.end(
        '{"error":{"code":"STORE_UNAVAILABLE","message":"the server is not serving streams right now","issues":[]}}',
      );
      return;
    }
    // Not every socket is a TCP socket (tests inject requests without one).
    req.socket?.setNoDelay?.(true);
    req.socket?.setKeepAlive?.(true);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-vexil-version': String(snapshot.version),
      ...this.options.headers,
      ...headers,
    });
    res.write(retryFrame(this.retryMs));
    // Once the head is out, events bypass the response and go to its socket, already framed
    // as chunks (when the response has a real socket of its own; injected requests don't).
    const socket = res.socket instanceof Socket ? res.socket : undefined;
    const conn: Connection = {
      res,
      sub,
      expiresAtMs: sub.keyExpiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(sub.keyExpiresAt),
      socket,
      chunked: (res as { chunkedEncoding?: boolean }).chunkedEncoding === true,
      slot: this.opened++ % HEARTBEAT_SLICES,
    };
    if (sub.kind === 'sdk') {
      const patches =
        sub.lastEventId === undefined
          ? undefined
          : this.options.snapshots.patchesSince(sub.project, sub.environment, sub.scope, sub.lastEventId);
      if (patches === undefined) this.write(conn, snapshotFrame(snapshot));
      else for (const record of patches) this.write(conn, patchFrame(record.patch, record.json));
    } else if (sub.lastEventId !== undefined && sub.lastEventId < snapshot.version) {
      this.write(conn, refetchFrame(snapshot.version, snapshot.etag, lastModified(snapshot.generatedAt)));
    }
    this.add(conn);
    res.on('close', () => this.remove(conn));
  }

  /** Closes every stream opened with this key (revoked, or expired). Returns how many. */
  closeKey(keyId: string): number {
    const set = this.byKey.get(keyId);
    if (set === undefined) return 0;
    const conns = [...set];
    for (const conn of conns) this.end(conn, 'key');
    return conns.length;
  }

  /**
   * Stops taking streams and closes them all, each with a `retry` hint spread over 1–3×
   * the usual delay so that clients don't all come back at the same instant.
   */
  shutdown(): void {
    this.closing = true;
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const u of this.unsubscribe) u();
    for (const set of [...this.byKey.values()]) {
      for (const conn of [...set]) {
        if (!conn.res.destroyed) conn.res.write(retryFrame(this.retryMs * (1 + Math.random() * 2)));
        this.end(conn, 'shutdown');
      }
    }
  }

  private onSwap(swap: SnapshotSwap): void {
    const group = this.groups.get(groupKey(swap.project, swap.environment, swap.scope));
    if (group === undefined) return;
    if (group.sdk.size > 0) {
      const frame = patchFrame(swap.patch, swap.patchJson);
      for (const conn of group.sdk) this.write(conn, frame);
    }
    if (group.ofrep.size > 0 && !isEmpty(swap.patch)) {
      const frame = refetchFrame(swap.version, swap.snapshot.etag, lastModified(swap.snapshot.generatedAt));
      for (const conn of group.ofrep) this.write(conn, frame);
    }
    if (group.sdk.size + group.ofrep.size > 0)
      this.options.metrics.propagation.observe((performance.now() - swap.learnedAt) / 1000);
  }

  private onRemoved(removal: SnapshotRemoval): void {
    for (const scope of ['server', 'client'] as const) {
      const group = this.groups.get(groupKey(removal.project, removal.environment, scope));
      if (group === undefined) continue;
      for (const conn of [...group.sdk, ...group.ofrep]) this.end(conn, 'removed');
    }
  }

  /** Beats the streams of this tick's slice; once per period, checks the keys of open streams. */
  private beat(): void {
    const slot = this.ticks++ % HEARTBEAT_SLICES;
    for (const [key, group] of this.groups) {
      if (group.sdk.size > 0) {
        let frame: Frame | undefined;
        for (const conn of group.sdk) {
          if (conn.slot !== slot) continue;
          if (frame === undefined) {
            const [project, environment, scope] = key.split('\u0000') as [string, string, FlagSetScope];
            const version = this.options.snapshots.get(project, environment, scope)?.version ?? 0;
            frame = sseFrame('heartbeat', `{"version":${version}}`);
          }
          this.write(conn, frame);
        }
      }
      for (const conn of group.ofrep) if (conn.slot === slot) this.write(conn, COMMENT_HEARTBEAT);
    }
    if (slot === HEARTBEAT_SLICES - 1) void this.sweepKeys();
  }

  /** Closes streams whose key expired, or was revoked (here or on another server). */
  private async sweepKeys(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      for (const [keyId, set] of [...this.byKey]) {
        const expired = [...set].some((c) => c.expiresAtMs <= now);
        let active = !expired;
        if (active) {
          try {
            active = await this.options.keyIsActive(keyId);
          } catch {
            active = true; // the store is down: keep serving what we have
          }
        }
        if (!active) this.closeKey(keyId);
      }
    } finally {
      this.sweeping = false;
    }
  }

  private write(conn: Connection, frame: Frame): void {
    const socket = conn.socket;
    let buffered: number;
    if (socket !== undefined) {
      if (socket.destroyed || !socket.writable || conn.res.writableEnded) return;
      socket.write(conn.chunked ? frame.chunk : frame.bytes);
      buffered = socket.writableLength;
    } else {
      const res = conn.res;
      if (res.destroyed || res.writableEnded) return;
      res.write(frame.bytes);
      buffered = res.writableLength;
    }
    if (buffered > this.maxBuffered) {
      this.options.logger.warn(
        { keyId: conn.sub.keyId, buffered },
        'dropping a stream that does not keep up',
      );
      this.options.metrics.sseClosed.inc({ reason: 'slow' });
      conn.res.destroy();
    }
  }

  private end(conn: Connection, reason: string): void {
    this.options.metrics.sseClosed.inc({ reason });
    this.remove(conn);
    if (!conn.res.writableEnded) conn.res.end();
  }

  private add(conn: Connection): void {
    const { sub } = conn;
    const key = groupKey(sub.project, sub.environment, sub.scope);
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { sdk: new Set(), ofrep: new Set() };
      this.groups.set(key, group);
    }
    group[sub.kind].add(conn);
    let keyed = this.byKey.get(sub.keyId);
    if (keyed === undefined) {
      keyed = new Set();
      this.byKey.set(sub.keyId, keyed);
    }
    keyed.add(conn);
    this.options.metrics.sseConnections.inc({ kind: sub.kind, scope: sub.scope });
  }

  private remove(conn: Connection): void {
    const { sub } = conn;
    const key = groupKey(sub.project, sub.environment, sub.scope);
    const group = this.groups.get(key);
    if (group === undefined || !group[sub.kind].delete(conn)) return;
    if (group.sdk.size === 0 && group.ofrep.size === 0) this.groups.delete(key);
    const keyed = this.byKey.get(sub.keyId);
    keyed?.delete(conn);
    if (keyed?.size === 0) this.byKey.delete(sub.keyId);
    this.options.metrics.sseConnections.dec({ kind: sub.kind, scope: sub.scope });
  }
}

/** Ticks per heartbeat period: each stream is beaten on one of them. */
const HEARTBEAT_SLICES = 10;

function isEmpty(patch: SnapshotSwap['patch']): boolean {
  for (const _ in patch.flags) return false;
  for (const _ in patch.segments) return false;
  for (const _ in patch.subjectWeights ?? {}) return false;
  return true;
}

function groupKey(project: string, environment: string, scope: FlagSetScope): string {
  return `${project}\u0000${environment}\u0000${scope}`;
}

/** Unix seconds of an ISO time (OFREP's recommended `lastModified`). */
function lastModified(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}
