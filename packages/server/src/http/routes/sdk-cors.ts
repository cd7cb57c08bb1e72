import type { App } from './app-type.js';

const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers':
    'Authorization, Content-Type, If-None-Match, Last-Event-ID, Cache-Control, X-Request-Id, X-API-Key',
  'access-control-max-age': '86400',
};

/**
 * CORS preflights for the routes browsers call (SDK snapshot and stream, OFREP): keys are
 * bearer tokens and never cookies, so any origin may call. Hidden from the route table
 * and the API document.
 */
export function sdkCorsRoutes(app: App): void {
  for (const url of ['/api/v1/sdk/*', '/ofrep/v1/*']) {
    app.options(url, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.code(204).headers(PREFLIGHT_HEADERS).send(),
    );
  }
}
