import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createDelivery, type Delivery } from '../delivery/delivery.js';
import { ValidationError } from '../errors/index.js';
import type { EventPipeline } from '../events/event-pipeline.js';
import { installHttpMetrics } from '../metrics/http-metrics.js';
import type { Publisher } from '../publishing/publisher.js';
import { parseYaml } from '../services/io/parse-yaml.js';
import type { Vexil } from '../services/vexil.js';
import { type Access, installAccessControl } from './access.js';
import { installErrorHandling } from './errors.js';
import { jsonBodyParser, MAX_DEPTH, tooDeep, tooDeepError } from './json-body.js';
import { installOfrepFastPath } from './ofrep-fast-path.js';
import { installOpenApi } from './openapi.js';
import { lazyChildLogger } from './request-logger.js';
import type { App } from './routes/app-type.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { flagDetailRoutes } from './routes/flag-details.js';
import { flagEnvironmentRoutes } from './routes/flag-environments.js';
import { flagServeRoutes } from './routes/flag-serve.js';
import { flagRoutes } from './routes/flags.js';
import { healthRoutes } from './routes/health.js';
import { ioRoutes } from './routes/io.js';
import { keyRoutes } from './routes/keys.js';
import { ofrepEvaluateRoutes } from './routes/ofrep-evaluate.js';
import { ofrepEventRoutes } from './routes/ofrep-events.js';
import { projectRoutes } from './routes/projects.js';
import { sdkCorsRoutes } from './routes/sdk-cors.js';
import { sdkSigningKeyRoutes } from './routes/sdk-signing-keys.js';
import { sdkSnapshotRoutes } from './routes/sdk-snapshot.js';
import { sdkStreamRoutes } from './routes/sdk-stream.js';
import { segmentRoutes } from './routes/segments.js';
import { subjectWeightRoutes } from './routes/subject-weights.js';
import { serializerCompiler, validatorCompiler } from './validation.js';

export interface ServerOptions {
  /** The domain services the API exposes. */
  readonly vexil: Vexil;
  /** Switch the admin API off (a replica that only serves SDKs and health). */
  readonly readOnly?: boolean;
  /** Fastify's logger option (pino): false (default) for none, true or options for JSON logs. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Largest request body in bytes (default 1 MiB; imports may be 16 MiB). */
  readonly bodyLimit?: number;
  /** Fastify's behind-a-proxy setting, for client IPs in logs. */
  readonly trustProxy?: boolean;
  /**
   * The delivery layer (snapshots, streams, signing, metrics). Default: one made and started
   * here, and closed with the server.
   */
  readonly delivery?: Delivery;
  /** Event ingestion (`POST /api/v1/events`); default: one on the store, closed with the server. */
  readonly events?: EventPipeline;
  /** Bucket publishing, whose state `/readyz` shows (the caller starts and closes it). */
  readonly publishing?: Publisher;
}

/** One route of the server, with who may call it. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
  /** The key may also come in `X-API-Key` (OFREP routes). */
  readonly apiKeyHeader: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the server answers, with its access level (the auth matrix walks it). */
    readonly routeTable: readonly RouteEntry[];
    /** The delivery layer behind the SDK and OFREP routes. */
    readonly delivery: Delivery;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A request's id: the caller's `X-Request-Id` when it is a sensible one, else a new UUID. */
function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Fastify's compiler factories, typed for ajv schemas; ours compile zod schemas. */
type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
const ZOD_COMPILERS = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as CompilersFactory;

/**
 * The HTTP server, not yet listening: call `listen({ port })` on it, or `inject()` in tests.
 * @example
 * const app = await createServer({ vexil, logger: true });
 * await app.listen({ port: 4280, host: '0.0.0.0' });
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const logger = options.logger ?? false;
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const fastify = Fastify({
    logger,
    // Request loggers are made when first written to (most never are at production levels).
    ...(logger === false ? {} : { childLoggerFactory: lazyChildLogger }),
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Every schema is zod, compiled by our own compilers: fastify need not load ajv (its
    // default validator compiler) nor its serializer compiler.
    schemaController: { compilersFactory: ZOD_COMPILERS },
  });
  const app = fastify.withTypeProvider<ZodTypeProvider>() as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routes: RouteEntry[] = [];
  app.decorate('routeTable', routes);
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide === true && route.url !== '/openapi.json') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        access: route.config?.access ?? 'admin',
        apiKeyHeader: route.config?.apiKeyHeader === true,
      });
    }
  });
  // While closing, answers end their keep-alive connection: otherwise a client that keeps its
  // connections open (SDKs sending events do) holds the shutdown until it times out.
  let closing = false;
  app.addHook('onSend', (request, reply, _payload, done) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
    done();
  });
  app.addHook('preClose', async () => {
    closing = true;
  });

  const ownDelivery = options.delivery === undefined;
  const delivery =
    options.delivery ??
    createDelivery({ vexil: options.vexil, logger: fastify.log, readOnly: options.readOnly });
  app.decorate('delivery', delivery);
  // Streams never end by themselves: close them (with a retry hint) before waiting for requests to finish.
  app.addHook('preClose', async () => delivery.shutdown());
  if (ownDelivery) app.addHook('onClose', async () => delivery.close());

  const parseJson = installBodyParsers(app);
  installErrorHandling(app);
  installAccessControl(app, options.vexil, options.readOnly ?? false);
  const httpMetrics = installHttpMetrics(app, delivery.metrics);
  await installOpenApi(app);

  const ctx = { vexil: options.vexil, delivery };
  healthRoutes(app, { ...ctx, publishing: options.publishing });
  projectRoutes(app, ctx);
  flagRoutes(app, ctx);
  flagDetailRoutes(app, ctx);
  flagEnvironmentRoutes(app, ctx);
  flagServeRoutes(app, ctx);
  segmentRoutes(app, ctx);
  subjectWeightRoutes(app, ctx);
  keyRoutes(app, ctx);
  ioRoutes(app, ctx);
  eventRoutes(app, ctx, options.events);
  sdkSnapshotRoutes(app, ctx);
  sdkStreamRoutes(app, ctx);
  sdkSigningKeyRoutes(app, ctx);
  ofrepEvaluateRoutes(app, ctx);
  ofrepEventRoutes(app, ctx);
  sdkCorsRoutes(app);
  dashboardRoutes(app);
  if (ownDelivery) await delivery.start();
  await app.ready();
  const log = fastify.log as FastifyBaseLogger & { isLevelEnabled?(level: string): boolean };
  installOfrepFastPath(fastify.server, {
    keys: options.vexil.keys,
    snapshots: delivery.snapshots,
    parseJson: (body, done) => parseJson({} as FastifyRequest, body, done),
    requestId: requestIdOf,
    bodyLimit,
    metrics: httpMetrics,
    closing: () => closing,
    logsRequests: () => log.isLevelEnabled?.('info') === true,
  });
  return fastify;
}

/** JSON (an empty body is no body) and YAML for imports. Returns the JSON parser. */
function installBodyParsers(app: App): ReturnType<typeof jsonBodyParser> {
  const json = jsonBodyParser(app.getDefaultJsonParser('error', 'error'));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    json(request, body as string, done),
  );
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string' },
    (_request, body, done) => {
      // parseYaml refuses deep nesting before the YAML library recurses into it (that can abort the process).
      const parsed = parseYaml(body as string, { maxDepth: MAX_DEPTH });
      if (!parsed.ok) done(new ValidationError(parsed.issues), undefined);
      else if (tooDeep(parsed.value, MAX_DEPTH)) done(tooDeepError(), undefined);
      else done(null, parsed.value);
    },
  );
  return json;
}
