export {
  type EventBatchBody,
  EventBatchSchema,
  MAX_BATCH_BYTES,
  MAX_EVENTS_PER_BATCH,
} from './batch-schema.js';
export {
  createEventPipeline,
  type EventLogger,
  type EventPipeline,
  type EventPipelineOptions,
} from './event-pipeline.js';
export { EventQueries, type ExperimentReport, type TimeRange } from './event-queries.js';
export { type EventExporter, toNdjson } from './exporter.js';
export { createFileExporter, createStreamExporter, type FileExporterOptions } from './ndjson-exporters.js';
export { PayloadTooLargeError } from './payload-too-large-error.js';
export { QueueFullError } from './queue-full-error.js';
export {
  analyzeExperiment,
  type ExperimentResults,
  type MetricKind,
  type MetricResult,
  type MetricVariantResult,
} from './stats/experiment-analysis.js';
