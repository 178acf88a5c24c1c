#!/usr/bin/env node
// `npm run bench:flows`: the self-service hot paths on this machine. Numbers, not a pass/fail test.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { prepareDatabase } from './lib/databases.js';
import { describeMachine } from './lib/machine.js';
import { startTessera } from './lib/tessera.js';
import { argon2Baseline } from './scenarios/argon2.js';
import { getLoad, loginNative, operationLoad, registerNative } from './scenarios/flows.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '10' },
    json: { type: 'string' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const duration = Number(values.duration);
const kinds = values.db === 'both' ? ['sqlite', 'postgres'] : [values.db];
const progress = (message) => process.stderr.write(`… ${message}\n`);
// One account is signed into over and over, so the brute-force limits would count the bench;
// and the machine has no internet for the breached-password check.
const SERVER_ENV = {
  SECURITY_BRUTE_FORCE_ENABLED: 'false',
  SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
};

async function benchDatabase(kind) {
  const database = await prepareDatabase(kind, { postgresUrl: values.postgres });
  const server = await startTessera(database.dsn, database.cwd, SERVER_ENV);
  try {
    const idle = server.memory();
    const email = `bench-${Date.now()}@example.org`;
    const token = await registerNative(server.publicUrl, email);
    const whoami = { connections: 10, duration, headers: { 'x-session-token': token } };
    const results = {};
    progress(`${kind}: constant route`);
    results.constant = (await getLoad(server, '/health/alive', { connections: 10, duration })).summary;
    progress(`${kind}: toSession`);
    results.toSession = (await getLoad(server, '/sessions/whoami', whoami)).summary;
    progress(`${kind}: toSession at 2,000 requests/s`);
    results.toSessionAt2000 = (await getLoad(server, '/sessions/whoami', { ...whoami, rate: 2000 })).summary;
    progress(`${kind}: createNativeLoginFlow`);
    results.createNativeLoginFlow = (
      await getLoad(server, '/self-service/login/api', { connections: 10, duration })
    ).summary;
    const workers = availableParallelism() * 2;
    progress(`${kind}: full native login`);
    results.nativeLogin = await operationLoad(() => loginNative(server.publicUrl, email), workers, duration);
    progress(`${kind}: full native registration`);
    const prefix = `reg-${Date.now()}`;
    results.nativeRegistration = await operationLoad(
      (w, i) => registerNative(server.publicUrl, `${prefix}-${w}-${i}@example.org`),
      workers,
      duration,
    );
    progress(`${kind}: toSession at 2,000 requests/s while logins saturate hashing`);
    const [underLoad, logins] = await Promise.all([
      getLoad(server, '/sessions/whoami', { ...whoami, rate: 2000 }),
      operationLoad(() => loginNative(server.publicUrl, email), workers * 4, duration),
    ]);
    results.toSessionWhileLoggingIn = underLoad.summary;
    results.loginsDuringThat = logins;
    return { engine: database.engine, memory: { idle, afterMixedLoad: server.memory() }, results };
  } finally {
    await server.stop();
    await database.remove();
  }
}

const machine = describeMachine();
progress('argon2id verify floor (default parameters, one in flight per core)');
const argon2 = await argon2Baseline(availableParallelism(), 5);
const databases = {};
for (const kind of kinds) databases[kind] = await benchDatabase(kind);
const results = { machine, argon2, databases };
process.stdout.write(
  `${JSON.stringify(results, (key, value) => (key === 'statusCodes' || key === 'cpu' ? undefined : value), 2)}\n`,
);
if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
