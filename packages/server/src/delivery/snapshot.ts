import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import {
  type Flag,
  type FlagSet,
  type FlagSetDefinition,
  FORMAT_VERSION,
  parseFlagSet,
  type Segment,
  SIGNED_FLAG_SET_FORMAT,
  type WeightTable,
} from '@vexil/core';
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

/** A flag or segment of a snapshot: its key, its value, and its serialized form. */
export interface SnapshotItem<T> {
  readonly key: string;
  readonly value: T;
  readonly part: Part;
}

/** What identifies a snapshot: the fields of its flag set besides the flags and segments. */
export interface SnapshotHead {
  readonly project: string;
  readonly environment: string;
  readonly scope: FlagSetScope;
  readonly version: number;
  readonly generatedAt: string;
}

/**
 * The implementation, made of per-flag parts that the previous snapshot shares: building
 * one costs an array of references. The body and the definition object are put together
 * on first use (a snapshot that no request asks for is never assembled).
 */
export class BuiltSnapshot implements Snapshot {
  readonly project: string;
  readonly environment: string;
  readonly scope: FlagSetScope;
  readonly version: number;
  readonly generatedAt: string;
  readonly etag: string;
  readonly timeDependent: boolean;
  private assembled: Buffer | undefined;
  private defined: FlagSetDefinition | undefined;
  private compiled: FlagSet | undefined;
  private readonly encodings = new Map<ContentEncoding, Promise<Buffer>>();
  private readonly ready = new Map<ContentEncoding, Buffer>();
  private signedEnvelope: Buffer | undefined;

  constructor(
    head: SnapshotHead,
    /** The flags, by key in code-unit order. */
    readonly flagItems: readonly SnapshotItem<Flag>[],
    /** The segments, by key in code-unit order. */
    readonly segmentItems: readonly SnapshotItem<Segment>[],
    private readonly keys: SigningKeys,
    /** The weight tables the flags use, by key; undefined when they use none (no `subjectWeights`). */
    readonly tableItems?: readonly SnapshotItem<WeightTable>[] | undefined,
  ) {
    this.project = head.project;
    this.environment = head.environment;
    this.scope = head.scope;
    this.version = head.version;
    this.generatedAt = head.generatedAt;
    this.etag = `"${this.scope}-${this.version}"`;
    this.timeDependent =
      flagItems.some((i) => i.part.timeDependent) || segmentItems.some((i) => i.part.timeDependent);
  }

  get body(): Buffer {
    this.assembled ??= assembleBody(this.head(), this.flagItems, this.segmentItems, this.tableItems);
    return this.assembled;
  }

  get definition(): FlagSetDefinition {
    if (this.defined === undefined) {
      const segments: Record<string, Segment> = {};
      for (const item of this.segmentItems) segments[item.key] = item.value;
      const flags: Record<string, Flag> = {};
      for (const item of this.flagItems) flags[item.key] = item.value;
      if (this.tableItems === undefined) this.defined = { ...this.head(), segments, flags };
      else {
        const subjectWeights: Record<string, WeightTable> = {};
        for (const item of this.tableItems) subjectWeights[item.key] = item.value;
        this.defined = { ...this.head(), segments, subjectWeights, flags };
      }
    }
    return this.defined;
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

  /** The flag set's fields besides flags and segments, in the order the format writes them. */
  private head(): Omit<FlagSetDefinition, 'flags' | 'segments'> {
    return {
      formatVersion: FORMAT_VERSION,
      project: this.project,
      environment: this.environment,
      scope: this.scope,
      version: this.version,
      generatedAt: this.generatedAt,
    };
  }
}

/** The flag set's JSON as UTF-8, assembled from the parts (each serialized once). */
function assembleBody(
  head: object,
  flags: readonly SnapshotItem<unknown>[],
  segments: readonly SnapshotItem<unknown>[],
  tables: readonly SnapshotItem<unknown>[] | undefined,
): Buffer {
  const chunks: Buffer[] = [Buffer.from(`${JSON.stringify(head).slice(0, -1)},"segments":{`, 'utf8')];
  const add = (items: readonly SnapshotItem<unknown>[]) => {
    for (let i = 0; i < items.length; i++) {
      if (i > 0) chunks.push(COMMA);
      chunks.push(items[i]!.part.bytes);
    }
  };
  add(segments);
  if (tables !== undefined) {
    chunks.push(TABLES);
    add(tables);
  }
  chunks.push(FLAGS);
  add(flags);
  chunks.push(END);
  return Buffer.concat(chunks);
}

const COMMA = Buffer.from(',');
const TABLES = Buffer.from('},"subjectWeights":{');
const FLAGS = Buffer.from('},"flags":{');
const END = Buffer.from('}}');

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
