export { installHttpMetrics } from './http-metrics.js';
export { createMetrics, type Metrics, onScrape } from './registry.js';
