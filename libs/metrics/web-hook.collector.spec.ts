import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { WebHookDeliveryCounts } from '../web-hook-outbox/index.js';
import { WebHookCollector } from './web-hook.collector.js';

describe('WebHookCollector', () => {
  it('exposes the outbox attempt counts by outcome as they are when scraped', async () => {
    const registry = new Registry();
    const counts = new WebHookDeliveryCounts();
    new WebHookCollector(registry, counts);
    counts.sent += 3;
    counts.failed += 2;
    counts.abandoned += 1;
    const text = await registry.metrics();
    expect(text).toContain('tessera_web_hook_attempts_total{outcome="sent"} 3');
    expect(text).toContain('tessera_web_hook_attempts_total{outcome="rejected"} 0');
    expect(text).toContain('tessera_web_hook_attempts_total{outcome="failed"} 2');
    expect(text).toContain('tessera_web_hook_attempts_total{outcome="abandoned"} 1');
  });

  it('registers nothing where no outbox runs', async () => {
    const registry = new Registry();
    new WebHookCollector(registry);
    expect(await registry.metrics()).not.toContain('tessera_web_hook');
  });
});
