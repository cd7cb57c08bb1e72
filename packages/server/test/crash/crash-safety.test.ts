import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Spawned, spawnServe } from '../cli/spawn.js';
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';
import { type AckedWrite, startWriteStream } from './write-stream.js';

const TOKEN = 'crash-test-admin-token-0123456789';
/** Acknowledged writes after which each round kills the server (writes still in flight). */
const KILL_AFTER = [15, 60, 140];

const kinds = (await postgresAvailable()) ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(kinds)('crash safety on %s: SIGKILL in the middle of acknowledged writes', (kind) => {
  const dir = tempDir('vexil-crash-');
  const schema = uniqueSchema('vexil_crash');
  const db = kind === 'sqlite' ? join(dir.path, 'vexil.db') : `${TEST_DATABASE_URL}?schema=${schema}`;
  const running: Spawned[] = [];
  afterAll(async () => {
    for (const p of running) {
      p.signal('SIGKILL');
      await p.exited;
    }
    dir.remove();
    if (kind === 'postgres') await dropSchema(schema);
  });

  async function start(): Promise<{ server: Spawned; url: string }> {
    const server = spawnServe(['--port', '0', '--host', '127.0.0.1', '--db', db, '--migrate'], {
      VEXIL_ADMIN_TOKEN: TOKEN,
    });
    running.push(server);
    const ready = await server.waitForLog('vexil ready', 90_000);
    return { server, url: ready.url as string };
  }

  async function missing(
    url: string,
    writes: readonly AckedWrite[],
  ): Promise<{ lost: AckedWrite[]; noAudit: AckedWrite[] }> {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const lost: AckedWrite[] = [];
    const noAudit: AckedWrite[] = [];
    const byKey = new Map<string, AckedWrite[]>();
    for (const w of writes) byKey.set(w.key, [...(byKey.get(w.key) ?? []), w]);
    for (const [key, own] of byKey) {
      const audit = (await (
        await fetch(`${url}/api/v1/audit?resourceKey=${key}&limit=1000`, { headers })
      ).json()) as {
        items: { action: string; version: number | null; project: string }[];
      };
      for (const w of own) {
        const version = await fetch(`${url}/api/v1/projects/default/flags/${key}/versions/${w.version}`, {
          headers,
        });
        if (version.status !== 200) lost.push(w);
        else {
          const entry = (await version.json()) as { action: string };
          if (entry.action !== w.action) lost.push(w);
        }
        if (
          !audit.items.some(
            (a) => a.action === w.action && a.version === w.version && a.project === 'default',
          )
        )
          noAudit.push(w);
      }
    }
    return { lost, noAudit };
  }

  let checkedFlags = 0;

  /** Changes whose history row and audit entry disagree (a change committed by halves), acknowledged or not. */
  async function halfDone(url: string): Promise<string[]> {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const flags: { key: string; version: number }[] = [];
    for (;;) {
      const page = (await (
        await fetch(`${url}/api/v1/projects/default/flags?text=crash-&limit=1000&offset=${flags.length}`, {
          headers,
        })
      ).json()) as { items: { key: string; version: number }[]; total: number };
      flags.push(...page.items);
      if (page.items.length === 0 || flags.length >= page.total) break;
    }
    checkedFlags = flags.length;
    const problems: string[] = [];
    for (const flag of flags) {
      const history = (await (
        await fetch(`${url}/api/v1/projects/default/flags/${flag.key}/versions?limit=1000`, { headers })
      ).json()) as {
        items: { version: number }[];
      };
      const audit = (await (
        await fetch(`${url}/api/v1/audit?resourceKey=${flag.key}&limit=1000`, { headers })
      ).json()) as {
        items: { version: number | null }[];
      };
      const versions = history.items.map((h) => h.version).sort((a, b) => a - b);
      const audited = audit.items.map((a) => a.version).sort((a, b) => (a ?? 0) - (b ?? 0));
      if (versions.join() !== audited.join() || versions.at(-1) !== flag.version) {
        problems.push(
          `${flag.key}: version ${flag.version}, history ${versions.join()}, audit ${audited.join()}`,
        );
      }
    }
    return problems;
  }

  it('keeps every acknowledged write, with its audit entry, across kills at several points', async () => {
    const all: AckedWrite[] = [];
    const figures: string[] = [];
    for (const [round, killAfter] of KILL_AFTER.entries()) {
      const { server, url } = await start();
      if (round > 0) {
        // what the previous rounds acknowledged is all there after the restart
        const check = await missing(url, all);
        expect(check.lost, 'acknowledged writes lost').toEqual([]);
        expect(check.noAudit, 'acknowledged writes without audit entry').toEqual([]);
      }
      const stream = startWriteStream({ url, token: TOKEN, round });
      await stream.waitFor(killAfter);
      server.signal('SIGKILL');
      const errors = await stream.stop();
      await server.exited;
      all.push(...stream.acked);
      figures.push(
        `round ${round + 1}: killed after ${stream.acked.length} acknowledged writes (${stream.sent()} requests sent, ${errors.length} cut off in flight by the kill)`,
      );
      expect(stream.acked.length).toBeGreaterThanOrEqual(killAfter);
    }
    const { server, url } = await start();
    const { lost, noAudit } = await missing(url, all);
    console.log(
      [
        `crash safety (${kind}): ${KILL_AFTER.length} SIGKILLs`,
        ...figures,
        `acknowledged ${all.length}, found ${all.length - lost.length} with history, ${all.length - noAudit.length} with audit entry, lost ${lost.length}`,
      ].join('\n'),
    );
    expect(lost).toEqual([]);
    expect(noAudit).toEqual([]);
    expect(await halfDone(url)).toEqual([]);
    console.log(`crash safety (${kind}): ${checkedFlags} flags checked, none committed by halves`);
    server.signal('SIGTERM');
    await server.exited;
  }, 600_000);
});
