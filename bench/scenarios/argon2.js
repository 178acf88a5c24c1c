// The password hash alone, outside tessera: the ceiling for createIdentity on this machine.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Algorithm, hash, Version } from '@node-rs/argon2';
import { cpuSnapshot, cpuUsed } from '../lib/cpu.js';
import { median, round1 } from '../lib/stats.js';

// Tessera's default hasher settings (libs/hash/hasher.options.ts): argon2id, 19 MiB, t=2, p=1.
const PARAMETERS = {
  algorithm: Algorithm.Argon2id,
  version: Version.V0x13,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
};
const SERIAL_HASHES = 20;

const hashOnce = () => hash('bench-password-0123456789', { ...PARAMETERS, salt: randomBytes(16) });

/** Milliseconds per hash one at a time, then hashes per second with `concurrency` in flight. */
export async function argon2Baseline(concurrency, seconds) {
  const serial = [];
  for (let i = 0; i < SERIAL_HASHES; i++) {
    const startedAt = performance.now();
    await hashOnce();
    serial.push(performance.now() - startedAt);
  }

  let done = 0;
  const before = cpuSnapshot(null);
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      await hashOnce();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - startedAt) / 1000;
  const cpu = cpuUsed(before, cpuSnapshot(null));

  return {
    parameters: 'argon2id m=19456 KiB t=2 p=1',
    msPerHash: round1(median(serial)),
    concurrency,
    hashesPerSecond: round1(done / elapsed),
    cpu,
  };
}
