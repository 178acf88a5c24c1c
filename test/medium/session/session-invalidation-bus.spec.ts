import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  INVALIDATION_CHANNEL,
  type Received,
  RedisInvalidationBus,
} from '../../../libs/session/session-invalidation.js';

const redisUrl = process.env['TEST_REDIS_URL'];

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const bus of opened.splice(0)) await bus.close();
});

async function bus(): Promise<{ bus: RedisInvalidationBus; received: Received[] }> {
  const connected = await RedisInvalidationBus.connect(redisUrl!, () => undefined);
  opened.push(connected);
  const received: Received[] = [];
  connected.onInvalidation((invalidation) => received.push(invalidation));
  return { bus: connected, received };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!redisUrl)('RedisInvalidationBus on a real Redis', () => {
  it('carries every invalidation to the other replicas, not back to its sender', async () => {
    const [a, b, c] = [await bus(), await bus(), await bus()];
    expect(a.bus.reliable && b.bus.reliable && c.bus.reliable).toBe(true);
    await a.bus.publish({ session: 's-1' });
    await b.bus.publish({ identity: 'i-1', except: 's-2' });
    await until(() => a.received.length === 1 && b.received.length === 1 && c.received.length === 2);
    expect(a.received).toEqual([{ identity: 'i-1', except: 's-2' }]);
    expect(b.received).toEqual([{ session: 's-1' }]);
    expect(c.received).toEqual([{ session: 's-1' }, { identity: 'i-1', except: 's-2' }]);
  });

  it('ignores messages on its channel that are not its own kind', async () => {
    const a = await bus();
    const stranger = new Redis(redisUrl!);
    try {
      await stranger.publish(INVALIDATION_CHANNEL, 'not json');
      await stranger.publish(INVALIDATION_CHANNEL, JSON.stringify({ origin: 'x', session: 42 }));
      await stranger.publish(INVALIDATION_CHANNEL, JSON.stringify({ origin: 'x', session: 'ok' }));
    } finally {
      stranger.disconnect();
    }
    await until(() => a.received.length === 1);
    expect(a.received).toEqual([{ session: 'ok' }]);
  });

  it('is unreliable while its subscription is cut, and on its return drops everything cached', async () => {
    const a = await bus();
    const killer = new Redis(redisUrl!);
    try {
      const clients = (await killer.client('LIST')) as string;
      const line = clients.split('\n').find((l) => l.includes(` name=${a.bus.subscriberName} `));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await killer.client('KILL', 'ID', id!);
    } finally {
      killer.disconnect();
    }
    await until(() => !a.bus.reliable, 2_000).catch(() => undefined);
    await until(() => a.bus.reliable);
    expect(a.received).toContainEqual({ all: true });
  });
});
