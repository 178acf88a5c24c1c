// The real `tessera` command as a child process: migrate, serve on free loopback ports, memory.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const TESSERA_BIN = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));
// Generous: on a shared machine under load, start-up alone can take tens of seconds.
const READY_TIMEOUT_MS = 120_000;
const OUTPUT_LIMIT = 64 * 1024;

// A server must not outlive the benchmark, even when it is interrupted.
const running = new Set();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

// As `npm start` and the container image run it: glibc gives blocks over 128 KiB back when freed.
export const MALLOC = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** The server's whole environment; an `extra` value of null leaves that variable out. */
function serverEnv(dsn, extra = {}) {
  const env = { PATH: process.env.PATH ?? '', DSN: dsn, LOG_LEVEL: 'error', ...MALLOC, ...extra };
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== null));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function isReady(baseUrl) {
  return new Promise((resolve) => {
    const request = get(`${baseUrl}/health/ready`, { agent: false, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

/** `tessera migrate sql -e --yes` against the DSN. */
export async function migrate(dsn, cwd) {
  await promisify(execFile)(process.execPath, [TESSERA_BIN, 'migrate', 'sql', '-e', '--yes'], {
    cwd,
    env: serverEnv(dsn),
  });
}

/** Resident and peak resident memory of a process, in MiB, from /proc/<pid>/status. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/**
 * Spawns `tessera serve --dev` and resolves once /health/ready answers 200 on both ports.
 * `nodeArgs` go to node itself (`--cpu-prof`, which NODE_OPTIONS refuses).
 */
export async function startTessera(dsn, cwd, env = {}, nodeArgs = []) {
  const [publicPort, adminPort] = [await freePort(), await freePort()];
  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-OUTPUT_LIMIT));

  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, TESSERA_BIN, 'serve', '--dev'], {
    cwd,
    env: serverEnv(dsn, {
      SERVE_PUBLIC_PORT: String(publicPort),
      SERVE_ADMIN_PORT: String(adminPort),
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `tessera exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`,
      );
    }
    const ready = await Promise.all([isReady(publicUrl), isReady(adminUrl)]);
    if (ready.every(Boolean)) break;
    if (performance.now() - spawnedAt > READY_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`tessera was not ready after ${READY_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(10);
  }

  return {
    pid: child.pid,
    publicUrl,
    adminUrl,
    readyMs: performance.now() - spawnedAt,
    memory: () => memoryOf(child.pid),
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(5000, false)]);
      if (!stopped) child.kill('SIGKILL');
      await exited;
      running.delete(child);
    },
  };
}
