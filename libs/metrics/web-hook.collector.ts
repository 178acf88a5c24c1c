import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { WebHookDeliveryCounts } from '../web-hook-outbox/index.js';

const OUTCOMES = ['sent', 'rejected', 'failed', 'abandoned'] as const;

/** Attempts of ignored web hooks by outcome, counted in memory by the outbox and read on scrape. */
@Injectable()
export class WebHookCollector {
  constructor(@Inject(Registry) registry: Registry, @Optional() counts?: WebHookDeliveryCounts) {
    if (!counts) return;
    new Counter({
      name: 'tessera_web_hook_attempts_total',
      help: 'Attempts of ignored web hooks by outcome: sent (2xx/3xx), rejected (final 4xx), failed (will retry), abandoned (attempts exhausted).',
      labelNames: ['outcome'],
      registers: [registry],
      collect() {
        this.reset();
        for (const outcome of OUTCOMES) this.inc({ outcome }, counts[outcome]);
      },
    });
  }
}
