/** @vexil/sdk/testing — an in-memory client for applications' own tests. */
export { createTestClient, type TestClient, type TrackedEvent } from './testing/test-client.js';
