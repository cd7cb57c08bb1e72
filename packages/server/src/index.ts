/**
 * @vexil/server — stores, domain services, the HTTP API and the `vexil` CLI.
 * Embed the services on a store directly (`createVexil`), or serve them over HTTP
 * (`createServer`, `startServer`).
 */

export * from './delivery/index.js';
export * from './errors/index.js';
export * from './events/index.js';
export type { Access } from './http/access.js';
export { createServer, type RouteEntry, type ServerOptions } from './http/create-server.js';
export { ERROR_STATUS, type ErrorBody } from './http/errors.js';
export * from './metrics/index.js';
export * from './publishing/index.js';
export * from './replication/index.js';
export { type BootstrapResult, bootstrap, DEFAULT_PROJECT } from './server/bootstrap.js';
export { resolveServeConfig, type ServeConfig } from './server/config.js';
export { type RunningServer, startServer } from './server/start-server.js';
export * from './services/index.js';
export * from './stores/index.js';
export { VERSION } from './version.js';
