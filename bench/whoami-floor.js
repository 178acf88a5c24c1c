#!/usr/bin/env node
// `node bench/whoami-floor.js`: how far an uncached whoami can get towards the constant route.
// Tessera (SQLite, `session.whoami.cache_ttl: 0s`) and a bare node:http + better-sqlite3 server
// reading the same database (bench/lib/bare-whoami-server.js) are loaded in turn with autocannon:
// each one's constant route and whoami, interleaved `--rounds` times. Prints requests/s, server
// CPU per request (from /proc) and the ratios, medians of the rounds.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { processCpuTicks } from './lib/cpu.js';
import { prepareDatabase } from './lib/databases.js';
import { freePort, startTessera } from './lib/tessera.js';
import { median } from './lib/stats.js';
import { getLoad, registerNative } from './scenarios/flows.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '4' },
    connections: { type: 'string', default: '10' },
  },
});
const rounds = Number(values.rounds);
const load = { connections: Number(values.connections), duration: Number(values.duration) };
const USEC_PER_TICK = 10_000;
const progress = (message) => process.stderr.write(`… ${message}\n`);

async function startBare(file) {
  const port = await freePort();
  const script = fileURLToPath(new URL('./lib/bare-whoami-server.js', import.meta.url));
  const child = spawn(process.execPath, [script, file, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(child.stdout, 'data');
  return { pid: child.pid, publicUrl: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** Requests/s and µs of server CPU per request of one autocannon run. */
async function measure(server, path, headers) {
  const before = processCpuTicks(server.pid);
  const { summary } = await getLoad(server, path, { ...load, headers });
  if (summary.non2xx > 0) throw new Error(`${path}: ${summary.non2xx} answers were not 2xx`);
  return { rps: summary.rps, cpu: ((processCpuTicks(server.pid) - before) * USEC_PER_TICK) / summary.ok };
}

const database = await prepareDatabase('sqlite', {});
const tessera = await startTessera(database.dsn, database.cwd, {
  SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
  SESSION_WHOAMI_CACHE_TTL: '0s',
});
let bare;
try {
  const token = await registerNative(tessera.publicUrl, `floor-${Date.now()}@example.org`);
  bare = await startBare(new URL(database.dsn.replace('sqlite://', 'file://')).pathname);
  const headers = { 'x-session-token': token };
  const servers = { tessera, bare };
  const samples = { tessera: { alive: [], whoami: [] }, bare: { alive: [], whoami: [] } };
  for (const server of Object.values(servers)) {
    await getLoad(server, '/sessions/whoami', { ...load, duration: 2, headers });
    await getLoad(server, '/health/alive', { ...load, duration: 2 });
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['tessera', 'bare'] : ['bare', 'tessera'];
    for (const name of order) {
      progress(`round ${round + 1}: ${name}`);
      samples[name].alive.push(await measure(servers[name], '/health/alive', {}));
      samples[name].whoami.push(await measure(servers[name], '/sessions/whoami', headers));
    }
  }
  const summary = (name) => {
    const { alive, whoami } = samples[name];
    return {
      aliveRps: Math.round(median(alive.map((s) => s.rps))),
      whoamiRps: Math.round(median(whoami.map((s) => s.rps))),
      aliveMicros: Math.round(median(alive.map((s) => s.cpu))),
      whoamiMicros: Math.round(median(whoami.map((s) => s.cpu))),
      whoamiOverAlive: Math.round(median(whoami.map((s, r) => s.rps / alive[r].rps)) * 100) / 100,
    };
  };
  const result = { tessera: summary('tessera'), bare: summary('bare') };
  result.bareWhoamiOverTesseraAlive =
    Math.round(median(samples.bare.whoami.map((s, r) => s.rps / samples.tessera.alive[r].rps)) * 100) / 100;
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  bare?.stop();
  await tessera.stop();
  await database.remove();
}
