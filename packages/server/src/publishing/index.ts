export { createDirectoryTarget } from './directory-target.js';
export type { PublishedFile, PublishTarget } from './publish-target.js';
export {
  createPublisher,
  type Publisher,
  type PublisherOptions,
  type PublishFailure,
  type PublishSource,
  type PublishStatus,
} from './publisher.js';
export { createS3Target, type S3TargetOptions } from './s3-target.js';
