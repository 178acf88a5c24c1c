// What a running tessera costs before any traffic: time from spawn to ready, and resident memory.
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSnapshot, cpuUsed, processCpuTicks } from '../lib/cpu.js';
import { median, round1 } from '../lib/stats.js';
import { startTessera } from '../lib/tessera.js';

/** Spawn → /health/ready 200 on both ports, `starts` times on an already migrated database. */
export async function startupTimes(database, starts) {
  const runs = [];
  let tesseraTicks = 0;
  const before = cpuSnapshot(null);
  for (let i = 0; i < starts; i++) {
    const server = await startTessera(database.dsn, database.cwd);
    runs.push(server.readyMs);
    tesseraTicks += processCpuTicks(server.pid);
    await server.stop();
  }
  const cpu = cpuUsed(before, cpuSnapshot(null), tesseraTicks);
  return { runsMs: runs.map(round1), medianMs: round1(median(runs)), cpu };
}

const roundMemory = ({ rssMiB, peakMiB }) => ({ rssMiB: round1(rssMiB), peakMiB: round1(peakMiB) });

/** VmRSS as soon as the server is ready, and again after `idleSeconds` without traffic. */
export async function idleMemory(server, idleSeconds) {
  const ready = roundMemory(server.memory());
  await sleep(idleSeconds * 1000);
  return { ready, idle: roundMemory(server.memory()), idleSeconds };
}

export const memoryNow = (server) => roundMemory(server.memory());
