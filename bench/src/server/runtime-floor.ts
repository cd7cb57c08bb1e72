import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processRss } from './proc.js';

/** The repository root, where `fastify` resolves from. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Idle resident memory of the runtime under the server, in bytes. */
export interface RuntimeFloor {
  /** `node` running an empty timer: what any Node 20 server starts from. */
  readonly bareNode: number;
  /** A fastify 5 hello world (one route, default logger off) after answering one request. */
  readonly fastifyHello: number;
}

const BARE = 'setInterval(() => {}, 1 << 30); process.stdout.write("ready 0\\n");';
const HELLO = [
  "import Fastify from 'fastify';",
  'const app = Fastify();',
  "app.get('/', async () => ({ hello: 'world' }));",
  "await app.listen({ port: 0, host: '127.0.0.1' });",
  "process.stdout.write('ready ' + app.server.address().port + '\\n');",
].join('\n');

/**
 * Starts `script` with `NODE_ENV=production`, waits for its `ready <port>` line, asks the
 * port (if any) once, lets it settle for two seconds as the server's idle figure does, and
 * reads its RSS.
 */
async function idleRss(script: string, module: boolean): Promise<number> {
  const child = spawn(process.execPath, [...(module ? ['--input-type=module'] : []), '-e', script], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /ready (\d+)\n/.exec(out);
        if (match !== null) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`runtime floor probe exited with ${code}`)));
    });
    if (port > 0) await (await fetch(`http://127.0.0.1:${port}/`)).text();
    await new Promise((r) => setTimeout(r, 2000));
    return processRss(child.pid!);
  } finally {
    child.kill('SIGKILL');
  }
}

/** Measures the floor: bare Node, then a fastify hello world, one after the other. */
export async function measureRuntimeFloor(): Promise<RuntimeFloor> {
  return { bareNode: await idleRss(BARE, false), fastifyHello: await idleRss(HELLO, true) };
}
