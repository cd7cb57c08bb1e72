import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { parseSdkKeys } from '../../src/file-mode/sdk-keys.js';
import { type RunningFileServer, startFileServer } from '../../src/file-mode/start-file-server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { readEvents } from './sse.js';

const SERVER_KEY = 'vx_server_file_mode_test_server_key';
const CLIENT_KEY = 'vx_client_file_mode_test_client_key';

const FLAGS = `
flags:
  new-checkout:
    type: boolean
    enabled: true
    clientVisible: true
    defaultServe:
      rollout: { variants: { on: 25000, off: 75000 } }
  banner:
    type: string
    variants: { red: red, blue: blue }
    enabled: true
    defaultServe: { variant: red }
`;

describe('vexil serve --flags (file mode)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function start(text: string, keys = [SERVER_KEY, CLIENT_KEY], printed: string[] = []) {
    const dir = tempDir('vexil-file-mode-');
    cleanup.push(() => dir.remove());
    const file = join(dir.path, 'flags.yaml');
    writeFileSync(file, text);
    const server = await startFileServer(
      {
        file,
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        sdkKeys: parseSdkKeys(keys, undefined),
        debounceMs: 50,
        pollMs: 300,
      },
      (t) => printed.push(t),
    );
    cleanup.push(() => server.close());
    return { server, file, dir: dir.path };
  }
  const get = (s: RunningFileServer, path: string, key = SERVER_KEY) =>
    fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  /** Saves the file as editors do: a new file renamed over the old one. */
  const save = (file: string, text: string) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };

  it("serves the file's flags to snapshots and OFREP, client keys seeing only client-visible flags", async () => {
    const { server } = await start(FLAGS);
    const snapshot = (await (await get(server, '/api/v1/sdk/snapshot')).json()) as {
      flags: Record<string, unknown>;
      environment: string;
    };
    expect(Object.keys(snapshot.flags).sort()).toEqual(['banner', 'new-checkout']);
    expect(snapshot.environment).toBe('default');
    const client = (await (await get(server, '/api/v1/sdk/snapshot', CLIENT_KEY)).json()) as {
      flags: Record<string, unknown>;
    };
    expect(Object.keys(client.flags)).toEqual(['new-checkout']);
    const ofrep = await fetch(`${server.url}/ofrep/v1/evaluate/flags/banner`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ context: { targetingKey: 'u1' } }),
    });
    expect(await ofrep.json()).toMatchObject({ key: 'banner', value: 'red', variant: 'red' });
    expect((await get(server, '/api/v1/sdk/snapshot', 'vx_server_not_a_key_of_this_server')).status).toBe(
      401,
    );
  });

  it('reloads when the file changes: streams get a patch, snapshots a higher version', async () => {
    const { server, file } = await start(FLAGS);
    const stream = readEvents(await get(server, '/api/v1/sdk/stream'));
    cleanup.push(() => stream.close());
    const first = JSON.parse((await stream.next('snapshot')).data) as { version: number };
    save(file, FLAGS.replace('defaultServe: { variant: red }', 'defaultServe: { variant: blue }'));
    const patch = JSON.parse((await stream.next('patch')).data) as {
      version: number;
      previousVersion: number;
      flags: Record<string, { defaultServe?: unknown } | null>;
    };
    expect(patch.previousVersion).toBe(first.version);
    expect(patch.version).toBeGreaterThan(first.version);
    expect(Object.keys(patch.flags)).toEqual(['banner']);
    expect(patch.flags.banner?.defaultServe).toEqual({ variant: 'blue' });

    save(file, FLAGS.replace(/ {2}banner:[\s\S]*$/, ''));
    const removal = JSON.parse((await stream.next('patch')).data) as { flags: Record<string, unknown> };
    expect(removal.flags).toEqual({ banner: null });
    const snapshot = (await (await get(server, '/api/v1/sdk/snapshot')).json()) as {
      version: number;
      flags: Record<string, unknown>;
    };
    expect(Object.keys(snapshot.flags)).toEqual(['new-checkout']);
    expect(snapshot.version).toBeGreaterThan(patch.version);
  });

  it('keeps serving the last good flags after a bad edit, and takes the next good one', async () => {
    const { server, file } = await start(FLAGS);
    const before = await (await get(server, '/api/v1/sdk/snapshot')).text();
    for (const bad of [
      'flags: [unclosed',
      'flags:\n  x: { type: colour }\n',
      'flags:\n  x: { type: boolean, offVariant: nope }\n',
      `${'- '.repeat(5000)}x`,
      '',
    ]) {
      writeFileSync(file, bad);
      await server.reload();
      expect(await (await get(server, '/api/v1/sdk/snapshot')).text()).toBe(before);
    }
    writeFileSync(
      file,
      FLAGS.replace(
        'enabled: true\n    defaultServe: { variant: red }',
        'enabled: false\n    defaultServe: { variant: red }',
      ),
    );
    await server.reload();
    const after = (await (await get(server, '/api/v1/sdk/snapshot')).json()) as {
      flags: { banner: { enabled: boolean } };
    };
    expect(after.flags.banner.enabled).toBe(false);
  });

  it('answers the admin API with 403 READ_ONLY, accepts and drops SDK events, and writes nothing to disk', async () => {
    const { server, dir } = await start(FLAGS);
    const response = await fetch(`${server.url}/api/v1/projects/default/flags`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'x', type: 'boolean' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'READ_ONLY' } });
    expect(server.store.dialect).toBe('sqlite');
    const events = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batchId: 'file-mode-batch',
        events: [{ kind: 'track', time: new Date().toISOString(), name: 'purchase', contextKey: 'u1' }],
      }),
    });
    expect(events.status).toBe(202);
    expect(readdirSync(dir)).toEqual(['flags.yaml']);
  });

  it('serves several environments, each key bound to one, and makes and prints keys when none are given', async () => {
    const text = `
environment: staging
flags:
  beta:
    type: boolean
    enabled: false
    environments:
      production: { enabled: true, defaultServe: { variant: on } }
`;
    const { server } = await start(text, [
      `production:${SERVER_KEY}`,
      `staging:${CLIENT_KEY.replace('client', 'server')}`,
    ]);
    const prod = (await (await get(server, '/api/v1/sdk/snapshot')).json()) as {
      environment: string;
      flags: { beta: { enabled: boolean } };
    };
    expect(prod).toMatchObject({ environment: 'production', flags: { beta: { enabled: true } } });
    const staging = (await (
      await get(server, '/api/v1/sdk/snapshot', CLIENT_KEY.replace('client', 'server'))
    ).json()) as { environment: string; flags: { beta: { enabled: boolean } } };
    expect(staging).toMatchObject({ environment: 'staging', flags: { beta: { enabled: false } } });

    await expect(start(text, [SERVER_KEY])).rejects.toThrow(ValidationError);
    const printed: string[] = [];
    const generated = await start(FLAGS, [], printed);
    const secrets = [...new Set(printed.join('\n').match(/vx_(server|client)_[A-Za-z0-9_-]{32}/g) ?? [])];
    expect(secrets).toHaveLength(2);
    expect((await get(generated.server, '/api/v1/sdk/snapshot', secrets[0])).status).toBe(200);
  });

  it('refuses to start on an invalid file or a short key, naming every issue', async () => {
    const error = await start(
      'flags:\n  a: { type: colour }\n  b: { type: boolean, enabled: maybe }\n',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['flags.a.type', 'flags.b.enabled']);
    expect(() => parseSdkKeys(['short'], 'production:also-short')).toThrow(ValidationError);
  });
});
