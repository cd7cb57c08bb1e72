import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { resolveServeConfig } from '../../src/server/config.js';

describe('vexil serve configuration', () => {
  it('uses the defaults: ./vexil.db on port 4280, migrating SQLite', () => {
    expect(resolveServeConfig({}, {})).toEqual({
      db: './vexil.db',
      port: 4280,
      host: '0.0.0.0',
      readOnly: false,
      migrate: true,
      logLevel: 'info',
      adminToken: undefined,
      signing: {},
      events: { file: undefined, queueSize: 100_000 },
      replication: { redis: undefined, redisPrefix: 'vexil:', catchUpSeconds: 30 },
      publishing: { dir: undefined, s3: undefined, prefix: '{project}/', scopes: ['server', 'client'] },
    });
  });

  it('reads VEXIL_* variables, and lets flags win over them', () => {
    const env = {
      VEXIL_DB: 'postgres://db/vexil',
      VEXIL_PORT: '5000',
      VEXIL_READ_ONLY: 'yes',
      VEXIL_HOST: '127.0.0.1',
    };
    expect(resolveServeConfig({}, env)).toMatchObject({
      db: 'postgres://db/vexil',
      port: 5000,
      readOnly: true,
      migrate: false,
      host: '127.0.0.1',
    });
    expect(resolveServeConfig({ port: '6000', migrate: true, readOnly: false }, env)).toMatchObject({
      port: 6000,
      migrate: true,
      readOnly: false,
    });
    expect(resolveServeConfig({}, { VEXIL_MIGRATE: 'false' }).migrate).toBe(false);
  });

  it('names every bad value', () => {
    const error = (() => {
      try {
        resolveServeConfig(
          { port: '70000' },
          { VEXIL_READ_ONLY: 'perhaps', VEXIL_ADMIN_TOKEN: 'short', VEXIL_LOG_LEVEL: 'loud' },
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
      '--port',
      'VEXIL_READ_ONLY',
      'VEXIL_LOG_LEVEL',
      'VEXIL_ADMIN_TOKEN',
    ]);
  });
});
