import { VexilError } from './vexil-error.js';

/** No key, an unknown key, a revoked key or an expired key. */
export class UnauthenticatedError extends VexilError {
  constructor(message = 'a valid API key is required: send "Authorization: Bearer <key>"') {
    super('UNAUTHENTICATED', message);
  }
}

/** The key is valid but its kind (or environment) may not use this route. */
export class ForbiddenError extends VexilError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** The server runs read-only (a replica): the admin API is switched off. */
export class ReadOnlyError extends VexilError {
  constructor() {
    super('READ_ONLY', 'this server runs read-only: changes are made on an admin server');
  }
}
