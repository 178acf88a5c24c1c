#!/usr/bin/env node
// `npm run bench:hook-outbox`: ignored web hooks through the durable outbox at a fixed rate (200
// calls per second for 60 s by default) against a local HTTP receiver. Every call is committed in
// a transaction of its own, as a flow does, by a child process running the real outbox module
// (dist/); the receiver here counts deliveries, measures enqueue-to-arrival latency and reads the
// child's RSS every 10 s. Modes: the SQLite database poller, and BullMQ with Redis.
// Numbers, not a pass/fail test.
import { Buffer } from 'node:buffer';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { processCpuTicks } from './lib/cpu.js';
import { describeMachine } from './lib/machine.js';
import { percentile, round1 } from './lib/stats.js';
import { memoryOf } from './lib/tessera.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    mode: { type: 'string', default: 'poller,bullmq' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    child: { type: 'boolean', default: false },
    url: { type: 'string' },
    dsn: { type: 'string' },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const REPORT_EVERY_S = 10;

if (values.child) await runOutbox();
else await runBench();

/** The child: the real WebHookOutboxModule in a Nest context, enqueuing at RATE per second. */
async function runOutbox() {
  const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;
  await import('reflect-metadata');
  const { NestFactory } = await import('@nestjs/core');
  const { ConfigModule, ConfigService, loadConfig } = await import(dist('libs/config/index.js'));
  const { courierUsesRedis } = await import(dist('libs/courier/index.js'));
  const { AppLogger, LoggingModule } = await import(dist('libs/logging/index.js'));
  const { Database, PersistenceModule } = await import(dist('libs/persistence/index.js'));
  const outboxLib = await import(dist('libs/web-hook-outbox/index.js'));
  const { MIGRATIONS } = await import(dist('migrations/index.js'));
  const env = { DSN: values.dsn, SECRETS_CIPHER: 'a-cipher-secret-of-32-characters' };
  if (values.redis && process.env.BENCH_MODE === 'bullmq') {
    env.COURIER_QUEUE_REDIS_URL = values.redis;
    env.COURIER_QUEUE_PREFIX = `bench-${randomBytes(4).toString('hex')}`;
  }
  const loaded = loadConfig({
    configFiles: [],
    env,
    dev: false,
    cwd: process.cwd(),
    needsCookieSecret: false,
  });
  const logger = new AppLogger({ level: 'warn', secrets: loaded.secrets });
  const redis = courierUsesRedis(new ConfigService(loaded));
  class BenchRoot {}
  const app = await NestFactory.createApplicationContext(
    {
      module: BenchRoot,
      imports: [
        ConfigModule.forRoot(loaded),
        LoggingModule.forRoot(logger),
        PersistenceModule.forRoot({
          entities: [...outboxLib.WEB_HOOK_OUTBOX_ENTITIES],
          migrations: MIGRATIONS,
          migrateOnStart: true,
        }),
        // The server's own shape: with Redis it enqueues and (--watch-courier) consumes.
        outboxLib.WebHookOutboxModule.forRoot({ role: 'server', watch: true, redis }),
      ],
    },
    { logger: false },
  );
  await app.init();
  const outbox = app.get(outboxLib.WebHookOutbox);
  const db = app.get(Database);
  process.send({ ready: true });
  const started = Date.now();
  let sent = 0;
  const total = RATE * SECONDS;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
    const batch = [];
    for (; sent < due; sent++) {
      const body = JSON.stringify({ n: sent, t: Date.now() });
      batch.push(
        db.transaction(() =>
          outbox.enqueue({
            url: values.url,
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'bench-key' },
            body,
            timeoutMs: 5_000,
          }),
        ),
      );
    }
    await Promise.all(batch);
    await sleep(5);
  }
  process.send({ enqueued: sent });
  process.on('message', async (message) => {
    if (message === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
}

/** The parent: receiver, child process, and the report every 10 s. */
async function runBench() {
  console.log(`web hook outbox: ${RATE} calls/s for ${SECONDS} s — ${JSON.stringify(describeMachine())}`);
  for (const mode of values.mode.split(',')) await runMode(mode);
  process.exit(0);
}

async function runMode(mode) {
  const latencies = [];
  const keys = new Set();
  let received = 0;
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const { t } = JSON.parse(Buffer.concat(chunks).toString());
      latencies.push(Date.now() - t);
      keys.add(request.headers['idempotency-key']);
      received++;
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/hook`;
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-bench-outbox-'));
  const dsn = `sqlite://${join(cwd, 'tessera.sqlite')}`;
  const child = fork(
    fileURLToPath(import.meta.url),
    [
      '--child',
      `--url=${url}`,
      `--dsn=${dsn}`,
      `--rate=${RATE}`,
      `--seconds=${SECONDS}`,
      `--redis=${values.redis}`,
    ],
    { env: { ...process.env, BENCH_MODE: mode }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the outbox process exited with ${code}`)));
  });
  const cpuAtReady = processCpuTicks(child.pid);
  console.log(`\n${mode === 'bullmq' ? 'BullMQ (Redis)' : 'SQLite database poller'}`);
  console.log('   t  delivered/s  p50 ms  p99 ms  RSS MiB');
  const started = Date.now();
  let lastCount = 0;
  let lastLatency = 0;
  const rows = [];
  for (let tick = 1; tick <= SECONDS / REPORT_EVERY_S + 3; tick++) {
    await sleep(started + tick * REPORT_EVERY_S * 1000 - Date.now());
    const window = latencies.slice(lastLatency);
    const row = {
      t: tick * REPORT_EVERY_S,
      perSecond: round1((received - lastCount) / REPORT_EVERY_S),
      p50: percentile(window, 50),
      p99: percentile(window, 99),
      rss: round1(memoryOf(child.pid).rssMiB),
    };
    rows.push(row);
    console.log(
      `${String(row.t).padStart(4)}  ${String(row.perSecond).padStart(11)}  ${String(row.p50 ?? '-').padStart(6)}  ${String(row.p99 ?? '-').padStart(6)}  ${String(row.rss).padStart(7)}`,
    );
    lastCount = received;
    lastLatency = latencies.length;
    if (received >= RATE * SECONDS && tick >= SECONDS / REPORT_EVERY_S) break;
  }
  // /proc ticks are 10 ms: enqueue (the flow's commit), claim, send and outcome, per delivered call.
  const cpuMs = (processCpuTicks(child.pid) - cpuAtReady) * 10;
  console.log(
    `outbox process CPU: ${cpuMs} ms in all, ${round1(cpuMs / Math.max(1, received))} ms per delivered call; load average ${loadavg()
      .map(round1)
      .join(' ')}`,
  );
  console.log(
    `total: ${received} delivered of ${RATE * SECONDS}, ${keys.size} distinct idempotency keys; latency p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms over the run`,
  );
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve) => server.close(resolve));
}
