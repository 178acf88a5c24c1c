import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { FlowMetrics, type FlowKind, type FlowOutcome } from '../flow/index.js';

/** The flows' outcome port, counted per flow kind, method and outcome. */
@Injectable()
export class PrometheusFlowMetrics extends FlowMetrics {
  private readonly outcomes: Counter<'flow' | 'method' | 'outcome'>;

  constructor(@Inject(Registry) registry: Registry) {
    super();
    this.outcomes = new Counter({
      name: 'tessera_selfservice_flow_outcomes_total',
      help: 'Self-service submissions a method decided: success, failure (wrong or invalid input), or refused (brute-force limit, hash gate full).',
      labelNames: ['flow', 'method', 'outcome'],
      registers: [registry],
    });
  }

  finished(kind: FlowKind, method: string, outcome: FlowOutcome): void {
    this.outcomes.inc({ flow: kind, method, outcome });
  }
}
