#!/usr/bin/env node
// Tessera and better-auth, interleaved in one run, as ratios (Tessera ÷ better-auth unless said).
//   npm run build && node bench/compare/run.js [--rounds 3] [--seconds 5] [--connections 8]
//     [--workers 8] [--starts 3] [--idle 10] [--json file]
// better-auth is this folder's dev dependency only; it is installed on the first run.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '../lib/stats.js';

const here = fileURLToPath(new URL('.', import.meta.url));
if (!existsSync(`${here}node_modules/better-auth`)) {
  process.stderr.write('… npm --prefix bench/compare install (better-auth)\n');
  execFileSync('npm', ['--prefix', here, 'install', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
const { betterAuth, footprint, tessera } = await import('./servers.js');
const work = await import('./workloads.js');

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    workers: { type: 'string', default: '8' },
    starts: { type: 'string', default: '3' },
    idle: { type: 'string', default: '10' },
    json: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const http = { connections: Number(values.connections), seconds: Number(values.seconds) };
const ops = { workers: Number(values.workers), seconds: Number(values.seconds) };
const log = (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

// Per round and measure, one figure per server; the order of the two alternates by round.
const samples = [];
async function both(round, label, run) {
  const sample = { round, label };
  const order = round % 2 === 0 ? ['tessera', 'better-auth'] : ['better-auth', 'tessera'];
  for (const name of order) sample[name] = await run(name);
  samples.push(sample);
  log(`${label} r${round}: ${JSON.stringify(sample)}`);
}

log('start-up and idle memory');
for (let round = 0; round < Number(values.starts); round++) {
  await both(round, 'footprint', (name) =>
    footprint(name === 'tessera' ? tessera : betterAuth, Number(values.idle)),
  );
}

const servers = { tessera: await tessera(), 'better-auth': await betterAuth() };
const uncached = await tessera({ SESSION_WHOAMI_CACHE_TTL: '0s' });
try {
  const accounts = {};
  for (const name of Object.keys(servers)) accounts[name] = await work.account(servers[name]);
  const uncachedAccount = await work.account(uncached);
  for (let round = 0; round < rounds; round++) {
    await both(round, 'constant', (name) => work.constantRate(servers[name], http));
    await both(round, 'session', (name) => work.sessionRate(servers[name], accounts[name].headers, http));
    await both(round, 'uncached', async (name) =>
      name === 'tessera'
        ? work.sessionRate(uncached, uncachedAccount.headers, http)
        : work.sessionRate(servers[name], accounts[name].headers, http),
    );
    await both(round, 'hash', (name) => work.hashCpuMs(name, 10));
    await both(round, 'sign-in', (name) => work.signInRate(servers[name], accounts[name].email, ops));
    await both(round, 'sign-up', (name) => work.signUpRate(servers[name], ops));
  }
} finally {
  await Promise.all([...Object.values(servers), uncached].map((server) => server.stop()));
}

const med = (label, name, field) =>
  median(samples.filter((s) => s.label === label).map((s) => s[name][field]));
// A difference of two noisy CPU figures can come out at or below zero: no ratio then.
const ratio = (a, b) => (b > 0 && a >= 0 ? Math.round((a / b) * 100) / 100 : 'n/a');
const figures = {};
for (const name of ['tessera', 'better-auth']) {
  const signInCpu = med('sign-in', name, 'serverCpuMsPerOp');
  const hashCpu = med('hash', name, 'cpuMs');
  figures[name] = {
    constantRps: med('constant', name, 'rps'),
    sessionRps: med('session', name, 'rps'),
    sessionP99Ms: med('session', name, 'p99Ms'),
    uncachedRps: med('uncached', name, 'rps'),
    uncachedP99Ms: med('uncached', name, 'p99Ms'),
    constantCpuMs: med('constant', name, 'serverCpuMsPerOp'),
    sessionCpuMs: med('session', name, 'serverCpuMsPerOp'),
    uncachedCpuMs: med('uncached', name, 'serverCpuMsPerOp'),
    signInRps: med('sign-in', name, 'rps'),
    signUpRps: med('sign-up', name, 'rps'),
    signInServerCpuMs: signInCpu,
    hashCpuMs: hashCpu,
    signInBeyondHashCpuMs: signInCpu - hashCpu,
    startupMs: med('footprint', name, 'readyMs'),
    startupCpuMs: med('footprint', name, 'cpuAtReadyMs'),
    idleRssMiB: med('footprint', name, 'rssMiB'),
  };
}
const [t, b] = [figures.tessera, figures['better-auth']];
const ratios = [
  ['session check req/s (Tessera cached whoami ÷ get-session)', ratio(t.sessionRps, b.sessionRps)],
  ['session check p99', ratio(t.sessionP99Ms, b.sessionP99Ms)],
  ['uncached session check req/s (cache_ttl 0 ÷ get-session)', ratio(t.uncachedRps, b.uncachedRps)],
  ['uncached session check p99', ratio(t.uncachedP99Ms, b.uncachedP99Ms)],
  ['Tessera cached whoami ÷ its constant route', ratio(t.sessionRps, t.constantRps)],
  ['Tessera uncached whoami ÷ its constant route', ratio(t.uncachedRps, t.constantRps)],
  ['better-auth get-session ÷ its constant route', ratio(b.sessionRps, b.constantRps)],
  ['Tessera constant route ÷ cached whoami, server CPU per request', ratio(t.constantCpuMs, t.sessionCpuMs)],
  [
    'Tessera constant route ÷ uncached whoami, server CPU per request',
    ratio(t.constantCpuMs, t.uncachedCpuMs),
  ],
  [
    'better-auth constant route ÷ get-session, server CPU per request',
    ratio(b.constantCpuMs, b.sessionCpuMs),
  ],
  ['sign-in req/s', ratio(t.signInRps, b.signInRps)],
  ['sign-up req/s', ratio(t.signUpRps, b.signUpRps)],
  ['server CPU per sign-in beyond the hash', ratio(t.signInBeyondHashCpuMs, b.signInBeyondHashCpuMs)],
  ['Tessera: beyond-hash CPU ÷ its hash', ratio(t.signInBeyondHashCpuMs, t.hashCpuMs)],
  ['better-auth: beyond-hash CPU ÷ its hash', ratio(b.signInBeyondHashCpuMs, b.hashCpuMs)],
  ['start-up, spawn to first answer', ratio(t.startupMs, b.startupMs)],
  ['start-up CPU', ratio(t.startupCpuMs, b.startupCpuMs)],
  ['idle RSS', ratio(t.idleRssMiB, b.idleRssMiB)],
];
const round1 = (value) => Math.round(value * 10) / 10;
const lines = ['| figure (median) | Tessera | better-auth |', '|---|---:|---:|'];
for (const key of Object.keys(t)) lines.push(`| ${key} | ${round1(t[key])} | ${round1(b[key])} |`);
lines.push(
  '',
  '| ratio | value |',
  '|---|---:|',
  ...ratios.map(([label, value]) => `| ${label} | ${value} |`),
);
process.stdout.write(`${lines.join('\n')}\n`);
if (values.json)
  writeFileSync(values.json, `${JSON.stringify({ values, figures, ratios, samples }, null, 2)}\n`);
