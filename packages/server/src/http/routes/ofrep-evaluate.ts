import { type EvaluationContext, type EvaluationResult, evaluate } from '@vexil/core';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { SDK_CORS_HEADERS } from '../../delivery/delivery.js';
import { etagMatches } from '../../delivery/http-helpers.js';
import type { Snapshot } from '../../delivery/snapshot.js';
import { bodyEtag, bulkEtag, evaluateBulk } from '../../ofrep/ofrep-bulk.js';
import { contextOf } from '../../ofrep/ofrep-request.js';
import { ofrepJson, ofrepStatus } from '../../ofrep/ofrep-result.js';
import type { App } from './app-type.js';
import { ofrepErrorHandler } from './ofrep-errors.js';
import { type DeliveryRouteContext, type SdkTarget, sdkTarget } from './sdk-context.js';

const Context = z.object({ targetingKey: z.string().optional() }).catchall(z.unknown());
const Request = z.object({ context: Context });
const Metadata = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const Success = z.object({
  key: z.string(),
  reason: z.enum(['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DISABLED', 'UNKNOWN']),
  variant: z.string().optional(),
  value: z.unknown().optional().describe('absent: use the code default'),
  metadata: Metadata.optional(),
});
const Failure = z.object({
  key: z.string(),
  errorCode: z.enum(['PARSE_ERROR', 'TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'GENERAL']),
  errorDetails: z.string().optional(),
});
const NotFound = z.object({
  key: z.string(),
  errorCode: z.literal('FLAG_NOT_FOUND'),
  errorDetails: z.string().optional(),
});
const NoBody = z.null().describe('no body');
const tags = ['OFREP'];
/** How long a refetch triggered by a change may wait for this server to catch up with it. */
const CATCH_UP_MS = 2000;

/**
 * The OpenFeature Remote Evaluation Protocol (open-feature/protocol, service/openapi.yaml),
 * evaluated with the core against the key's snapshot.
 */
export function ofrepEvaluateRoutes(app: App, { delivery }: DeliveryRouteContext): void {
  const { snapshots, streamTokens } = delivery;
  const snapshotOf = async (t: SdkTarget): Promise<Snapshot | undefined> => {
    try {
      return (
        snapshots.get(t.project, t.environment, t.scope) ??
        (await snapshots.load(t.project, t.environment, t.scope))
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'NOT_FOUND') return undefined; // the key's environment is gone
      throw error;
    }
  };

  app.post(
    '/ofrep/v1/evaluate/flags/:key',
    {
      config: { access: 'sdk', apiKeyHeader: true },
      errorHandler: ofrepErrorHandler,
      schema: {
        tags,
        summary: 'Evaluate one flag for a context (OFREP)',
        params: z.object({ key: z.string() }),
        body: Request,
        response: { 200: Success, 400: Failure, 401: NoBody, 403: NoBody, 404: NotFound },
      },
      validatorCompiler: () => (data) => ({ value: data }),
    },
    // Not async: with the snapshot in memory (always, once loaded) the answer is written at
    // once, without a promise per request; its JSON is made once per evaluation outcome.
    (request, typedReply) => {
      const reply = typedReply as unknown as FastifyReply;
      const context = contextOf(request.body);
      const target = sdkTarget(request);
      const { key } = request.params;
      const snapshot = snapshots.get(target.project, target.environment, target.scope);
      if (snapshot !== undefined) {
        answerOne(reply, snapshot, key, context);
        return;
      }
      return snapshotOf(target).then((loaded) => answerOne(reply, loaded, key, context));
    },
  );

  app.post(
    '/ofrep/v1/evaluate/flags',
    {
      config: { access: 'sdk', apiKeyHeader: true },
      errorHandler: ofrepErrorHandler,
      schema: {
        tags,
        summary: 'Evaluate every flag for a context (OFREP bulk)',
        description:
          '`ETag` / `If-None-Match` → 304. `eventStreams` names an SSE endpoint sending `refetchEvaluation` ' +
          'on every change (ADR-0008). Client keys get client-visible flags only.',
        querystring: z.object({
          flagConfigEtag: z.string().optional(),
          flagConfigLastModified: z.string().optional(),
        }),
        body: Request,
        response: {
          200: z.object({
            flags: z.array(z.union([Success, Failure])),
            metadata: Metadata.optional(),
            eventStreams: z.array(
              z.object({
                type: z.literal('sse'),
                endpoint: z.object({ requestUri: z.string() }),
                inactivityDelaySec: z.number().int(),
              }),
            ),
          }),
          304: NoBody,
          400: z.object({ errorCode: z.string(), errorDetails: z.string().optional() }),
          401: NoBody,
          403: NoBody,
        },
      },
      validatorCompiler: () => (data) => ({ value: data }),
    },
    async (request, typedReply) => {
      const reply = typedReply as unknown as FastifyReply; // sends JSON text built without a second serialization
      const context = contextOf(request.body);
      const target = sdkTarget(request);
      reply.headers(SDK_CORS_HEADERS);
      let snapshot = await snapshotOf(target);
      if (snapshot === undefined) return reply.type('application/json').send('{"flags":[]}');
      const wanted = versionOf((request.query as { flagConfigEtag?: string }).flagConfigEtag);
      if (wanted !== undefined && wanted > snapshot.version) {
        // A change notification named a version this server has not loaded yet (another server committed it).
        await Promise.race([
          snapshots.applyRemoteChange(target.project, target.environment, wanted),
          new Promise((resolve) => setTimeout(resolve, CATCH_UP_MS).unref()),
        ]);
        snapshot = snapshots.get(target.project, target.environment, target.scope) ?? snapshot;
      }
      const streamUri = `/ofrep/v1/events?token=${streamTokens.issue(target.key.id)}`;
      const ifNoneMatch = request.headers['if-none-match'];
      const fast = bulkEtag(snapshot, JSON.stringify(context), streamUri);
      if (fast !== undefined && etagMatches(ifNoneMatch, fast))
        return reply.code(304).header('etag', fast).send();
      const json = evaluateBulk(snapshot, context, streamUri, Date.now());
      const etag = fast ?? bodyEtag(json);
      reply.header('etag', etag);
      if (etagMatches(ifNoneMatch, etag)) return reply.code(304).send();
      return reply.type('application/json').send(json);
    },
  );
}

/** Answers a single-flag evaluation (the CORS headers come from the SDK routes' onSend hook). */
function answerOne(
  reply: FastifyReply,
  snapshot: Snapshot | undefined,
  key: string,
  context: EvaluationContext,
): void {
  const result: EvaluationResult =
    snapshot === undefined
      ? { key, value: undefined, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' }
      : evaluate(snapshot.flagSet, key, context, { now: Date.now() });
  reply.code(ofrepStatus(result)).type(JSON_UTF8).send(ofrepJson(result));
}

const JSON_UTF8 = 'application/json; charset=utf-8';

/** The version in an ETag this server made (`"client-12"`), if it is one. */
function versionOf(etag: string | undefined): number | undefined {
  const match = etag === undefined ? null : /^(?:W\/)?"?(?:server|client)-(\d{1,15})"?$/.exec(etag.trim());
  return match === null ? undefined : Number(match[1]);
}
