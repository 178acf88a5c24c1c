import { Worker } from 'node:worker_threads';

/*
 * SHA-crypt's round loop costs one to two seconds of CPU at passlib's default
 * rounds, and unlike argon2/bcrypt/pbkdf2/scrypt no native async version
 * exists. It runs in one lazily started worker so the event loop stays free
 * and wrong-password floods on legacy hashes occupy at most one core. The
 * source is inline because the file layout differs between vitest (.ts) and
 * the build (.js).
 */
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');
parentPort.on('message', ({ id, algorithm, p, s, c, rounds }) => {
  p = Buffer.from(p); s = Buffer.from(s); c = Buffer.from(c);
  const scratch = Buffer.alloc(3 * p.length + 2 * c.length + s.length);
  for (let round = 0; round < rounds; round++) {
    let n = (round & 1 ? p : c).copy(scratch, 0);
    if (round % 3) n += s.copy(scratch, n);
    if (round % 7) n += p.copy(scratch, n);
    n += (round & 1 ? c : p).copy(scratch, n);
    c = hash(algorithm, scratch.subarray(0, n), 'buffer');
  }
  parentPort.postMessage({ id, c });
});
`;

interface RoundsRequest {
  readonly algorithm: 'sha256' | 'sha512';
  /** The P and S byte sequences of Drepper's specification. */
  readonly p: Buffer;
  readonly s: Buffer;
  /** Digest before the first round. */
  readonly c: Buffer;
  readonly rounds: number;
}

interface Pending {
  resolve(digest: Buffer): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

export function runShaCryptRounds(request: RoundsRequest): Promise<Buffer> {
  const current = worker ?? startWorker();
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    // Referenced only while work is queued, so an idle worker never keeps the process alive.
    current.ref();
    current.postMessage({ id, ...request });
  });
}

function startWorker(): Worker {
  const started = new Worker(SOURCE, { eval: true });
  started.on('message', ({ id, c }: { id: number; c: Uint8Array }) => {
    pending.get(id)?.resolve(Buffer.from(c));
    pending.delete(id);
    if (pending.size === 0) started.unref();
  });
  started.on('error', (error: Error) => failAll(error));
  started.on('exit', () => {
    if (worker === started) worker = null;
    failAll(new Error('sha-crypt worker exited'));
  });
  started.unref();
  worker = started;
  return started;
}

function failAll(error: Error): void {
  for (const { reject } of pending.values()) reject(error);
  pending.clear();
}
