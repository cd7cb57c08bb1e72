/** One flag file to write: its name under the target and the signed envelope. */
export interface PublishedFile {
  /** `<prefix>flags-<environment>-<scope>.json` */
  readonly key: string;
  readonly body: Buffer;
  /** The flag set's version (kept beside the file so an older one never replaces a newer one). */
  readonly version: number;
}

/**
 * Where flag files are published: an S3-compatible bucket or a directory. Writes are
 * atomic for readers: a reader gets the old file or the new one, never a part.
 */
export interface PublishTarget {
  /** `s3://bucket/prefix` or `dir:/path`, for logs and metrics. */
  readonly name: string;
  /** The version of the file there now, or undefined when there is none (or it can't be told). */
  versionOf(key: string): Promise<number | undefined>;
  write(file: PublishedFile): Promise<void>;
  close(): Promise<void>;
}

/** The version inside a signed envelope's payload, or undefined. */
export function envelopeVersion(text: string): number | undefined {
  try {
    const envelope = JSON.parse(text) as { payload?: unknown };
    if (typeof envelope.payload !== 'string') return undefined;
    const version = (JSON.parse(envelope.payload) as { version?: unknown }).version;
    return typeof version === 'number' ? version : undefined;
  } catch {
    return undefined;
  }
}
