import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type CourierMessageRepository, DeliveryCounts } from '../courier/index.js';
import { type AppLogger } from '../logging/index.js';
import { type Clock } from '../persistence/index.js';
import { type GuessLimiter, HashGate } from '../throttle/index.js';
import { CourierCollector, QUEUE_DEPTH_CACHE_MS } from './courier.collector.js';
import { ThrottleCollector } from './throttle.collector.js';

const value = async (registry: Registry, name: string, labels: Record<string, string> = {}) => {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
};

describe('CourierCollector', () => {
  it('counts the table at most once per cache period, however often it is scraped', async () => {
    let now = 1_000_000;
    let queries = 0;
    const messages = {
      countByStatus: async () => {
        queries += 1;
        return { queued: queries, processing: 0, sent: 7, abandoned: 0 };
      },
    } as unknown as CourierMessageRepository;
    const clock = { now: () => new Date(now) } as Clock;
    const registry = new Registry();
    new CourierCollector(registry, clock, {} as AppLogger, messages, new DeliveryCounts());
    await Promise.all([registry.metrics(), registry.metrics(), registry.metrics()]);
    expect(await value(registry, 'tessera_courier_messages', { status: 'queued' })).toBe(1);
    now += QUEUE_DEPTH_CACHE_MS - 1;
    await registry.metrics();
    expect(queries).toBe(1);
    now += 1;
    expect(await value(registry, 'tessera_courier_messages', { status: 'queued' })).toBe(2);
    expect(await value(registry, 'tessera_courier_messages', { status: 'sent' })).toBe(7);
  });

  it('serves the other metrics when the count fails, and logs why', async () => {
    const warnings: unknown[] = [];
    const messages = {
      countByStatus: () => Promise.reject(new Error('database gone')),
    } as unknown as CourierMessageRepository;
    const counts = new DeliveryCounts();
    counts.sent('email');
    counts.sent('email');
    counts.failed('sms');
    const registry = new Registry();
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as AppLogger;
    new CourierCollector(registry, { now: () => new Date() } as Clock, logger, messages, counts);
    const text = await registry.metrics();
    expect(text).not.toMatch(/^tessera_courier_messages\{/m);
    expect(text).toContain('tessera_courier_sends_total{channel="email"} 2');
    expect(text).toContain('tessera_courier_send_failures_total{channel="sms"} 1');
    expect(warnings).toEqual([['metrics: courier queue depth not read', { error: 'database gone' }]]);
  });
});

describe('ThrottleCollector', () => {
  it('reads the gate and the refusals when scraped, as counters that never go down', async () => {
    const gate = new HashGate({ maxConcurrent: 1, maxQueue: 0 });
    const refusals = { identifier_address: 2, identifier: 0, address: 1 };
    const guesses = { refusals: () => refusals } as unknown as GuessLimiter;
    const registry = new Registry();
    new ThrottleCollector(registry, gate, guesses);
    let release!: () => void;
    const held = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    await expect(gate.run(async () => undefined)).rejects.toThrow();
    expect(await value(registry, 'tessera_hash_gate_running')).toBe(1);
    expect(await value(registry, 'tessera_hash_gate_shed_total')).toBe(1);
    expect(await value(registry, 'tessera_brute_force_refusals_total', { scope: 'identifier_address' })).toBe(
      2,
    );
    refusals.identifier_address = 3;
    expect(await value(registry, 'tessera_brute_force_refusals_total', { scope: 'identifier_address' })).toBe(
      3,
    );
    release();
    await held;
    expect(await value(registry, 'tessera_hash_gate_running')).toBe(0);
    expect(await value(registry, 'tessera_hash_gate_shed_total')).toBe(1);
  });
});
