#!/usr/bin/env node
// `npm run bench:hooks`: the server CPU one synchronous `web_hook` adds to a registration, beyond
// the receiver's latency. Two servers on fresh SQLite files, one without hooks and one with a
// post-persist web hook (Jsonnet body over the whole ctx) to a local receiver that answers after
// `--latency` ms; rounds of sequential registrations alternate between them, and the server's
// CPU comes from /proc/<pid>/stat (utime + stime). Passwords use bcrypt cost 4 so hashing does not
// drown the difference. Numbers, not a pass/fail test.
//
// The hooked server sits idle for the receiver's latency in every registration, and a process
// that idles pays for it when it wakes (cold caches, the peer's wake-up on each write): that cost
// is the latency's, not the hook's. So the server without hooks is measured twice, back to back
// and with its client pausing `--latency` ms in every registration (between the flow's creation
// and its submission), and the hook's cost is reported against both.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { processCpuTicks } from './lib/cpu.js';
import { describeMachine } from './lib/machine.js';
import { migrate, startTessera } from './lib/tessera.js';

const { values } = parseArgs({
  options: {
    registrations: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    latency: { type: 'string', default: '20' },
    // A folder for V8 CPU profiles of both servers (written when they stop), in `plain/` and
    // `hooked/`: where the hook's time goes.
    profile: { type: 'string' },
  },
});
const perRound = Number(values.registrations);
const rounds = Number(values.rounds);
const latency = Number(values.latency);
const MS_PER_TICK = 10;

const BODY = `function(ctx) {
  flow_id: ctx.flow.id,
  identity: ctx.identity,
  user_agent: std.get(ctx.request_headers, 'User-Agent', []),
  campaign: std.get(std.get(ctx.flow, 'transient_payload', {}), 'campaign', null),
}`;

function receiver() {
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'), latency);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${server.address().port}/hook`, calls: () => calls }),
    ),
  );
}

async function server(hookUrl) {
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-bench-hooks-'));
  writeFileSync(join(cwd, 'body.jsonnet'), BODY);
  const hooks = [{ hook: 'session' }];
  if (hookUrl)
    hooks.unshift({
      hook: 'web_hook',
      config: { url: hookUrl, method: 'POST', body: 'file://body.jsonnet' },
    });
  const dsn = `sqlite://${join(cwd, 'db.sqlite')}`;
  await migrate(dsn, cwd);
  return startTessera(
    dsn,
    cwd,
    {
      HASHERS_ALGORITHM: 'bcrypt',
      HASHERS_BCRYPT_COST: '4',
      SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS: JSON.stringify(hooks),
    },
    values.profile
      ? ['--cpu-prof', `--cpu-prof-dir=${join(values.profile, hookUrl ? 'hooked' : 'plain')}`]
      : [],
  );
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function call(url, method, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url, {
      method,
      agent,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'bench' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : {} }));
    });
    req.end(payload);
  });
}

let counter = 0;
async function registerOnce(publicUrl, pauseMs = 0) {
  const flow = await call(`${publicUrl}/self-service/registration/api`, 'GET');
  if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  const email = `bench-${process.pid}-${counter++}@example.org`;
  const done = await call(`${publicUrl}/self-service/registration?flow=${flow.body.id}`, 'POST', {
    method: 'password',
    traits: { email },
    password: 'Quartz-Lantern-Orbit-73',
    transient_payload: { campaign: 'bench' },
  });
  if (done.status !== 200)
    throw new Error(`registration answered ${done.status}: ${JSON.stringify(done.body)}`);
}

/** CPU ms of the server per registration, and wall ms per registration, over one round. */
async function round(tessera, pauseMs = 0) {
  const ticks = processCpuTicks(tessera.pid);
  const started = performance.now();
  for (let i = 0; i < perRound; i++) await registerOnce(tessera.publicUrl, pauseMs);
  const wall = (performance.now() - started) / perRound;
  return { cpu: ((processCpuTicks(tessera.pid) - ticks) * MS_PER_TICK) / perRound, wall };
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

const target = await receiver();
console.log(describeMachine());
console.log(`hooks bench: ${rounds} rounds × ${perRound} registrations each, receiver latency ${latency} ms`);
const plain = await server(undefined);
const hooked = await server(target.url);
try {
  for (let i = 0; i < 20; i++) {
    await registerOnce(plain.publicUrl);
    await registerOnce(hooked.publicUrl);
  }
  const without = [];
  const idled = [];
  const withHook = [];
  for (let r = 0; r < rounds; r++) {
    without.push(await round(plain));
    idled.push(await round(plain, latency));
    withHook.push(await round(hooked));
  }
  const cpu = (list) => median(list.map((x) => x.cpu));
  const wall = (list) => median(list.map((x) => x.wall));
  const perRoundCpu = (list) => list.map((x) => x.cpu.toFixed(2)).join(' ');
  console.log(
    `without hooks : server CPU ${cpu(without).toFixed(2)} ms/registration, wall ${wall(without).toFixed(2)} ms`,
  );
  console.log(
    `without, idle : server CPU ${cpu(idled).toFixed(2)} ms/registration, wall ${wall(idled).toFixed(2)} ms (client pauses ${latency} ms)`,
  );
  console.log(
    `one web_hook  : server CPU ${cpu(withHook).toFixed(2)} ms/registration, wall ${wall(withHook).toFixed(2)} ms`,
  );
  console.log(`per round (ms CPU) without: ${perRoundCpu(without)}`);
  console.log(`per round (ms CPU) idle   : ${perRoundCpu(idled)}`);
  console.log(`per round (ms CPU) with   : ${perRoundCpu(withHook)}`);
  console.log(
    `web hook adds : ${(cpu(withHook) - cpu(idled)).toFixed(2)} ms server CPU per registration beyond the receiver's latency (against the idle control; target ≤ 2 ms)`,
  );
  console.log(
    `                ${(cpu(withHook) - cpu(without)).toFixed(2)} ms against back-to-back registrations; wall +${(wall(withHook) - wall(without)).toFixed(2)} ms (receiver latency ${latency} ms)`,
  );
  console.log(`receiver calls: ${target.calls()}`);
} finally {
  await plain.stop();
  await hooked.stop();
  target.server.close();
}
