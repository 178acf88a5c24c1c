#!/usr/bin/env node
// `npm run bench:courier`: courier throughput to a local SMTP sink, through BullMQ with 1 and 2
// `tessera courier watch` workers (and, for comparison, the database poller without Redis).
// Numbers, not a pass/fail test.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { prepareDatabase } from './lib/databases.js';
import { describeMachine } from './lib/machine.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    messages: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '1,2' },
    mode: { type: 'string', default: 'bullmq,poller' },
    json: { type: 'string' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});
const N = Number(values.messages);
const kinds = values.db === 'both' ? ['sqlite', 'postgres'] : [values.db];
const workerCounts = values.workers.split(',').map(Number);
const modes = values.mode.split(',');
const TESSERA_BIN = fileURLToPath(new URL('../bin/tessera.js', import.meta.url));
const progress = (message) => process.stderr.write(`… ${message}\n`);

const children = new Set();
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));

/** An authless SMTP server on loopback that only counts what it accepts. */
async function startSink() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address();
  return {
    uri: `smtp://127.0.0.1:${port}/?disable_starttls=true`,
    received: () => received,
    reset: () => (received = 0),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function startWorker(dsn, cwd, env) {
  let output = '';
  const child = spawn(process.execPath, [TESSERA_BIN, 'courier', 'watch'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', DSN: dsn, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.stdout.on('data', (chunk) => (output += chunk.toString()));
  child.stderr.on('data', (chunk) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('courier worker is running')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not start:\n${output}`);
    await sleep(50);
  }
  return {
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      children.delete(child);
    },
  };
}

const ROW_COLUMNS = [
  'id',
  'type',
  'status',
  'recipient',
  'subject',
  'body',
  'body_html',
  'template_type',
  'template_data',
  'send_count',
  'identity_id',
  'channel',
  'send_after',
  'claim_token',
  'claimed_at',
  'created_at',
  'updated_at',
];

function rows(count) {
  const now = new Date();
  return Array.from({ length: count }, (_, i) => {
    const recipient = `bench-${i}@example.org`;
    return [
      randomUUID(),
      'email',
      'queued',
      recipient,
      `Use code ${100000 + i} to log in`,
      `Hi,\n\nplease log in to your account by entering the following code:\n\n${100000 + i}`,
      `<p>Hi,</p>\n<p>please log in to your account by entering the following code:</p>\n<p>${100000 + i}</p>`,
      'login_code_valid',
      JSON.stringify({ To: recipient, LoginCode: String(100000 + i) }),
      0,
      null,
      'email',
      null,
      null,
      null,
      now,
      now,
    ];
  });
}

/** Inserts the queued rows in one transaction, as flows would have committed them. */
async function insertRows(database, batch) {
  if (database.kind === 'postgres') {
    const client = new pg.Client({ connectionString: database.dsn.replace(/options=.*/, '') });
    await client.connect();
    try {
      const schema = /search_path%3D(\w+)/.exec(database.dsn)[1];
      await client.query(`SET search_path TO ${schema}`);
      await client.query('BEGIN');
      for (let offset = 0; offset < batch.length; offset += 500) {
        const chunk = batch.slice(offset, offset + 500);
        const params = chunk.flat();
        const tuples = chunk.map(
          (_, r) => `(${ROW_COLUMNS.map((__, c) => `$${r * ROW_COLUMNS.length + c + 1}`).join(',')})`,
        );
        await client.query(
          `INSERT INTO courier_messages (${ROW_COLUMNS.join(',')}) VALUES ${tuples.join(',')}`,
          params,
        );
      }
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(database.dsn.slice('sqlite://'.length).split('?')[0]);
  db.pragma('busy_timeout = 10000');
  const insert = db.prepare(
    `INSERT INTO courier_messages (${ROW_COLUMNS.join(',')}) VALUES (${ROW_COLUMNS.map(() => '?').join(',')})`,
  );
  // TypeORM's datetime text on SQLite.
  const text = (value) =>
    value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : value;
  db.transaction(() => batch.forEach((row) => insert.run(row.map(text))))();
  db.close();
}

async function run(kind, mode, workers, sink) {
  const database = await prepareDatabase(kind, { postgresUrl: values.postgres });
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const env = {
    COURIER_SMTP_CONNECTION_URI: sink.uri,
    ...(mode === 'bullmq' ? { COURIER_QUEUE_REDIS_URL: values.redis, COURIER_QUEUE_PREFIX: prefix } : {}),
  };
  const queue =
    mode === 'bullmq' ? new Queue('courier', { connection: { url: values.redis }, prefix }) : null;
  const started = [];
  try {
    for (let i = 0; i < workers; i++) started.push(await startWorker(database.dsn, database.cwd, env));
    sink.reset();
    const batch = rows(N);
    const t0 = performance.now();
    await insertRows(database, batch);
    if (queue) {
      const options = {
        attempts: 6,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: true,
      };
      for (let offset = 0; offset < batch.length; offset += 500) {
        await queue.addBulk(
          batch.slice(offset, offset + 500).map((row) => ({
            name: 'send',
            data: { messageId: row[0] },
            opts: { ...options, jobId: row[0] },
          })),
        );
      }
    }
    const enqueuedMs = performance.now() - t0;
    while (sink.received() < N) {
      if (performance.now() - t0 > 600_000) throw new Error(`only ${sink.received()} of ${N} delivered`);
      await sleep(20);
    }
    const seconds = (performance.now() - t0) / 1000;
    await sleep(500);
    return {
      db: kind,
      mode,
      workers,
      messages: N,
      delivered: sink.received(),
      seconds: Math.round(seconds * 100) / 100,
      messagesPerSecond: Math.round(N / seconds),
      enqueueMs: Math.round(enqueuedMs),
    };
  } finally {
    for (const worker of started) await worker.stop();
    if (queue) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    await database.remove();
  }
}

const sink = await startSink();
const results = [];
try {
  for (const kind of kinds) {
    for (const mode of modes) {
      for (const workers of workerCounts) {
        progress(`${kind}, ${mode}, ${workers} worker(s), ${N} messages`);
        const result = await run(kind, mode, workers, sink);
        progress(
          `${result.messagesPerSecond} messages/s (${result.seconds} s, ${result.delivered} delivered)`,
        );
        results.push(result);
      }
    }
  }
} finally {
  await sink.close();
}
const report = { machine: describeMachine(), results };
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
