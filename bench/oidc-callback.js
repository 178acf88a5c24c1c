#!/usr/bin/env node
// `node scripts/ensure-built.js && node bench/oidc-callback.js`: Tessera's own CPU per OpenID
// Connect callback. Tessera runs as a child process, the provider (oidc-provider) in this one, so
// the provider's work is never counted. Each round trip is a new browser: create a browser login
// flow, submit the provider's button, follow the provider's redirects (it signs in and consents
// on its own), then open Tessera's callback. Only the callback request is measured: the CPU time
// of all of Tessera's threads (/proc/<pid>/task/*/schedstat, nanoseconds) just before and after it.
import { Buffer } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareDatabase } from './lib/databases.js';
import { describeMachine } from './lib/machine.js';
import { listenOidcProvider } from './lib/oidc-provider.js';
import { median, percentile, round1 } from './lib/stats.js';
import { startTessera } from './lib/tessera.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '30' },
    db: { type: 'string', default: 'sqlite' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    // A folder for a V8 CPU profile of Tessera (written when it stops): where the callback's time goes.
    profile: { type: 'string' },
  },
});
const N = Number(values.n);
const WARMUP = Number(values.warmup);
const progress = (message) => process.stderr.write(`… ${message}\n`);
// Nothing is ever fetched from these: the bench stops at the callback's redirect.
const UI = 'http://127.0.0.1:9/ui';

const MAPPER = `
local claims = std.extVar('claims');
{
  identity: {
    traits: { email: claims.email },
    verified_addresses: if 'email_verified' in claims && claims.email_verified
      then [{ via: 'email', value: claims.email }] else [],
  },
}
`;

/** CPU time of every thread of the process, in nanoseconds (scheduler accounting, not ticks). */
function cpuNs(pid) {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between listing and reading
    }
  }
  return total;
}

/** utime + stime of the whole process in clock ticks (1/100 s): a coarse cross-check. */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** One browser's cookies; every server here is on 127.0.0.1, and cookies ignore the port. */
class Jar {
  cookies = new Map();

  async fetch(url, init = {}) {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const gone = attributes.some((a) => {
        const [key, value = ''] = a.trim().split('=');
        if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
        if (key.toLowerCase() === 'expires') return new Date(value).getTime() < Date.now();
        return false;
      });
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1).trim());
    }
    return response;
  }
}

function expectStatus(response, status, step) {
  if (response.status !== status) throw new Error(`${step}: expected ${status}, got ${response.status}`);
}

/** A new browser signs in with the provider; returns the callback's CPU and wall time. */
async function roundTrip(server, idp) {
  const jar = new Jar();
  const html = { accept: 'text/html' };
  let response = await jar.fetch(`${server.publicUrl}/self-service/login/browser`, { headers: html });
  expectStatus(response, 303, 'create login flow');
  const flowId = new URL(response.headers.get('location')).searchParams.get('flow');
  response = await jar.fetch(`${server.publicUrl}/self-service/login/flows?id=${flowId}`, {
    headers: { accept: 'application/json' },
  });
  const flow = await response.json();
  const csrf = flow.ui.nodes.find((n) => n.attributes.name === 'csrf_token').attributes.value;
  response = await jar.fetch(flow.ui.action, {
    method: 'POST',
    headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf_token: csrf, method: 'oidc', provider: 'bench' }).toString(),
  });
  expectStatus(response, 303, 'submit provider');
  let url = response.headers.get('location');
  for (let hop = 0; new URL(url).origin === idp.issuer; hop += 1) {
    if (hop === 12) throw new Error('the provider redirected too many times');
    response = await jar.fetch(url);
    await response.arrayBuffer();
    url = new URL(response.headers.get('location'), url).href;
  }

  const providerBefore = idp.busy.ms;
  const before = cpuNs(server.pid);
  const started = performance.now();
  response = await jar.fetch(url, { headers: html });
  await response.arrayBuffer();
  const wallMs = performance.now() - started;
  const cpuMs = (cpuNs(server.pid) - before) / 1e6;
  expectStatus(response, 303, 'callback');
  if (response.headers.get('location') !== `${UI}/welcome` || !jar.cookies.has('ory_kratos_session')) {
    throw new Error(`the callback did not sign in: ${response.headers.get('location')}`);
  }
  return { cpuMs, wallMs, providerMs: idp.busy.ms - providerBefore };
}

function summary(samples) {
  const of = (key) => samples.map((s) => s[key]);
  const stats = (list) => ({
    median: round1(median(list)),
    p90: round1(percentile(list, 90)),
    mean: round1(list.reduce((a, b) => a + b, 0) / list.length),
  });
  const exclusive = samples.map((s) => s.wallMs - s.providerMs);
  return {
    n: samples.length,
    cpuMs: stats(of('cpuMs')),
    wallMs: stats(of('wallMs')),
    wallMinusProviderMs: stats(exclusive),
    providerMs: stats(of('providerMs')),
  };
}

/**
 * The same measure around a request that does nothing (`/health/alive`): what any request costs
 * here (HTTP parsing, routing, the socket's system calls), for scale.
 */
async function trivialRequests(server, count) {
  const samples = [];
  for (let i = 0; i < count; i += 1) {
    const before = cpuNs(server.pid);
    const started = performance.now();
    const response = await fetch(`${server.publicUrl}/health/alive`, { headers: { accept: 'text/html' } });
    await response.arrayBuffer();
    samples.push({
      cpuMs: (cpuNs(server.pid) - before) / 1e6,
      wallMs: performance.now() - started,
      providerMs: 0,
    });
  }
  const { n, cpuMs, wallMs } = summary(samples);
  return { n, cpuMs, wallMs };
}

/** Tessera's CPU while nothing is asked of it, in ms per second (timers, pollers). */
async function idleCpuMsPerSecond(pid) {
  const before = cpuNs(pid);
  await sleep(2000);
  return round1((cpuNs(pid) - before) / 1e6 / 2);
}

async function phase(name, count, server, idp, account, fresh) {
  progress(`${name}: ${count} round trips`);
  const samples = [];
  for (let i = 0; i < count; i += 1) {
    if (fresh) {
      account.sub = `${name}-${Date.now()}-${i}`;
      account.email = `${account.sub}@example.org`;
    }
    samples.push(await roundTrip(server, idp));
  }
  return samples;
}

const idp = await listenOidcProvider();
const database = await prepareDatabase(values.db, { postgresUrl: values.postgres });
let server;
try {
  server = await startTessera(
    database.dsn,
    database.cwd,
    {
      SECURITY_BRUTE_FORCE_ENABLED: 'false',
      SELFSERVICE_FLOWS_LOGIN_UI_URL: `${UI}/login`,
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL: `${UI}/registration`,
      SELFSERVICE_FLOWS_ERROR_UI_URL: `${UI}/error`,
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: `${UI}/welcome`,
      SELFSERVICE_METHODS_OIDC_ENABLED: 'true',
      SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS: JSON.stringify([
        {
          id: 'bench',
          provider: 'generic',
          client_id: idp.client.client_id,
          client_secret: idp.client.client_secret,
          issuer_url: idp.issuer,
          scope: ['email'],
          mapper_url: `base64://${Buffer.from(MAPPER).toString('base64')}`,
        },
      ]),
    },
    values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [],
  );
  const account = { sub: 'bench-person', email: 'bench-person@example.org' };
  await idp.start(`${server.publicUrl}/self-service/methods/oidc/callback/bench`, account);

  // The first round trip signs the person up (the login flow turns into a registration).
  await phase('warm-up', WARMUP, server, idp, account, false);
  const idle = await idleCpuMsPerSecond(server.pid);
  const trivial = await trivialRequests(server, N);
  const ticksBefore = cpuTicks(server.pid);
  const signIns = await phase('sign-in', N, server, idp, account, false);
  const signUps = await phase('sign-up', N, server, idp, account, true);
  const ticks = cpuTicks(server.pid) - ticksBefore;
  const all = [...signIns, ...signUps];
  const result = {
    benchmark: 'oidc-callback',
    database: database.engine,
    machine: describeMachine(),
    warmup: WARMUP,
    signIn: summary(signIns),
    signUp: summary(signUps),
    trivialRequest: trivial,
    idleCpuMsPerSecond: idle,
    crossCheck: {
      note: 'whole process CPU over all measured round trips (flow creation, submit and callback), /proc/<pid>/stat',
      procStatCpuMs: ticks * 10,
      callbacksCpuMs: round1(all.reduce((sum, s) => sum + s.cpuMs, 0)),
    },
    targetCpuMs: 10,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await server?.stop();
  await idp.close();
  await database.remove();
}
