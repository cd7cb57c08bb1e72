import { SDK_CORS_HEADERS } from '../../delivery/delivery.js';
import type { App } from './app-type.js';

const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers':
    'Authorization, Content-Type, If-None-Match, Last-Event-ID, Cache-Control, X-Request-Id, X-API-Key',
  'access-control-max-age': '86400',
};

/** The routes browsers call: the SDK's (snapshot, stream, signing keys, events) and OFREP's. */
const BROWSER_ROUTES = ['/api/v1/sdk/*', '/ofrep/v1/*', '/api/v1/events'];

function isBrowserRoute(url: string | undefined): boolean {
  return (
    url !== undefined &&
    (url.startsWith('/api/v1/sdk/') || url.startsWith('/ofrep/v1/') || url === '/api/v1/events')
  );
}

/**
 * CORS for the routes browsers call: keys are bearer tokens and never cookies, so any
 * origin may call. Preflights are hidden from the route table and the API document.
 * Every answer of these routes carries the CORS headers, errors included: without them a
 * browser hides a 401 or a 429 from the SDK, which then takes it for a network failure.
 */
export function sdkCorsRoutes(app: App): void {
  for (const url of BROWSER_ROUTES) {
    app.options(url, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.code(204).headers(PREFLIGHT_HEADERS).send(),
    );
  }
  // A callback hook, not an async one: it runs on every answer, and a promise each time costs.
  app.addHook('onSend', (request, reply, _payload, done) => {
    if (isBrowserRoute(request.routeOptions.url)) reply.headers(SDK_CORS_HEADERS);
    done();
  });
}
