import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { startTestServer, vexil } from './run-vexil.js';

// Every test spawns vexil several times: slow on a loaded machine, hence the long timeout.
describe('vexil keys, exit codes and help against a real server', { timeout: 180_000 }, () => {
  let t: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });
  const run = (args: string[], env: Record<string, string> = {}) =>
    vexil(args, { env: { ...t.env, ...env } });

  it('creates, lists, rotates and revokes keys; a revoked key is refused with exit code 3', async () => {
    const created = await run([
      'keys',
      'create',
      '--kind',
      'server',
      '--env',
      'production',
      '--name',
      'checkout',
      '--json',
    ]);
    const { key, secret } = JSON.parse(created.stdout) as { key: { id: string }; secret: string };
    expect(secret).toMatch(/^vx_server_/);
    const admin = await run(['keys', 'create', '--kind', 'admin', '--name', 'ci', '--expires', '+90d']);
    expect(admin.stdout).toMatch(
      /^created admin key key_\w+ "ci" \(all projects\)\nthe secret .*\n {2}vx_admin_\S+\n$/,
    );
    const adminSecret = admin.stdout.trim().split('\n').at(-1)!.trim();

    const list = await run(['keys', 'list', '--kind', 'server', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        id: key.id,
        project: 'default',
        environment: 'production',
        status: 'active',
      }),
    ]);
    const table = await run(['keys', 'list']);
    expect(table.stdout).toMatch(
      new RegExp(`${key.id}\\s+server\\s+default/production\\s+checkout\\s+active`),
    );

    const rotated = await run(['keys', 'rotate', key.id, '--grace', '0', '--json']);
    const next = JSON.parse(rotated.stdout) as { key: { id: string }; previous: { status: string } };
    expect(next.previous.status).not.toBe('active');
    const revoked = await run(['keys', 'revoke', next.key.id]);
    expect(revoked.stdout).toBe(`revoked server key ${next.key.id} "checkout" (default/production)\n`);
    const all = JSON.parse((await run(['keys', 'list', '--all', '--json'])).stdout) as {
      id: string;
      status: string;
    }[];
    expect(all.find((k) => k.id === next.key.id)?.status).toBe('revoked');

    // the admin key made above works, and stops working once revoked
    expect((await run(['flags', 'list'], { VEXIL_TOKEN: adminSecret })).code).toBe(0);
    const adminId = (
      JSON.parse((await run(['keys', 'list', '--kind', 'admin', '--json'])).stdout) as {
        id: string;
        name: string;
      }[]
    ).find((k) => k.name === 'ci')!.id;
    expect((await run(['keys', 'revoke', adminId])).code).toBe(0);
    const refused = await run(['flags', 'list'], { VEXIL_TOKEN: adminSecret });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      'the API key is unknown, revoked or expired (UNAUTHENTICATED, HTTP 401)',
    );
  });

  it('exits with a distinct code for each kind of failure, printing the server’s error with its issue paths', async () => {
    await t.server.vexil.flags.create('default', 'taken', { type: 'boolean' });
    const closed = await closedPort();
    const [usage, badChoice, noToken, sdkKey, missing, invalid, conflict, unreachable] = await Promise.all([
      run(['flags', 'enable', 'taken']),
      run(['flags', 'create', 'x', '--type', 'colour']),
      run(['flags', 'list'], { VEXIL_TOKEN: '' }),
      t.server.vexil.keys
        .create({ kind: 'client', project: 'default', environment: 'production' })
        .then(({ secret }) => run(['flags', 'list', '--token', secret])),
      run(['flags', 'get', 'nope']),
      run(['flags', 'create', 'bad key!']),
      run(['flags', 'create', 'taken']),
      run(['flags', 'list', '--url', `http://127.0.0.1:${closed}`, '--timeout', '5']),
    ]);
    expect(usage).toMatchObject({ code: 2 });
    expect(usage.stderr).toContain("error: required option '-e, --env <environment>' not specified");
    expect(badChoice).toMatchObject({ code: 2 });
    expect(noToken).toMatchObject({ code: 3 });
    expect(noToken.stderr).toContain('hint: pass an admin key with --token or VEXIL_TOKEN');
    expect(sdkKey).toMatchObject({ code: 3 });
    expect(sdkKey.stderr).toContain('(FORBIDDEN, HTTP 403)');
    expect(missing).toMatchObject({
      code: 4,
      stderr: 'vexil: flag "nope" not found (NOT_FOUND, HTTP 404)\n',
    });
    expect(invalid).toMatchObject({ code: 5 });
    expect(invalid.stderr).toMatch(
      /^vexil: invalid request body \(VALIDATION_FAILED, HTTP 400\)\n {2}key: invalid key "bad key!"/,
    );
    expect(conflict).toMatchObject({ code: 6 });
    expect(conflict.stderr).toContain('ALREADY_EXISTS, HTTP 409');
    expect(unreachable).toMatchObject({ code: 7 });
    expect(unreachable.stderr).toContain(
      `vexil: cannot reach the Vexil server at http://127.0.0.1:${closed}: ECONNREFUSED`,
    );
  });

  it('answers --help for every command with exit code 0', async () => {
    const runs = await Promise.all([
      run(['--help']),
      run(['flags', '--help']),
      run(['rollout', '--help']),
      run(['keys', 'rotate', '--help']),
    ]);
    for (const r of runs) expect(r.code).toBe(0);
    expect(runs[0]!.stdout).toContain('Exit codes: 0 ok');
    expect(runs[2]!.stdout).toContain('--ramp <from..to>');
    const [bare, unknown] = await Promise.all([run([]), run(['flags', 'frobnicate'])]);
    expect(bare.code).toBe(2);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
  });

  it('gives every command a description, and every command that acts an example and the connection options', () => {
    const walk = (command: ReturnType<typeof buildProgram>, path: string[]): void => {
      const name = [...path, command.name()].join(' ');
      expect(command.description(), name).not.toBe('');
      if (command.commands.length === 0 && command.name() !== 'serve') {
        const help = command.helpInformation();
        expect(help, name).toContain('--url <url>');
        expect(help, name).toContain('--token <key>');
        const text = (command as unknown as { _afterHelpText?: string })._afterHelpText;
        expect(command.options.length + (text === undefined ? 0 : 1), name).toBeGreaterThan(0);
      }
      for (const sub of command.commands)
        walk(sub as ReturnType<typeof buildProgram>, [...path, command.name()]);
    };
    walk(buildProgram(), []);
  });
});

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
