import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Paths that belong to the API (and other machine endpoints): never answered with the dashboard. */
const NOT_DASHBOARD = /^\/(api|ofrep)(\/|$)/;

export interface DashboardOptions {
  /** The built dashboard (`packages/dashboard/dist`); default: found through `@vexil/dashboard`. */
  readonly dir?: string | undefined;
}

/** Where `@vexil/dashboard`'s build lives, if the package is installed. */
export function defaultDashboardDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@vexil/dashboard/package.json');
    return join(dirname(pkg), 'dist');
  } catch {
    return undefined;
  }
}

/**
 * Serves the dashboard (a single-page app) at `/`: its files, and `index.html` for any other
 * path that is not the API's, so client-side routes survive a reload. Hashed assets are
 * cached for a year; `index.html` is revalidated. Without a build, `/` answers with a page
 * that says how to make one. Routes are hidden from the OpenAPI document and need no key.
 */
export function dashboardRoutes(app: FastifyInstance, options: DashboardOptions = {}): void {
  const dir = resolve(options.dir ?? defaultDashboardDir() ?? join(process.cwd(), 'packages/dashboard/dist'));
  app.register(async (scope) => {
    // `root` must exist when registering; the build may appear later, so each file is sent
    // from `dir` explicitly.
    await scope.register(fastifyStatic, { root: dirname(dir), serve: false });
    scope.route({
      method: 'GET',
      url: '/*',
      config: { access: 'public' },
      schema: { hide: true },
      handler: (request, reply) => {
        const path = request.url.split('?')[0] ?? '/';
        if (NOT_DASHBOARD.test(path)) return reply.callNotFound();
        if (!existsSync(join(dir, 'index.html'))) return notBuilt(reply, dir);
        const file = fileIn(dir, (request.params as { '*'?: string })['*'] ?? '');
        if (file !== undefined) {
          const immutable = file.startsWith(`assets${sep}`) || file.startsWith('assets/');
          return reply.sendFile(file, dir, immutable ? { maxAge: '365d', immutable: true } : { maxAge: 0 });
        }
        // A missing build file is a 404; anything else is a client-side route (flag keys may
        // hold dots, so `/projects/shop/flags/checkout.v2` is a page, not a file).
        if (path.startsWith('/assets/') || path === '/favicon.ico') return reply.callNotFound();
        reply.header('cache-control', 'no-cache');
        return reply.sendFile('index.html', dir, { maxAge: 0, cacheControl: false });
      },
    });
  });
}

/** The relative path of an existing file under `dir`, or undefined (traversal is refused). */
function fileIn(dir: string, requested: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requested);
  } catch {
    return undefined;
  }
  const relative = posix.normalize(`/${decoded}`).slice(1);
  if (relative === '' || relative.split('/').some((part) => part.startsWith('.'))) return undefined;
  const full = resolve(dir, relative);
  if (!full.startsWith(dir + sep)) return undefined;
  try {
    return statSync(full).isFile() ? relative : undefined;
  } catch {
    return undefined;
  }
}

function notBuilt(reply: FastifyReply, dir: string) {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vexil — dashboard not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#111827}
code,pre{background:#f3f4f6;border-radius:4px;padding:.1em .3em}pre{padding:.75rem}</style></head>
<body><h1>The Vexil dashboard is not built yet</h1>
<p>The server is running and its API answers at <a href="/api/v1/projects"><code>/api/v1</code></a>
(documentation at <a href="/docs"><code>/docs</code></a>), but the dashboard's files are missing from
<code>${escapeHtml(dir)}</code>.</p>
<p>Build them from the repository root, then reload this page:</p>
<pre>npm run build -w @vexil/dashboard</pre>
<p><code>npm start</code> builds the dashboard first when it is missing or out of date.</p>
</body></html>`;
  return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
