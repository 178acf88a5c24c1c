// What the comparison asks of each server: a constant route, session checks, sign-ins, sign-ups,
// and the password hash alone. Tessera speaks Kratos' native API flows, better-auth its own API.
import { randomBytes } from 'node:crypto';
import { Algorithm, hash, verify, Version } from '@node-rs/argon2';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import { processCpuTicks } from '../lib/cpu.js';
import { load } from '../lib/load.js';
import { loginNative, operationLoad, PASSWORD, registerNative } from '../scenarios/flows.js';

async function ok(response) {
  if (!response.ok) throw new Error(`${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response;
}

// As a browser would send it: better-auth refuses a fetch() POST without an Origin.
const post = (url, body) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(url).origin },
    body: JSON.stringify(body),
  });

/** Per server: sign up (returns what a session check sends), sign in, and the session check. */
const API = {
  tessera: {
    signUp: async (url, email) => ({ 'x-session-token': await registerNative(url, email) }),
    signIn: (url, email) => loginNative(url, email),
    sessionPath: '/sessions/whoami',
  },
  'better-auth': {
    async signUp(url, email) {
      const response = await ok(
        await post(`${url}/api/auth/sign-up/email`, { email, password: PASSWORD, name: 'Bench' }),
      );
      return { cookie: response.headers.get('set-cookie').split(';')[0] };
    },
    signIn: async (url, email) =>
      ok(await post(`${url}/api/auth/sign-in/email`, { email, password: PASSWORD })),
    sessionPath: '/api/auth/get-session',
  },
};

let serial = 0;
const newEmail = () => `bench-${process.pid}-${serial++}-${randomBytes(3).toString('hex')}@example.org`;

/** One account to sign in as and the session headers of its sign-up. */
export async function account(server) {
  const email = newEmail();
  return { email, headers: await API[server.name].signUp(server.url, email) };
}

/** autocannon on one GET path: requests per second and p99 of the 2xx answers. */
export async function getRate(server, path, headers, { connections, seconds }) {
  const { summary } = await load({
    url: server.url,
    requests: [{ method: 'GET', path, headers }],
    connections,
    duration: seconds,
    tesseraPid: server.pid,
  });
  if (summary.non2xx > 0 || summary.errors > 0)
    throw new Error(`${server.name} ${path}: ${summary.non2xx} non-2xx`);
  // Server CPU per answered request: unlike req/s, it holds on a busy machine.
  const cpuMs = (summary.cpu.tessera * summary.seconds * 1000) / summary.ok;
  return { rps: summary.rps, p99Ms: summary.p99Ms, serverCpuMsPerOp: cpuMs };
}

export const constantRate = (server, options) => getRate(server, server.constantPath, {}, options);
export const sessionRate = (server, headers, options) =>
  getRate(server, API[server.name].sessionPath, headers, options);

/** Closed-loop workers; `work` is the server's sign-in or sign-up. Server CPU per operation too. */
async function operations(server, work, { workers, seconds }) {
  const before = processCpuTicks(server.pid);
  const result = await operationLoad(work, workers, seconds);
  const cpuMs = (processCpuTicks(server.pid) - before) * 10;
  if (result.failures > 0) throw new Error(`${server.name}: ${result.failures} failed operations`);
  return { rps: result.rps, p99Ms: result.p99Ms, serverCpuMsPerOp: cpuMs / result.ok };
}

export function signInRate(server, email, options) {
  return operations(server, () => API[server.name].signIn(server.url, email), options);
}

export function signUpRate(server, options) {
  return operations(server, () => API[server.name].signUp(server.url, newEmail()), options);
}

// Tessera's default hasher (libs/hash, not changed here): argon2id, 19 MiB, t=2, p=1.
const ARGON2ID = {
  algorithm: Algorithm.Argon2id,
  version: Version.V0x13,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

const hashes = {};

/** CPU milliseconds (all threads of this process) per verification with the server's default hash. */
export async function hashCpuMs(name, count) {
  hashes.tessera ??= await hash(PASSWORD, ARGON2ID);
  hashes['better-auth'] ??= await hashPassword(PASSWORD); // better-auth's default: scrypt
  const verifyOnce = {
    tessera: () => verify(hashes.tessera, PASSWORD),
    'better-auth': () => verifyPassword({ hash: hashes['better-auth'], password: PASSWORD }),
  }[name];
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) if (!(await verifyOnce())) throw new Error('hash did not verify');
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000 / count };
}
