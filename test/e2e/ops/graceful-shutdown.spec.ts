import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Configuration, CourierApi } from '@ory/kratos-client';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageProducer, sharedDsn, startCourierWatch } from '../../support/courier-e2e.js';
import { GOOD_PASSWORD, uniqueEmail } from '../../support/self-service.js';
import { startSmtpSink } from '../../support/smtp-sink.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A request whose body arrives in two parts: the server has it in flight from the first part
 * on, and answers only once `finish()` sends the rest. Its own connection, kept alive.
 */
function slowRequest(base: string, method: string, path: string, body: string) {
  const url = new URL(path, base);
  const req = httpRequest({
    host: url.hostname,
    port: url.port,
    method,
    path: url.pathname + url.search,
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      Connection: 'keep-alive',
    },
  });
  const split = Math.floor(body.length / 2);
  req.write(body.slice(0, split));
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
  });
  return { answer, finish: () => req.end(body.slice(split)) };
}

/** A kept-alive connection that has had one answer and now sits idle. */
async function idleConnection(base: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const url = new URL(base);
  const socket = connect(Number(url.port), url.hostname);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write(`GET /health/alive HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`);
  });
  return { socket, closed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refused(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    () => false,
    () => true,
  );
}

let tessera: TesseraProcess | undefined;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await tessera?.stop();
  tessera = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const redisUrl = process.env['TEST_REDIS_URL'];
/** The in-process courier: the database poller always; BullMQ (`--watch-courier`) with Redis. */
const COURIERS: [string, () => Record<string, string>, string[]][] = [
  ['the database poller', () => ({}), []],
  ...(redisUrl
    ? [
        [
          'the BullMQ worker',
          () => ({
            COURIER_QUEUE_REDIS_URL: redisUrl,
            COURIER_QUEUE_PREFIX: `e2e-${randomBytes(4).toString('hex')}`,
          }),
          ['--watch-courier'],
        ] as [string, () => Record<string, string>, string[]],
      ]
    : []),
];

describe('tessera serve on SIGTERM', () => {
  it('turns unready, finishes what is in flight, closes idle connections and exits 0', async () => {
    tessera = await startTessera({ env: { SERVE_SHUTDOWN_GRACE_PERIOD: '20s' } });
    const flow = (await (await fetch(`${tessera.publicUrl}/self-service/registration/api`)).json()) as {
      id: string;
    };
    const email = uniqueEmail('shutdown');
    const registration = slowRequest(
      tessera.publicUrl,
      'POST',
      `/self-service/registration?flow=${flow.id}`,
      JSON.stringify({ method: 'password', password: GOOD_PASSWORD, traits: { email } }),
    );
    // Readiness asked just before the signal and answered just after it, on each port.
    const publicReady = slowRequest(tessera.publicUrl, 'GET', '/health/ready', '{"probe":true}');
    const adminReady = slowRequest(tessera.adminUrl, 'GET', '/health/ready', '{"probe":true}');
    const idle = await idleConnection(tessera.adminUrl);
    await sleep(500);

    const signalled = performance.now();
    tessera.kill('SIGTERM');
    await idle.closed;
    expect(await refused(`${tessera.publicUrl}/health/ready`)).toBe(true);
    expect(await refused(`${tessera.adminUrl}/health/ready`)).toBe(true);

    for (const ready of [publicReady, adminReady]) ready.finish();
    const [publicAnswer, adminAnswer] = await Promise.all([publicReady.answer, adminReady.answer]);
    expect(publicAnswer.status).toBe(503);
    expect(adminAnswer.status).toBe(503);
    expect(JSON.parse(adminAnswer.body)).toEqual({ errors: { server: 'shutting down' } });
    expect(adminAnswer.headers['connection']).toBe('close');

    registration.finish();
    const registered = await registration.answer;
    expect(registered.status).toBe(200);
    expect(JSON.parse(registered.body)).toMatchObject({ identity: { traits: { email } } });
    expect(registered.headers['connection']).toBe('close');

    expect(await tessera.exitCode()).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(20_000);
    const logs = tessera.logs();
    expect(logs.find((line) => line['msg'] === 'shutting down')).toMatchObject({
      signal: 'SIGTERM',
      grace_period_ms: 20_000,
      in_flight_requests: 3,
    });
    expect(logs.at(-1)).toMatchObject({ msg: 'shut down cleanly', level: 'info' });
  });

  it('exits 0 on SIGINT as well, at once when nothing is in flight', async () => {
    tessera = await startTessera();
    const signalled = performance.now();
    tessera.kill('SIGINT');
    expect(await tessera.exitCode()).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(5_000);
  });

  it('exits non-zero with a log line when a request outlives the grace period', async () => {
    tessera = await startTessera({ env: { SERVE_SHUTDOWN_GRACE_PERIOD: '500ms' } });
    const held = slowRequest(tessera.adminUrl, 'POST', '/admin/identities', '{"schema_id":"default"}');
    held.answer.catch(() => undefined);
    await sleep(500);
    const signalled = performance.now();
    tessera.kill('SIGTERM');
    expect(await tessera.exitCode()).toBe(1);
    const took = performance.now() - signalled;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(5_000);
    expect(tessera.logs().at(-1)).toMatchObject({
      level: 'error',
      msg: 'shutdown grace period is over: exiting with work unfinished',
      in_flight_requests: 1,
    });
  });
});

describe.each(COURIERS)('the courier (%s) on SIGTERM', (_, queueEnv, args) => {
  it('finishes the message it is sending before the process exits 0', async () => {
    const smtp = await startSmtpSink();
    cleanups.push(() => smtp.close());
    smtp.dataDelayMs = 1_500;
    const { dsn, cwd } = await sharedDsn();
    const env = { ...queueEnv(), COURIER_SMTP_CONNECTION_URI: smtp.uri, COURIER_WORKER_PULL_WAIT: '100ms' };
    tessera = await startTessera({ dsn, cwd, env, args });
    const producer = await MessageProducer.open(dsn, env);
    cleanups.push(() => producer.close());
    const id = await producer.send({ templateType: 'stub', recipient: 'draining@example.com', data: {} });

    // The mail is on the wire and its DATA answer held back: now the server is told to stop.
    const deadline = Date.now() + 20_000;
    while (smtp.pending === 0 && Date.now() < deadline) await sleep(20);
    expect(smtp.pending).toBe(1);
    tessera.kill('SIGTERM');
    expect(await tessera.exitCode()).toBe(0);
    expect(smtp.messages.map((mail) => mail.to)).toEqual([['draining@example.com']]);

    // The message was recorded as sent before the database closed.
    const again = await startTessera({ dsn, cwd, env });
    cleanups.push(() => again.stop());
    const message = await new CourierApi(new Configuration({ basePath: again.adminUrl })).getCourierMessage({
      id,
    });
    expect(message.data.status).toBe('sent');
  });
});

describe('tessera courier watch on SIGTERM', () => {
  it.each(COURIERS)('with %s, finishes the message it is sending and exits 0', async (_name, queueEnv) => {
    const smtp = await startSmtpSink();
    cleanups.push(() => smtp.close());
    smtp.dataDelayMs = 1_500;
    const { dsn, cwd } = await sharedDsn();
    const env = { ...queueEnv(), COURIER_SMTP_CONNECTION_URI: smtp.uri, COURIER_WORKER_PULL_WAIT: '100ms' };
    const producer = await MessageProducer.open(dsn, env, true);
    cleanups.push(() => producer.close());
    const worker = await startCourierWatch({ dsn, cwd, env });
    cleanups.push(() => worker.kill('SIGKILL'));
    const id = await producer.send({ templateType: 'stub', recipient: 'watch-drain@example.com', data: {} });

    const deadline = Date.now() + 20_000;
    while (smtp.pending === 0 && Date.now() < deadline) await sleep(20);
    expect(smtp.pending).toBe(1);
    await worker.kill('SIGTERM');
    expect(worker.exitCode()).toBe(0);
    expect(smtp.messages.map((mail) => mail.to)).toEqual([['watch-drain@example.com']]);
    expect(await producer.status(id)).toBe('sent');
  });

  it('exits non-zero with a log line when the send outlives the grace period', async () => {
    const smtp = await startSmtpSink();
    cleanups.push(() => smtp.close());
    smtp.dataDelayMs = 4_000;
    const { dsn, cwd } = await sharedDsn();
    const env = {
      COURIER_SMTP_CONNECTION_URI: smtp.uri,
      COURIER_WORKER_PULL_WAIT: '100ms',
      SERVE_SHUTDOWN_GRACE_PERIOD: '300ms',
    };
    const producer = await MessageProducer.open(dsn, env, true);
    cleanups.push(() => producer.close());
    const worker = await startCourierWatch({ dsn, cwd, env });
    cleanups.push(() => worker.kill('SIGKILL'));
    await producer.send({ templateType: 'stub', recipient: 'too-slow@example.com', data: {} });

    const deadline = Date.now() + 20_000;
    while (smtp.pending === 0 && Date.now() < deadline) await sleep(20);
    expect(smtp.pending).toBe(1);
    const started = Date.now();
    await worker.kill('SIGTERM');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(worker.exitCode()).toBe(1);
    expect(worker.output()).toContain('shutdown grace period is over');
  });
});
