export { createDelivery, type Delivery, type DeliveryOptions, SDK_CORS_HEADERS } from './delivery.js';
export type { PatchLogLimits } from './patch-log.js';
export {
  type PublicSigningKey,
  type SigningKeyInfo,
  SigningKeys,
  type SigningOptions,
} from './signing/signing-keys.js';
export type { ContentEncoding, Snapshot } from './snapshot.js';
export {
  type DeliveryLogger,
  SnapshotManager,
  type SnapshotManagerOptions,
  type SnapshotRemoval,
  type SnapshotSwap,
} from './snapshot-manager.js';
export type { PatchRecord, SnapshotPatch } from './snapshot-patch.js';
export {
  StreamHub,
  type StreamHubOptions,
  type StreamKind,
  type StreamSubscriber,
} from './streams/stream-hub.js';
export { type StreamGrant, StreamTokens } from './streams/stream-tokens.js';
