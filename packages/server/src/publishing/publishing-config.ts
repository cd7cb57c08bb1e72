import { Option } from 'commander';
import type { Issue } from '../errors/index.js';
import { switchOf, textOf, urlOf } from '../server/config-values.js';
import type { FlagSetScope } from '../services/flag-sets/build-flag-set.js';
import type { S3TargetOptions } from './s3-target.js';

/** Where `vexil serve` publishes flag files (nothing when neither is set). */
export interface PublishingConfig {
  readonly dir: string | undefined;
  readonly s3: S3TargetOptions | undefined;
  readonly prefix: string;
  readonly scopes: readonly FlagSetScope[];
}

export interface PublishingFlags {
  readonly publishDir?: string | undefined;
  readonly publishS3?: string | undefined;
  readonly publishS3Endpoint?: string | undefined;
  readonly publishS3Region?: string | undefined;
  readonly publishS3PathStyle?: boolean | undefined;
  readonly publishPrefix?: string | undefined;
  readonly publishScopes?: string | undefined;
}

export const PUBLISHING_DEFAULTS = {
  prefix: '{project}/',
  scopes: 'server,client',
  region: 'us-east-1',
} as const;

export function resolvePublishingConfig(
  flags: PublishingFlags,
  env: NodeJS.ProcessEnv,
  issues: Issue[],
): PublishingConfig {
  const bucket = textOf(
    { flag: flags.publishS3, flagName: '--publish-s3', envName: 'VEXIL_PUBLISH_S3' },
    env,
  );
  const endpoint = urlOf(
    {
      flag: flags.publishS3Endpoint,
      flagName: '--publish-s3-endpoint',
      envName: 'VEXIL_PUBLISH_S3_ENDPOINT',
    },
    env,
    issues,
    ['http:', 'https:'],
  );
  const region =
    textOf(
      { flag: flags.publishS3Region, flagName: '--publish-s3-region', envName: 'VEXIL_PUBLISH_S3_REGION' },
      env,
    ).value ?? PUBLISHING_DEFAULTS.region;
  const pathStyle = switchOf(
    {
      flag: flags.publishS3PathStyle,
      flagName: '--publish-s3-path-style',
      envName: 'VEXIL_PUBLISH_S3_PATH_STYLE',
    },
    env,
    issues,
  );
  const accessKeyId = textOf(
    { flag: undefined, flagName: '', envName: 'VEXIL_PUBLISH_S3_ACCESS_KEY_ID' },
    env,
  ).value;
  const secretAccessKey = textOf(
    { flag: undefined, flagName: '', envName: 'VEXIL_PUBLISH_S3_SECRET_ACCESS_KEY' },
    env,
  ).value;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    issues.push({
      path:
        accessKeyId === undefined ? 'VEXIL_PUBLISH_S3_ACCESS_KEY_ID' : 'VEXIL_PUBLISH_S3_SECRET_ACCESS_KEY',
      message: 'set both VEXIL_PUBLISH_S3_ACCESS_KEY_ID and VEXIL_PUBLISH_S3_SECRET_ACCESS_KEY, or neither',
    });
  }
  const scopesText = textOf(
    { flag: flags.publishScopes, flagName: '--publish-scopes', envName: 'VEXIL_PUBLISH_SCOPES' },
    env,
  );
  const scopes = (scopesText.value ?? PUBLISHING_DEFAULTS.scopes).split(',').map((s) => s.trim());
  if (scopes.length === 0 || scopes.some((s) => s !== 'server' && s !== 'client')) {
    issues.push({ path: scopesText.path, message: 'expected server, client or server,client' });
  }
  const s3: S3TargetOptions | undefined =
    bucket.value === undefined
      ? undefined
      : {
          bucket: bucket.value,
          endpoint,
          region,
          forcePathStyle: pathStyle ?? false,
          credentials:
            accessKeyId !== undefined && secretAccessKey !== undefined
              ? { accessKeyId, secretAccessKey }
              : undefined,
        };
  return {
    dir: textOf({ flag: flags.publishDir, flagName: '--publish-dir', envName: 'VEXIL_PUBLISH_DIR' }, env)
      .value,
    s3,
    prefix:
      typeof flags.publishPrefix === 'string'
        ? flags.publishPrefix
        : (env.VEXIL_PUBLISH_PREFIX ?? PUBLISHING_DEFAULTS.prefix),
    scopes: [...new Set(scopes)] as FlagSetScope[],
  };
}

/** The `vexil serve` options of bucket publishing. */
export function publishingOptions(): Option[] {
  return [
    new Option(
      '--publish-dir <path>',
      'write flags-{environment}-{scope}.json (signed) to this directory on every change (env: VEXIL_PUBLISH_DIR)',
    ),
    new Option('--publish-s3 <bucket>', 'and/or to this S3-compatible bucket (env: VEXIL_PUBLISH_S3)'),
    new Option(
      '--publish-s3-endpoint <url>',
      'the S3 endpoint, for MinIO, R2, Ceph … (env: VEXIL_PUBLISH_S3_ENDPOINT; default: AWS)',
    ),
    new Option(
      '--publish-s3-region <region>',
      `bucket region (env: VEXIL_PUBLISH_S3_REGION, default: ${PUBLISHING_DEFAULTS.region})`,
    ),
    new Option(
      '--publish-s3-path-style',
      'address the bucket as endpoint/bucket (env: VEXIL_PUBLISH_S3_PATH_STYLE)',
    ),
    new Option(
      '--publish-prefix <prefix>',
      `prefix of the files; {project} is the project key (env: VEXIL_PUBLISH_PREFIX, default: ${PUBLISHING_DEFAULTS.prefix})`,
    ),
    new Option(
      '--publish-scopes <scopes>',
      `server, client or server,client (env: VEXIL_PUBLISH_SCOPES, default: ${PUBLISHING_DEFAULTS.scopes})`,
    ),
  ];
}
