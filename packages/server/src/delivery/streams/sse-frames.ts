import type { Snapshot } from '../snapshot.js';
import type { SnapshotPatch } from '../snapshot-patch.js';

/**
 * One Server-Sent Event, encoded once: its bytes as they go on the wire, and the same
 * bytes inside one HTTP/1.1 chunk (`<size>\r\n…\r\n`), so that a broadcast writes one
 * shared Buffer straight to each stream's socket.
 */
export class Frame {
  private framed: Buffer | undefined;

  constructor(readonly bytes: Buffer) {}

  /** The event as one chunk of a `Transfer-Encoding: chunked` body. */
  get chunk(): Buffer {
    if (this.framed === undefined) {
      const head = `${this.bytes.length.toString(16)}\r\n`;
      const framed = Buffer.allocUnsafe(head.length + this.bytes.length + 2);
      framed.write(head, 0, 'latin1');
      this.bytes.copy(framed, head.length);
      framed.write('\r\n', head.length + this.bytes.length, 'latin1');
      this.framed = framed;
    }
    return this.framed;
  }
}

/** One Server-Sent Event; `data` must hold no line breaks (JSON text never does). */
export function sseFrame(event: string, data: string, id?: number): Frame {
  return new Frame(
    Buffer.from(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`, 'utf8'),
  );
}

export function retryFrame(ms: number): Buffer {
  return Buffer.from(`retry: ${Math.round(ms)}\n\n`, 'utf8');
}

const snapshotFrames = new WeakMap<Snapshot, Frame>();
const patchFrames = new WeakMap<SnapshotPatch, Frame>();

/** The `snapshot` event of a snapshot, built once and shared by every stream that needs it. */
export function snapshotFrame(snapshot: Snapshot): Frame {
  let frame = snapshotFrames.get(snapshot);
  if (frame === undefined) {
    frame = new Frame(
      Buffer.concat([
        Buffer.from(`id: ${snapshot.version}\nevent: snapshot\ndata: `, 'utf8'),
        snapshot.body,
        Buffer.from('\n\n', 'utf8'),
      ]),
    );
    snapshotFrames.set(snapshot, frame);
  }
  return frame;
}

/** The `patch` event of a patch (its JSON text given), built once for the broadcast and for resumes. */
export function patchFrame(patch: SnapshotPatch, json: string): Frame {
  let frame = patchFrames.get(patch);
  if (frame === undefined) {
    frame = sseFrame('patch', json, patch.version);
    patchFrames.set(patch, frame);
  }
  return frame;
}

/** OFREP's change notification (ADR-0008): `event: message`, `data.type` `refetchEvaluation`. */
export function refetchFrame(version: number, etag: string, lastModifiedSeconds: number): Frame {
  return sseFrame(
    'message',
    JSON.stringify({ type: 'refetchEvaluation', etag, lastModified: lastModifiedSeconds }),
    version,
  );
}

/** A comment line: keeps proxies from closing an idle stream; EventSource ignores it. */
export const COMMENT_HEARTBEAT = new Frame(Buffer.from(': heartbeat\n\n', 'utf8'));
