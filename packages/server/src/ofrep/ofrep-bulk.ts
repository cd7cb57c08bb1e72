import { createHash } from 'node:crypto';
import { type EvaluationContext, evaluateAll } from '@vexil/core';
import type { Snapshot } from '../delivery/snapshot.js';
import { ofrepJson } from './ofrep-result.js';

/** How long OFREP providers may leave the change stream idle before closing it (ADR-0008). */
export const INACTIVITY_DELAY_SEC = 120;

/** The bulk answer's JSON text and its ETag. */
export interface BulkAnswer {
  readonly etag: string;
  /** Undefined when the ETag was computed without evaluating (see `bulkEtag`). */
  readonly json: string | undefined;
}

/**
 * The ETag of a bulk evaluation without evaluating, when the snapshot's results can't
 * change with time alone: a digest of the version, the context and the stream URL.
 * Undefined when they can (ramps, schedules, time conditions): then the ETag is a digest
 * of the answer itself.
 */
export function bulkEtag(snapshot: Snapshot, contextJson: string, streamUri: string): string | undefined {
  if (snapshot.timeDependent) return undefined;
  return `"${digest(`${snapshot.scope}\n${snapshot.version}\n${streamUri}\n${contextJson}`)}"`;
}

/** Evaluates every flag of the snapshot for `context`: `{ flags, metadata, eventStreams }`. */
export function evaluateBulk(
  snapshot: Snapshot,
  context: EvaluationContext,
  streamUri: string,
  now: number,
): string {
  const results = evaluateAll(snapshot.flagSet, context, { now });
  const parts = new Array<string>(results.length);
  for (let i = 0; i < results.length; i++) parts[i] = ofrepJson(results[i]!);
  return `{"flags":[${parts.join(',')}],"metadata":{"version":${snapshot.version}},"eventStreams":[{"type":"sse","endpoint":{"requestUri":${JSON.stringify(streamUri)}},"inactivityDelaySec":${INACTIVITY_DELAY_SEC}}]}`;
}

/** A strong ETag for a time-dependent answer: a digest of its text. */
export function bodyEtag(json: string): string {
  return `"b${digest(json)}"`;
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 27);
}
