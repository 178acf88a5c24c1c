#!/usr/bin/env node
// `npm run bench:cost`: server CPU per request, read from /proc/<pid>/stat of the server (all its
// threads, argon2's pool included), for sequential operations. CPU time, unlike wall time, stays
// put on a busy machine. Also whoami (cached and uncached) against a constant route in requests/s.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Algorithm, hash, verify, Version } from '@node-rs/argon2';
import { cpuSnapshot, processCpuTicks, threadCpuTicks } from './lib/cpu.js';
import { prepareDatabase } from './lib/databases.js';
import { median } from './lib/stats.js';
import { startTessera } from './lib/tessera.js';
import { getLoad, loginNative, PASSWORD, registerNative } from './scenarios/flows.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    rounds: { type: 'string', default: '3' },
    scale: { type: 'string', default: '1' },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '5' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    profile: { type: 'string' },
    'profile-op': { type: 'string', default: 'signIn' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench:cost -- [options]

  --db <sqlite|postgres|both>  databases (default: both)
  --rounds <n>                 measured rounds per operation, the median is printed (default: 3)
  --scale <x>                  multiplies the operations per round (default: 1)
  --connections <n>            connections of the requests/s runs (default: 10)
  --duration <s>               seconds of each requests/s run (default: 5)
  --postgres <url>             PostgreSQL server; a fresh schema is used and dropped
  --profile <dir>              run the server under node --cpu-prof and only --profile-op;
                               summarise with node bench/profile-summary.js <dir>/*.cpuprofile
  --profile-op <name>          signIn (default), loginFlow, registrationFlow, whoami, constantRoute
  --json <file>                also write the results as JSON
`);
  process.exit(0);
}
const kinds = values.db === 'both' ? ['sqlite', 'postgres'] : [values.db];
const rounds = Number(values.rounds);
const scale = Number(values.scale);
const connections = Number(values.connections);
const duration = Number(values.duration);
const progress = (message) => process.stderr.write(`… ${message}\n`);
// The machine has no internet for the breached-password check; everything else is the default,
// brute-force limits included (a successful sign-in gives its slots back).
const SERVER_ENV = { SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false' };
const USEC_PER_TICK = 10_000;

// Tessera's default hasher (libs/hash/hasher.options.ts): argon2id, 19 MiB, t=2, p=1.
const ARGON2 = {
  algorithm: Algorithm.Argon2id,
  version: Version.V0x13,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

/** CPU of one argon2id verify with the default parameters, in this process (µs, median of rounds). */
async function argon2VerifyCost(count, times = rounds) {
  const encoded = await hash(PASSWORD, { ...ARGON2, salt: randomBytes(16) });
  const perRound = [];
  for (let r = 0; r < times; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < count; i++) await verify(encoded, PASSWORD);
    const used = process.cpuUsage(before);
    perRound.push((used.user + used.system) / count);
  }
  return Math.round(median(perRound));
}

async function ok(response) {
  if (!response.ok) throw new Error(`${response.status}: ${(await response.text()).slice(0, 300)}`);
  await response.arrayBuffer();
}

/**
 * Server CPU per operation in µs, one figure per round of `count` sequential runs (`total`);
 * `mainThread` is the part of it on the server's main thread (JavaScript, the database driver, sockets), the
 * rest ran on other threads (libuv's pool with the hash, V8's compiler and GC helpers).
 */
async function cpuPerRound(pid, operation, count, warmup = Math.max(5, count / 10), beforeRound) {
  for (let i = 0; i < warmup; i++) await operation(i);
  const total = [];
  const mainThread = [];
  for (let r = 0; r < rounds; r++) {
    await beforeRound?.(r);
    const before = processCpuTicks(pid);
    const mainBefore = threadCpuTicks(pid);
    for (let i = 0; i < count; i++) await operation(i);
    total.push(((processCpuTicks(pid) - before) * USEC_PER_TICK) / count);
    mainThread.push(((threadCpuTicks(pid) - mainBefore) * USEC_PER_TICK) / count);
  }
  return { total, mainThread };
}

/** Server CPU per operation in µs: `count` sequential runs of `operation`, median of the rounds. */
async function cpuPerOperation(pid, operation, count) {
  return Math.round(median((await cpuPerRound(pid, operation, count)).total));
}

/**
 * Sign-in CPU against the hash's, measured in alternation: before each round of sign-ins, a round
 * of argon2id verifies in this process. The machine's speed drifts (other tenants, clocks), so
 * the ratio is taken per round, then the median. The sign-ins first run `SIGN_IN_WARMUP` times:
 * the figure is a running server's, not one still compiling its hot paths. V8 needs about 700
 * sign-ins to finish optimising them: after 200, the main thread's share was still 25 % above
 * what it settles at (BENCHMARKS.md, "Steady state").
 */
async function signInAgainstHash(pid, operation, count) {
  const hashes = [];
  const postgres = [];
  const signIns = await cpuPerRound(
    pid,
    async (i) => {
      const before = postgresTicks();
      await operation(i);
      postgres.push(postgresTicks() - before);
    },
    count,
    n(SIGN_IN_WARMUP),
    async () => {
      hashes.push(await argon2VerifyCost(n(30), 1));
      postgres.length = 0;
    },
  );
  return {
    signIn: Math.round(median(signIns.total)),
    mainThread: Math.round(median(signIns.mainThread)),
    // PostgreSQL's CPU per sign-in in the last round (its server processes), 0 on SQLite.
    postgresMicros: Math.round((postgres.reduce((a, b) => a + b, 0) * USEC_PER_TICK) / postgres.length),
    hash: Math.round(median(hashes)),
    signInOverHash: round2(median(signIns.total.map((cpu, r) => cpu / hashes[r]))),
  };
}
const SIGN_IN_WARMUP = 1000;

/** CPU ticks of every PostgreSQL server process on this machine. */
function postgresTicks() {
  let ticks = 0;
  for (const { group, ticks: used } of cpuSnapshot(null).processes.values()) {
    if (group === 'postgres') ticks += used;
  }
  return ticks;
}

const round2 = (value) => Math.round(value * 100) / 100;
const n = (base) => Math.max(1, Math.round(base * scale));

function operations(server, email, token) {
  const get =
    (path, headers = {}) =>
    () =>
      fetch(`${server.publicUrl}${path}`, { headers }).then(ok);
  return {
    constantRoute: get('/health/alive'),
    loginFlow: get('/self-service/login/api'),
    registrationFlow: get('/self-service/registration/api'),
    whoami: get('/sessions/whoami', { 'x-session-token': token }),
    signIn: () => loginNative(server.publicUrl, email),
  };
}
const COUNTS = { constantRoute: 2000, loginFlow: 400, registrationFlow: 400, whoami: 1500, signIn: 100 };

async function sequentialCosts(server, email, token) {
  const costs = {};
  let signIn;
  for (const [name, operation] of Object.entries(operations(server, email, token))) {
    progress(name);
    if (name === 'signIn') {
      signIn = await signInAgainstHash(server.pid, operation, n(COUNTS[name]));
      costs[name] = signIn.signIn;
    } else {
      costs[name] = await cpuPerOperation(server.pid, operation, n(COUNTS[name]));
    }
  }
  return { costs, signIn };
}

/** Requests/s of whoami and the constant route, interleaved `rounds` times; medians. */
async function throughput(server, token) {
  const alive = [];
  const whoami = [];
  const postgresPerRequest = [];
  for (let r = 0; r < rounds; r++) {
    alive.push((await getLoad(server, '/health/alive', { connections, duration })).summary.rps);
    const headers = { 'x-session-token': token };
    const { summary } = await getLoad(server, '/sessions/whoami', { connections, duration, headers });
    whoami.push(summary.rps);
    postgresPerRequest.push((summary.cpu.postgres * summary.seconds * 1e6) / summary.ok);
  }
  const ratios = alive.map((a, i) => whoami[i] / a);
  return {
    constantRps: median(alive),
    whoamiRps: median(whoami),
    ratio: round2(median(ratios)),
    // PostgreSQL's CPU per whoami (its server processes, from /proc), 0 on SQLite.
    postgresMicrosPerWhoami: Math.round(median(postgresPerRequest)),
  };
}

async function withServer(database, env, run, nodeArgs = []) {
  const server = await startTessera(database.dsn, database.cwd, { ...SERVER_ENV, ...env }, nodeArgs);
  server.readyAt = performance.now();
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

async function benchDatabase(kind) {
  const database = await prepareDatabase(kind, { postgresUrl: values.postgres });
  const email = `cost-${Date.now()}@example.org`;
  try {
    if (values.profile) {
      const nodeArgs = ['--cpu-prof', '--cpu-prof-dir', values.profile];
      return await withServer(
        database,
        {},
        async (server) => {
          const token = await registerNative(server.publicUrl, email);
          const operation = operations(server, email, token)[values['profile-op']];
          const count = n(values['profile-op'] === 'signIn' ? 200 : 2000);
          for (let i = 0; i < 20; i++) await operation();
          const fromMs = Math.round(server.readyMs + performance.now() - server.readyAt);
          progress(
            `${kind}: profiling ${count} × ${values['profile-op']}; pass --from ${fromMs} --per ${count}`,
          );
          const cpu = await cpuPerOperation(server.pid, operation, count);
          return { [values['profile-op']]: cpu, profileFromMs: fromMs };
        },
        nodeArgs,
      );
    }
    progress(`${kind}: whoami cache on (default 1s)`);
    const cached = await withServer(database, {}, async (server) => {
      const token = await registerNative(server.publicUrl, email);
      return {
        token,
        ...(await sequentialCosts(server, email, token)),
        rps: await throughput(server, token),
      };
    });
    progress(`${kind}: whoami cache off (session.whoami.cache_ttl: 0s)`);
    const uncached = await withServer(database, { SESSION_WHOAMI_CACHE_TTL: '0s' }, async (server) => {
      const whoami = { 'x-session-token': cached.token };
      const get = () => fetch(`${server.publicUrl}/sessions/whoami`, { headers: whoami }).then(ok);
      return {
        whoami: await cpuPerOperation(server.pid, get, n(1500)),
        rps: await throughput(server, cached.token),
      };
    });
    return {
      engine: database.engine,
      argon2VerifyMicrosBesideSignIns: cached.signIn.hash,
      mainThreadMicrosPerSignIn: cached.signIn.mainThread,
      postgresMicrosPerSignIn: cached.signIn.postgresMicros,
      signInOverHash: cached.signIn.signInOverHash,
      cpuMicrosPerOperation: { ...cached.costs, whoamiUncached: uncached.whoami },
      requestsPerSecond: { connections, cached: cached.rps, uncached: uncached.rps },
    };
  } finally {
    await database.remove();
  }
}

progress('argon2id verify in this process');
const argon2VerifyMicros = await argon2VerifyCost(n(30));
const results = { argon2VerifyMicros, databases: {} };
for (const kind of kinds) {
  const result = await benchDatabase(kind);
  if (result.signIn && !result.signInOverHash)
    result.signInOverHash = round2(result.signIn / argon2VerifyMicros);
  results.databases[kind] = result;
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
