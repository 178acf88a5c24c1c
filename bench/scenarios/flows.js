// The self-service hot paths: whoami, login flows, full native logins and registrations.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { load } from '../lib/load.js';
import { percentile, round1 } from '../lib/stats.js';

export const PASSWORD = `bench-login-${randomBytes(8).toString('hex')}`;

async function json(response) {
  const body = await response.json();
  if (!response.ok) throw new Error(`${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/** One native registration: create the flow, submit traits and password. Returns the session token. */
export async function registerNative(publicUrl, email) {
  const flow = await json(await fetch(`${publicUrl}/self-service/registration/api`));
  const done = await json(
    await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'password', traits: { email }, password: PASSWORD }),
    }),
  );
  return done.session_token;
}

/** One native login: create the flow, submit identifier and password. */
export async function loginNative(publicUrl, email) {
  const flow = await json(await fetch(`${publicUrl}/self-service/login/api`));
  const done = await json(
    await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'password', identifier: email, password: PASSWORD }),
    }),
  );
  return done.session_token;
}

/**
 * Closed-loop workers repeating a whole multi-request operation for `seconds`: operations per
 * second and the latency of the whole operation (both requests), measured from the client.
 */
export async function operationLoad(operation, workers, seconds) {
  const latencies = [];
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async (w) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const startedAt = performance.now();
      try {
        await operation(w, i);
        latencies.push(performance.now() - startedAt);
      } catch {
        failures++;
      }
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  const elapsed = (performance.now() - startedAt) / 1000;
  return {
    workers,
    seconds: round1(elapsed),
    ok: latencies.length,
    failures,
    rps: round1(latencies.length / elapsed),
    p50Ms: round1(percentile(latencies, 50)),
    p99Ms: round1(percentile(latencies, 99)),
  };
}

/** A plain autocannon run against one GET path. */
export function getLoad(server, path, { connections, duration, headers = {}, rate }) {
  return load({
    url: server.publicUrl,
    requests: [{ method: 'GET', path, headers }],
    connections,
    duration,
    maxRequests: rate ? rate * duration : 1_000_000,
    tesseraPid: server.pid,
    ...(rate ? { overallRate: rate } : {}),
  });
}
