import { VexilError } from '../errors/index.js';

/** A request body larger than a route takes (HTTP 413). */
export class PayloadTooLargeError extends VexilError {
  constructor(message: string, path = '') {
    super('PAYLOAD_TOO_LARGE', message, [{ path, message }]);
  }
}
