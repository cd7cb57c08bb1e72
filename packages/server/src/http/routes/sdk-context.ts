import type { FastifyRequest } from 'fastify';
import type { Delivery } from '../../delivery/delivery.js';
import type { FlagSetScope } from '../../services/flag-sets/build-flag-set.js';
import type { ApiKeyRecord } from '../../stores/types.js';
import type { RouteContext } from './app-type.js';

/** What the SDK and OFREP routes get. */
export interface DeliveryRouteContext extends RouteContext {
  readonly delivery: Delivery;
}

/** The environment and scope an SDK key gives access to (the key implies them). */
export interface SdkTarget {
  readonly key: ApiKeyRecord;
  readonly project: string;
  readonly environment: string;
  readonly scope: FlagSetScope;
}

/** The caller's SDK key (the access hook has checked it is a server or client key). */
export function sdkTarget(request: FastifyRequest): SdkTarget {
  const key = request.apiKey!;
  return {
    key,
    project: key.project ?? '',
    environment: key.environment ?? '',
    scope: key.kind === 'client' ? 'client' : 'server',
  };
}
