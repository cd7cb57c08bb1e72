import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import { type FlagSet, type FlagSetDefinition, parseFlagSet, SIGNED_FLAG_SET_FORMAT } from '@vexil/core';
import type { FlagSetScope } from '../services/flag-sets/build-flag-set.js';
import type { SigningKeys } from './signing/signing-keys.js';

/** Encodings a snapshot body is kept in besides identity. */
export type ContentEncoding = 'gzip' | 'br';

/**
 * One environment's flag set for one scope at one version, as SDKs get it. Immutable:
 * a change builds a new snapshot and swaps it in. Everything a request needs is computed
 * once per snapshot, never per request.
 */
export interface Snapshot {
  readonly project: string;
  readonly environment: string;
  readonly scope: FlagSetScope;
  readonly version: number;
  readonly generatedAt: string;
  /** The flag set in the core's format (treat as read-only). */
  readonly definition: FlagSetDefinition;
  /** The JSON body of `GET /api/v1/sdk/snapshot`. */
  readonly body: Buffer;
  /** `"<scope>-<version>"`, quotes included. */
  readonly etag: string;
  /** Whether evaluations may change with time alone (ramps, schedules, experiments, time conditions). */
  readonly timeDependent: boolean;
  /**
   * The core's compiled flag set, for server-side evaluation (OFREP); compiled on first use.
   * @throws FlagSetParseError if the stored flags are not a valid flag set (a bug, logged by the caller)
   */
  readonly flagSet: FlagSet;
  /** The body compressed with `encoding`, when it is ready (see `encode`). */
  encoded(encoding: ContentEncoding): Buffer | undefined;
  /** The body compressed with `encoding`: compressed once, then served from memory. */
  encode(encoding: ContentEncoding): Promise<Buffer>;
  /** The signed envelope (`vexil-signed-flagset/1`) as JSON, signed once with the current key. */
  readonly envelope: Buffer;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** One flag or segment, serialized once: its JSON, and `"key":json` as UTF-8 for the body. */
export interface Part {
  readonly json: string;
  readonly bytes: Buffer;
  /** Whether it mentions anything time-based (ramps, schedules, experiments, time operators, `$now`). */
  readonly timeDependent: boolean;
}

/** The implementation, with the per-flag JSON that patches and the next snapshot reuse. */
export class BuiltSnapshot implements Snapshot {
  readonly project: string;
  readonly environment: string;
  readonly scope: FlagSetScope;
  readonly version: number;
  readonly generatedAt: string;
  readonly body: Buffer;
  readonly etag: string;
  readonly timeDependent: boolean;
  private compiled: FlagSet | undefined;
  private readonly encodings = new Map<ContentEncoding, Promise<Buffer>>();
  private readonly ready = new Map<ContentEncoding, Buffer>();
  private signedEnvelope: Buffer | undefined;

  constructor(
    readonly definition: FlagSetDefinition,
    /** Each flag, serialized, by key. */
    readonly flagParts: ReadonlyMap<string, Part>,
    /** Each segment, serialized, by key. */
    readonly segmentParts: ReadonlyMap<string, Part>,
    private readonly keys: SigningKeys,
  ) {
    this.project = definition.project ?? '';
    this.environment = definition.environment ?? '';
    this.scope = definition.scope === 'client' ? 'client' : 'server';
    this.version = definition.version ?? 0;
    this.generatedAt = definition.generatedAt ?? '';
    this.body = assembleBody(definition, flagParts, segmentParts);
    this.etag = `"${this.scope}-${this.version}"`;
    this.timeDependent =
      some(flagParts, (p) => p.timeDependent) || some(segmentParts, (p) => p.timeDependent);
  }

  get flagSet(): FlagSet {
    this.compiled ??= parseFlagSet(this.definition);
    return this.compiled;
  }

  encoded(encoding: ContentEncoding): Buffer | undefined {
    return this.ready.get(encoding);
  }

  encode(encoding: ContentEncoding): Promise<Buffer> {
    let promise = this.encodings.get(encoding);
    if (promise === undefined) {
      promise = compress(this.body, encoding).then((buffer) => {
        this.ready.set(encoding, buffer);
        return buffer;
      });
      promise.catch(() => this.encodings.delete(encoding));
      this.encodings.set(encoding, promise);
    }
    return promise;
  }

  /** Encodings some request asked this snapshot for (the next snapshot prepares them ahead). */
  get requestedEncodings(): ContentEncoding[] {
    return [...this.encodings.keys()];
  }

  get envelope(): Buffer {
    if (this.signedEnvelope === undefined) {
      const { keyId, signature } = this.keys.sign(this.body);
      this.signedEnvelope = Buffer.from(
        JSON.stringify({
          format: SIGNED_FLAG_SET_FORMAT,
          keyId,
          algorithm: 'Ed25519',
          signature,
          payload: this.body.toString('utf8'),
        }),
        'utf8',
      );
    }
    return this.signedEnvelope;
  }
}

/** The flag set's JSON as UTF-8, assembled from the parts (each serialized once). */
function assembleBody(
  definition: FlagSetDefinition,
  flagParts: ReadonlyMap<string, Part>,
  segmentParts: ReadonlyMap<string, Part>,
): Buffer {
  const { flags: _flags, segments: _segments, ...head } = definition;
  const chunks: Buffer[] = [Buffer.from(`${JSON.stringify(head).slice(0, -1)},"segments":{`, 'utf8')];
  let first = true;
  for (const part of segmentParts.values()) {
    if (!first) chunks.push(COMMA);
    chunks.push(part.bytes);
    first = false;
  }
  chunks.push(BETWEEN);
  first = true;
  for (const part of flagParts.values()) {
    if (!first) chunks.push(COMMA);
    chunks.push(part.bytes);
    first = false;
  }
  chunks.push(END);
  return Buffer.concat(chunks);
}

const COMMA = Buffer.from(',');
const BETWEEN = Buffer.from('},"flags":{');
const END = Buffer.from('}}');

function some<T>(map: ReadonlyMap<string, T>, test: (value: T) => boolean): boolean {
  for (const value of map.values()) if (test(value)) return true;
  return false;
}

function compress(body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(body, { level: 9 });
  return brotliAsync(body, {
    params: {
      [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
      [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}
