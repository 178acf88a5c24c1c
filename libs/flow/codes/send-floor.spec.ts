import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SendFloor } from './send-floor.js';

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work().catch(() => undefined);
  return performance.now() - started;
}

describe('SendFloor', () => {
  const floor = new SendFloor(80);

  it('makes a quick send and a slower one below the floor take the same time', async () => {
    const quick = await timed(() => floor.hold(async () => 'sent'));
    const slower = await timed(() => floor.hold(() => sleep(30)));
    expect(quick).toBeGreaterThanOrEqual(78);
    expect(slower).toBeGreaterThanOrEqual(78);
    expect(Math.abs(quick - slower)).toBeLessThan(25);
  });

  it('adds nothing to a send that took longer than the floor', async () => {
    expect(await timed(() => floor.hold(() => sleep(120)))).toBeLessThan(170);
  });

  it('holds a failing send to the floor too, and passes its error on', async () => {
    const failing = floor.hold(async () => {
      throw new Error('smtp down');
    });
    await expect(failing).rejects.toThrow('smtp down');
    expect(await timed(() => floor.hold(async () => Promise.reject(new Error('x'))))).toBeGreaterThanOrEqual(
      78,
    );
  });

  it('returns what the send returned', async () => {
    expect(await floor.hold(async () => 42)).toBe(42);
  });
});
