import type { Counter } from 'prom-client';
import { createDirectoryTarget } from './directory-target.js';
import type { PublishTarget } from './publish-target.js';
import { createPublisher, type Publisher, type PublishLogger, type PublishSource } from './publisher.js';
import type { PublishingConfig } from './publishing-config.js';
import { createS3Target } from './s3-target.js';

/** The publisher `vexil serve` runs, or undefined when no target is configured. */
export function configuredPublisher(
  config: PublishingConfig,
  deps: {
    source: PublishSource;
    metrics: { publishes: Counter<'target'>; publishFailures: Counter<'target'> };
    logger: PublishLogger;
  },
): Publisher | undefined {
  const targets: PublishTarget[] = [];
  if (config.dir !== undefined) targets.push(createDirectoryTarget({ path: config.dir }));
  if (config.s3 !== undefined) targets.push(createS3Target(config.s3));
  if (targets.length === 0) return undefined;
  return createPublisher({
    source: deps.source,
    targets,
    scopes: config.scopes,
    prefix: config.prefix,
    metrics: deps.metrics,
    logger: deps.logger,
  });
}
