import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use. */
export const TEST_REDIS_URL = process.env.VEXIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the test Redis answers. Under `CI=true` a missing Redis is a failure (this
 * throws); otherwise the caller skips its suite and says why.
 */
export async function redisAvailable(): Promise<boolean> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`Redis is required under CI=true but ${TEST_REDIS_URL} is not reachable`, {
        cause: error,
      });
    }
    console.warn(`Skipping Redis tests: ${TEST_REDIS_URL} is not reachable (${(error as Error).message}).`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** A channel prefix unique to this process and call. */
export function uniquePrefix(): string {
  return `vexil-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}
