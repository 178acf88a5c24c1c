export { HttpMetrics, HTTP_DURATION_BUCKETS } from './http-metrics.js';
export { methodLabel, routeLabel, statusLabel, UNMATCHED_ROUTE } from './http-labels.js';
export { MetricsModule } from './metrics.module.js';
