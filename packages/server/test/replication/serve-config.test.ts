import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { resolveServeConfig } from '../../src/server/config.js';

describe('vexil serve options for events, replicas and publishing', () => {
  it('reads VEXIL_* variables and lets flags win over them', () => {
    const env = {
      VEXIL_REDIS: 'redis://127.0.0.1:6379/2',
      VEXIL_REDIS_PREFIX: 'prod:',
      VEXIL_CATCH_UP: '10',
      VEXIL_EVENTS_FILE: '/var/log/vexil/events.ndjson',
      VEXIL_EVENT_QUEUE: '5000',
      VEXIL_PUBLISH_DIR: '/srv/flags',
      VEXIL_PUBLISH_S3: 'flags',
      VEXIL_PUBLISH_S3_ENDPOINT: 'http://127.0.0.1:9000',
      VEXIL_PUBLISH_S3_PATH_STYLE: 'true',
      VEXIL_PUBLISH_S3_ACCESS_KEY_ID: 'id',
      VEXIL_PUBLISH_S3_SECRET_ACCESS_KEY: 'secret',
      VEXIL_PUBLISH_PREFIX: '',
      VEXIL_PUBLISH_SCOPES: 'client',
    };
    expect(resolveServeConfig({}, env)).toMatchObject({
      replication: { redis: 'redis://127.0.0.1:6379/2', redisPrefix: 'prod:', catchUpSeconds: 10 },
      events: { file: '/var/log/vexil/events.ndjson', queueSize: 5000 },
      publishing: {
        dir: '/srv/flags',
        prefix: '',
        scopes: ['client'],
        s3: {
          bucket: 'flags',
          endpoint: 'http://127.0.0.1:9000',
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
        },
      },
    });
    const flags = {
      redis: 'rediss://cache:6380',
      catchUp: '0',
      eventQueue: '2000',
      publishS3: 'other',
      publishS3Region: 'eu-west-1',
      publishS3PathStyle: false,
      publishPrefix: 'x/{project}/',
      publishScopes: 'server,client',
    };
    expect(resolveServeConfig(flags, env)).toMatchObject({
      replication: { redis: 'rediss://cache:6380', catchUpSeconds: 0 },
      events: { queueSize: 2000 },
      publishing: {
        prefix: 'x/{project}/',
        scopes: ['server', 'client'],
        s3: { bucket: 'other', region: 'eu-west-1', forcePathStyle: false },
      },
    });
  });

  it('names every bad value', () => {
    const env = {
      VEXIL_REDIS: 'http://not-redis',
      VEXIL_CATCH_UP: 'often',
      VEXIL_EVENT_QUEUE: '10',
      VEXIL_PUBLISH_S3: 'flags',
      VEXIL_PUBLISH_S3_ENDPOINT: 'somewhere',
      VEXIL_PUBLISH_S3_PATH_STYLE: 'maybe',
      VEXIL_PUBLISH_S3_ACCESS_KEY_ID: 'only-the-id',
      VEXIL_PUBLISH_SCOPES: 'everything',
    };
    let error: unknown;
    try {
      resolveServeConfig({}, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'VEXIL_CATCH_UP',
      'VEXIL_EVENT_QUEUE',
      'VEXIL_PUBLISH_S3_ENDPOINT',
      'VEXIL_PUBLISH_S3_PATH_STYLE',
      'VEXIL_PUBLISH_S3_SECRET_ACCESS_KEY',
      'VEXIL_PUBLISH_SCOPES',
      'VEXIL_REDIS',
    ]);
    const fromFlag = () => resolveServeConfig({ redis: 'nope', publishScopes: 'all' }, {});
    expect(fromFlag).toThrow(ValidationError);
    try {
      fromFlag();
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => i.path)).toEqual(['--redis', '--publish-scopes']);
    }
  });
});
