// The two servers under comparison as child processes, and what each costs to start and to keep.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { processCpuTicks } from '../lib/cpu.js';
import { freePort, MALLOC, memoryOf, startTessera } from '../lib/tessera.js';

const BETTER_AUTH_SERVER = fileURLToPath(new URL('better-auth-server.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

// A server must not outlive the benchmark.
const running = new Set();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

function answers(url) {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

const cpuMsOf = (pid) => processCpuTicks(pid) * 10;

/** Tessera on the embedded default (`serve --dev`, SQLite file), with extra environment. */
export async function tessera(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'compare-tessera-'));
  const server = await startTessera(`sqlite://${join(dir, 'tessera.sqlite')}?_fk=true`, dir, env);
  return {
    name: 'tessera',
    pid: server.pid,
    url: server.publicUrl,
    constantPath: '/health/alive',
    readyMs: server.readyMs,
    cpuAtReadyMs: cpuMsOf(server.pid),
    rssMiB: () => server.memory().rssMiB,
    stop: () => server.stop(),
  };
}

/** better-auth (bench/compare/better-auth-server.js) on a fresh SQLite file. */
export async function betterAuth() {
  const dir = mkdtempSync(join(tmpdir(), 'compare-better-auth-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [BETTER_AUTH_SERVER, String(port), join(dir, 'auth.sqlite')], {
    cwd: dir,
    // The same allocator setting as Tessera's launchers: the comparison is of the servers.
    env: { PATH: process.env.PATH ?? '', ...MALLOC },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-8192)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  while (!(await answers(`${url}/api/auth/ok`))) {
    if (child.exitCode !== null) throw new Error(`better-auth exited before it answered:\n${output}`);
    if (performance.now() - spawnedAt > READY_TIMEOUT_MS) throw new Error('better-auth did not answer');
    await sleep(10);
  }
  return {
    name: 'better-auth',
    pid: child.pid,
    url,
    constantPath: '/api/auth/ok',
    readyMs: performance.now() - spawnedAt,
    cpuAtReadyMs: cpuMsOf(child.pid),
    rssMiB: () => memoryOf(child.pid).rssMiB,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      running.delete(child);
    },
  };
}

/** Spawn to first answer, CPU used by then, RSS after `idleSeconds` of nothing. */
export async function footprint(start, idleSeconds) {
  const server = await start();
  const { readyMs, cpuAtReadyMs } = server;
  await sleep(idleSeconds * 1000);
  const rssMiB = server.rssMiB();
  await server.stop();
  return { readyMs, cpuAtReadyMs, rssMiB };
}
