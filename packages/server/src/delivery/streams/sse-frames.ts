import type { Snapshot } from '../snapshot.js';
import type { PatchRecord } from '../snapshot-patch.js';

/** One Server-Sent Event; `data` must hold no line breaks (JSON text never does). */
export function sseFrame(event: string, data: string, id?: number): Buffer {
  return Buffer.from(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`, 'utf8');
}

export function retryFrame(ms: number): Buffer {
  return Buffer.from(`retry: ${Math.round(ms)}\n\n`, 'utf8');
}

const snapshotFrames = new WeakMap<Snapshot, Buffer>();
const patchFrames = new WeakMap<PatchRecord, Buffer>();

/** The `snapshot` event of a snapshot, built once and shared by every stream that needs it. */
export function snapshotFrame(snapshot: Snapshot): Buffer {
  let frame = snapshotFrames.get(snapshot);
  if (frame === undefined) {
    frame = Buffer.concat([
      Buffer.from(`id: ${snapshot.version}\nevent: snapshot\ndata: `, 'utf8'),
      snapshot.body,
      Buffer.from('\n\n', 'utf8'),
    ]);
    snapshotFrames.set(snapshot, frame);
  }
  return frame;
}

/** The `patch` event of a patch, built once. */
export function patchFrame(record: PatchRecord): Buffer {
  let frame = patchFrames.get(record);
  if (frame === undefined) {
    frame = sseFrame('patch', record.json, record.version);
    patchFrames.set(record, frame);
  }
  return frame;
}

/** OFREP's change notification (ADR-0008): `event: message`, `data.type` `refetchEvaluation`. */
export function refetchFrame(version: number, etag: string, lastModifiedSeconds: number): Buffer {
  return sseFrame(
    'message',
    JSON.stringify({ type: 'refetchEvaluation', etag, lastModified: lastModifiedSeconds }),
    version,
  );
}

/** A comment line: keeps proxies from closing an idle stream; EventSource ignores it. */
export const COMMENT_HEARTBEAT = Buffer.from(': heartbeat\n\n', 'utf8');
