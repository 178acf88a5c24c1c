import { describe, expect, it } from 'vitest';
import { type PasswordHasher } from '../hash/index.js';
import { HashGate } from '../throttle/index.js';
import { AdminPasswordHasher } from './admin-password-hasher.js';

/** A hasher whose hashes finish only when the test says so. */
function manualHasher() {
  const pending: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const hasher = {
    hash: async (password: string) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => pending.push(resolve));
      running -= 1;
      return `hashed:${password}`;
    },
  } as unknown as PasswordHasher;
  return { hasher, pending, peak: () => peak };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AdminPasswordHasher', () => {
  it('uses at most half the gate, so a sign-in starts at once during an import', async () => {
    const gate = new HashGate({ maxConcurrent: 2, maxQueue: 4 });
    const { hasher, pending, peak } = manualHasher();
    const admin = new AdminPasswordHasher(hasher, gate);
    const imports = Array.from({ length: 5 }, (_, i) => admin.hash(`p${i}`));
    await tick();
    expect(gate.running).toBe(1);
    expect(gate.queued).toBe(0);

    let signedIn = false;
    const signIn = gate.run(async () => (signedIn = true));
    await signIn;
    expect(signedIn).toBe(true);

    while (pending.length > 0 || gate.running > 0) {
      pending.shift()?.();
      await tick();
    }
    expect(await Promise.all(imports)).toEqual([
      'hashed:p0',
      'hashed:p1',
      'hashed:p2',
      'hashed:p3',
      'hashed:p4',
    ]);
    expect(peak()).toBe(1);
  });

  it('waits while sign-ins hold their half of the gate, and never queues in it', async () => {
    const gate = new HashGate({ maxConcurrent: 2, maxQueue: 0 });
    const { hasher, pending } = manualHasher();
    let release!: () => void;
    const signIn = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    const imported = new AdminPasswordHasher(hasher, gate).hash('p');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pending).toHaveLength(0);
    expect(gate.running).toBe(1);

    release();
    await signIn;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pending).toHaveLength(1);
    pending.shift()!();
    expect(await imported).toBe('hashed:p');
  });
});
