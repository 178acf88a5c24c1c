import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { FlowMetrics } from '../flow/index.js';
import { ThrottleModule } from '../throttle/index.js';
import { CourierCollector } from './courier.collector.js';
import { HttpMetrics } from './http-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { PoolCollector } from './pool.collector.js';
import { PrometheusFlowMetrics } from './prometheus-flow-metrics.js';
import { ThrottleCollector } from './throttle.collector.js';
import { WebHookCollector } from './web-hook.collector.js';

/** One registry per application: two servers in one test process keep their own counts. */
function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Prometheus metrics, always on (Kratos has no switch): process defaults, HTTP latency, flow
 * outcomes, the hash gate and brute-force refusals, the courier, ignored web hooks and the database pool. Global, so
 * the flows find the FlowMetrics binding. Gauges are read when scraped; nothing here queries the
 * database per request. The application installs `HttpMetrics.middleware()` first in its pipeline.
 */
@Global()
@Module({
  imports: [ThrottleModule],
  controllers: [MetricsController],
  providers: [
    { provide: Registry, useFactory: createRegistry },
    HttpMetrics,
    PrometheusFlowMetrics,
    { provide: FlowMetrics, useExisting: PrometheusFlowMetrics },
    ThrottleCollector,
    CourierCollector,
    WebHookCollector,
    PoolCollector,
  ],
  exports: [HttpMetrics, FlowMetrics],
})
export class MetricsModule {}
