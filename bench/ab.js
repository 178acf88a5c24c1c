#!/usr/bin/env node
// `node bench/ab.js --a <checkout> --b <checkout>`: two builds of Tessera as two servers at once,
// each on a fresh database of its own, loaded in turn (the order alternating every round) on one
// GET route and on the constant route. On a machine whose speed moves by ±30 % between minutes,
// only figures taken side by side compare: it prints, per build, the medians of requests/s and
// server CPU per request (from /proc), and the median of the per-round B ÷ A CPU ratios.
// Each checkout must be built (`npm run build`); its own bench/lib/tessera.js starts it.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { processCpuTicks } from './lib/cpu.js';
import { prepareDatabase } from './lib/databases.js';
import { median } from './lib/stats.js';
import { getLoad, registerNative } from './scenarios/flows.js';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    db: { type: 'string', default: 'sqlite' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    path: { type: 'string', default: '/sessions/whoami' },
    'cache-ttl': { type: 'string', default: '0s' },
    rounds: { type: 'string', default: '14' },
    duration: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
  },
});
if (!values.a || !values.b) {
  console.error(
    'usage: node bench/ab.js --a <checkout> --b <checkout> [--db sqlite|postgres] [--path /sessions/whoami]',
  );
  console.error('       [--cache-ttl 0s] [--rounds 14] [--duration 2] [--connections 10]');
  process.exit(2);
}
const load = { connections: Number(values.connections), duration: Number(values.duration) };
const USEC_PER_TICK = 10_000;

async function start(name, checkout) {
  const { startTessera } = await import(resolve(checkout, 'bench/lib/tessera.js'));
  const database = await prepareDatabase(values.db, { postgresUrl: values.postgres });
  const server = await startTessera(database.dsn, database.cwd, {
    SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
    SESSION_WHOAMI_CACHE_TTL: values['cache-ttl'],
  });
  const token = await registerNative(server.publicUrl, `ab-${name}-${Date.now()}@example.org`);
  return { name, server, database, headers: { 'x-session-token': token }, constant: [], route: [] };
}

async function measure(build, path) {
  const before = processCpuTicks(build.server.pid);
  const { summary } = await getLoad(build.server, path, { ...load, headers: build.headers });
  if (summary.non2xx > 0) throw new Error(`${build.name} ${path}: ${summary.non2xx} answers were not 2xx`);
  return {
    rps: summary.rps,
    cpu: ((processCpuTicks(build.server.pid) - before) * USEC_PER_TICK) / summary.ok,
  };
}

const builds = [await start('A', values.a), await start('B', values.b)];
try {
  for (const build of builds) {
    await getLoad(build.server, values.path, { ...load, duration: 2, headers: build.headers });
    await getLoad(build.server, '/health/alive', { ...load, duration: 2 });
  }
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
      build.constant.push(await measure(build, '/health/alive'));
      build.route.push(await measure(build, values.path));
    }
  }
  const [a, b] = builds;
  const paired = a.route.map((run, n) => b.route[n].cpu / run.cpu);
  const summary = (build) => ({
    constantRps: Math.round(median(build.constant.map((r) => r.rps))),
    constantMicros: Math.round(median(build.constant.map((r) => r.cpu))),
    routeRps: Math.round(median(build.route.map((r) => r.rps))),
    routeMicros: Math.round(median(build.route.map((r) => r.cpu))),
    routeOverConstant:
      Math.round(median(build.route.map((r, n) => r.rps / build.constant[n].rps)) * 100) / 100,
  });
  console.log(
    JSON.stringify(
      {
        db: values.db,
        path: values.path,
        cacheTtl: values['cache-ttl'],
        A: { checkout: values.a, ...summary(a) },
        B: { checkout: values.b, ...summary(b) },
        routeCpuBOverA: Math.round(median(paired) * 100) / 100,
        roundsWhereBUsedLess: `${paired.filter((ratio) => ratio < 1).length} of ${paired.length}`,
      },
      null,
      2,
    ),
  );
} finally {
  for (const build of builds) {
    await build.server.stop();
    await build.database.remove();
  }
}
