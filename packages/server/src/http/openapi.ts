import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { VERSION } from '../version.js';
import type { App } from './routes/app-type.js';
import { registry } from './schemas.js';

const DOCS = '/docs';

/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas, at `/openapi.json`,
 * and a page to read it at `/docs` (Swagger UI, served from this server: nothing is fetched
 * from elsewhere). Both answer without a key.
 */
export async function installOpenApi(app: App): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.url === DOCS || route.url.startsWith(`${DOCS}/`))
      route.config = { ...route.config, access: 'public' };
    // Routes that also read `X-API-Key` (OFREP) say so, as OFREP's own document does.
    if (route.config?.apiKeyHeader === true && route.schema !== undefined)
      route.schema = { ...route.schema, security: [{ bearerAuth: [] }, { apiKeyAuth: [] }] };
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vexil API',
        version: VERSION,
        description:
          'The admin API of a Vexil server. Send `Authorization: Bearer <key>`: admin keys (`vx_admin_…`) for ' +
          'everything here; server and client keys only where a route says so. Errors are ' +
          '`{ "error": { "code", "message", "issues": [{ "path", "message" }] } }`, with `details` (data about ' +
          'the error) where a route says so.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'a Vexil API key' },
          apiKeyAuth: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description:
              'a Vexil API key (OFREP routes only; if Authorization is sent too, it must carry the same key)',
          },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: registry, skipList: ['/openapi.json'] }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: registry }),
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: DOCS,
    staticCSP: true,
    uiConfig: { deepLinking: true },
  });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
