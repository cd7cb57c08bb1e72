import type { S3Client } from '@aws-sdk/client-s3';
import type { PublishedFile, PublishTarget } from './publish-target.js';

export interface S3TargetOptions {
  readonly bucket: string;
  /** `http://127.0.0.1:9000` for MinIO, s3rver, R2 …; default: AWS S3 of `region`. */
  readonly endpoint?: string | undefined;
  /** Default `us-east-1`. */
  readonly region?: string | undefined;
  /** Address the bucket as `endpoint/bucket/key` (most S3-compatible servers want it). */
  readonly forcePathStyle?: boolean | undefined;
  /** Default: the AWS SDK's chain (`AWS_ACCESS_KEY_ID`, profiles, instance roles …). */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /** `Cache-Control` of the files (default `no-cache`: caches revalidate with the ETag). */
  readonly cacheControl?: string | undefined;
}

/** Object metadata that carries the flag set's version. */
const VERSION_META = 'vexil-version';

/**
 * Publishes flag files to an S3-compatible bucket. A PUT replaces an object atomically
 * for readers. The AWS SDK is loaded on first use, so a server that doesn't publish to S3
 * never loads it.
 * @example
 * createS3Target({ bucket: 'flags', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
 */
export function createS3Target(options: S3TargetOptions): PublishTarget {
  let client: Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> | undefined;
  const connect = () => {
    client ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        region: options.region ?? 'us-east-1',
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        forcePathStyle: options.forcePathStyle ?? false,
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        // Checksums only where S3 requires them: S3-compatible servers otherwise store the
        // streamed aws-chunked body as it is (corrupted).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 1, // the publisher retries with its own backoff
        requestHandler: { connectionTimeout: 5000, requestTimeout: 15_000 },
      }),
    }));
    return client;
  };
  return {
    name: `s3://${options.bucket}`,
    async versionOf(key) {
      const { s3, sdk } = await connect();
      try {
        const head = await s3.send(new sdk.HeadObjectCommand({ Bucket: options.bucket, Key: key }));
        const version = Number(head.Metadata?.[VERSION_META]);
        return Number.isSafeInteger(version) ? version : undefined;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404) return undefined;
        throw error;
      }
    },
    async write(file: PublishedFile) {
      const { s3, sdk } = await connect();
      await s3.send(
        new sdk.PutObjectCommand({
          Bucket: options.bucket,
          Key: file.key,
          Body: file.body,
          ContentType: 'application/json',
          CacheControl: options.cacheControl ?? 'no-cache',
          Metadata: { [VERSION_META]: String(file.version) },
        }),
      );
    },
    async close() {
      if (client !== undefined) (await client).s3.destroy();
    },
  };
}
