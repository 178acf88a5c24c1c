#!/usr/bin/env node
// `npm run bench:import`: does a large admin import starve sign-ins? Sign-in latency on an idle
// server, then while 1,000 identities with plaintext passwords are imported (each one an argon2id
// hash). Admin hashing goes through the sign-in hash gate with at most half its slots, so the
// import should queue behind itself. Numbers, not a pass/fail test.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { prepareDatabase } from './lib/databases.js';
import { cpuSnapshot, cpuUsed } from './lib/cpu.js';
import { describeMachine } from './lib/machine.js';
import { percentile, round1 } from './lib/stats.js';
import { startTessera } from './lib/tessera.js';
import { loginNative, PASSWORD } from './scenarios/flows.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    identities: { type: 'string', default: '1000' },
    mode: { type: 'string', default: 'creates' },
    concurrency: { type: 'string', default: '16' },
    signins: { type: 'string', default: '100' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const total = Number(values.identities);
const concurrency = Number(values.concurrency);
const idleSignins = Number(values.signins);
const BATCH_PLAINTEXT_LIMIT = 200;
const progress = (message) => process.stderr.write(`… ${message}\n`);

// One account is signed into over and over (brute-force limits off), and no internet here.
const SERVER_ENV = {
  SECURITY_BRUTE_FORCE_ENABLED: 'false',
  SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
};

async function ok(response) {
  const body = await response.json();
  if (!response.ok) throw new Error(`${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

const identityBody = (email) => ({
  schema_id: 'default',
  traits: { email },
  credentials: { password: { config: { password: PASSWORD } } },
});

function post(url, method, body) {
  return fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** 1,000 parallel `POST /admin/identities` (`concurrency` at a time), or batches of 200. */
async function importIdentities(adminUrl, run) {
  const emails = Array.from({ length: total }, (_, i) => `import-${run}-${i}@example.org`);
  if (values.mode === 'batch') {
    const batches = [];
    for (let i = 0; i < emails.length; i += BATCH_PLAINTEXT_LIMIT) {
      batches.push(emails.slice(i, i + BATCH_PLAINTEXT_LIMIT));
    }
    const answers = await Promise.all(
      batches.map(async (batch) =>
        ok(
          await post(`${adminUrl}/admin/identities`, 'PATCH', {
            identities: batch.map((email) => ({ create: identityBody(email) })),
          }),
        ),
      ),
    );
    const failed = answers.flatMap((a) => a.identities).filter((r) => r.action !== 'create');
    if (failed.length > 0) throw new Error(`batch import: ${JSON.stringify(failed[0])}`);
    return;
  }
  let next = 0;
  const worker = async () => {
    while (next < emails.length) {
      const email = emails[next++];
      await ok(await post(`${adminUrl}/admin/identities`, 'POST', identityBody(email)));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Timed native sign-ins, one after another, until `count` are done or `until()` says stop. */
async function signIns(publicUrl, email, { count, until }) {
  const latencies = [];
  while (count ? latencies.length < count : !until()) {
    const started = performance.now();
    await loginNative(publicUrl, email);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

const summary = (list) => ({
  count: list.length,
  p50Ms: round1(percentile(list, 50)),
  p99Ms: round1(percentile(list, 99)),
  maxMs: round1(Math.max(...list)),
});

const database = await prepareDatabase(values.db, { postgresUrl: values.postgres });
const server = await startTessera(database.dsn, database.cwd, SERVER_ENV);
try {
  const email = `signin-${Date.now()}@example.org`;
  await ok(await post(`${server.adminUrl}/admin/identities`, 'POST', identityBody(email)));
  await signIns(server.publicUrl, email, { count: 10 }); // warm-up, not counted

  progress(`idle: ${idleSignins} sign-ins`);
  const idle = summary(await signIns(server.publicUrl, email, { count: idleSignins }));

  progress(`importing ${total} identities (${values.mode}) while signing in`);
  let importing = true;
  const cpuBefore = cpuSnapshot(server.pid);
  const started = performance.now();
  const imported = importIdentities(server.adminUrl, Date.now()).finally(() => (importing = false));
  const during = signIns(server.publicUrl, email, { until: () => !importing });
  await imported;
  const importSeconds = (performance.now() - started) / 1000;
  const busy = summary(await during);
  const cpu = cpuUsed(cpuBefore, cpuSnapshot(server.pid));
  // The machine's other load drifts, so idle is measured again after the import: both ratios.
  progress(`idle again: ${idleSignins} sign-ins`);
  const idleAfter = summary(await signIns(server.publicUrl, email, { count: idleSignins }));

  console.log(
    JSON.stringify(
      {
        machine: describeMachine(),
        database: database.engine,
        import: {
          identities: total,
          mode: values.mode,
          ...(values.mode === 'batch' ? { batchSize: BATCH_PLAINTEXT_LIMIT } : { concurrency }),
          seconds: round1(importSeconds),
          identitiesPerSecond: round1(total / importSeconds),
        },
        signInIdle: idle,
        signInDuringImport: busy,
        signInIdleAfter: idleAfter,
        p99Ratio: round1(busy.p99Ms / idle.p99Ms),
        p99RatioToIdleAfter: round1(busy.p99Ms / idleAfter.p99Ms),
        cpuDuringImport: cpu,
      },
      null,
      2,
    ),
  );
} finally {
  await server.stop();
  await database.remove();
}
