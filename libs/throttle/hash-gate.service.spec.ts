import { describe, expect, it } from 'vitest';
import { HashGate } from './hash-gate.service.js';
import { HashGateSaturatedError } from './throttle.errors.js';

/** A task the test finishes by hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('HashGate', () => {
  it('defaults to one slot per core and eight waiters per slot', () => {
    const gate = new HashGate();
    expect(gate.maxConcurrent).toBeGreaterThanOrEqual(1);
    expect(gate.maxQueue).toBe(gate.maxConcurrent * 8);
  });

  it('rejects options that cannot work', () => {
    expect(() => new HashGate({ maxConcurrent: 0 })).toThrow(/maxConcurrent/);
    expect(() => new HashGate({ maxConcurrent: 1.5 })).toThrow(/maxConcurrent/);
    expect(() => new HashGate({ maxQueue: -1 })).toThrow(/maxQueue/);
  });

  it('never runs more than maxConcurrent tasks at once', async () => {
    const gate = new HashGate({ maxConcurrent: 3, maxQueue: 100 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      running -= 1;
    };
    await Promise.all(Array.from({ length: 40 }, () => gate.run(task)));
    expect(peak).toBe(3);
    expect(gate.running).toBe(0);
    expect(gate.queued).toBe(0);
  });

  it('returns what the task returns', async () => {
    await expect(new HashGate({ maxConcurrent: 1 }).run(async () => 42)).resolves.toBe(42);
  });

  it('queues up to maxQueue and refuses the next with a retry hint', async () => {
    const gate = new HashGate({ maxConcurrent: 2, maxQueue: 3 });
    const blocker = deferred();
    const admitted = Array.from({ length: 5 }, () => gate.run(() => blocker.promise));
    await tick();
    expect(gate.running).toBe(2);
    expect(gate.queued).toBe(3);

    const refused = gate.run(async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(HashGateSaturatedError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 1 });
    expect(gate.shed).toBe(1);

    blocker.resolve();
    await Promise.all(admitted);
    expect(gate.running).toBe(0);
    expect(gate.shed).toBe(1);
  });

  it('with maxQueue 0 refuses as soon as every slot is busy', async () => {
    const gate = new HashGate({ maxConcurrent: 1, maxQueue: 0 });
    const blocker = deferred();
    const first = gate.run(() => blocker.promise);
    await expect(gate.run(async () => undefined)).rejects.toBeInstanceOf(HashGateSaturatedError);
    blocker.resolve();
    await first;
  });

  it('starts waiters in arrival order, and a newcomer does not jump the queue', async () => {
    const gate = new HashGate({ maxConcurrent: 1, maxQueue: 10 });
    const started: string[] = [];
    const blocker = deferred();
    const first = gate.run(async () => {
      started.push('first');
      await blocker.promise;
    });
    const waiters = ['a', 'b', 'c', 'd'].map((name) =>
      gate.run(async () => {
        started.push(name);
        await tick();
      }),
    );
    await tick();
    blocker.resolve();
    // Arrives while the released slot is being handed to "a".
    const late = gate.run(async () => {
      started.push('late');
    });
    await Promise.all([first, ...waiters, late]);
    expect(started).toEqual(['first', 'a', 'b', 'c', 'd', 'late']);
  });

  it('releases the slot of a task that fails, synchronously or not', async () => {
    const gate = new HashGate({ maxConcurrent: 1, maxQueue: 5 });
    const failing = gate.run(async () => {
      await tick();
      throw new Error('hash failed');
    });
    const throwing = gate.run((() => {
      throw new Error('threw before a promise');
    }) as () => Promise<void>);
    const after = gate.run(async () => 'ok');
    await expect(failing).rejects.toThrow('hash failed');
    await expect(throwing).rejects.toThrow('threw before a promise');
    await expect(after).resolves.toBe('ok');
    expect(gate.running).toBe(0);
    expect(gate.queued).toBe(0);
  });
});
