import { randomBytes } from 'node:crypto';
import { Configuration, CourierApi, type Message } from '@ory/kratos-client';
import { afterEach, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import {
  MessageProducer,
  sharedDsn,
  startCourierWatch,
  type WorkerProcess,
} from '../../support/courier-e2e.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

const redisUrl = process.env['TEST_REDIS_URL'];

const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sink(): Promise<SmtpSink> {
  const started = await startSmtpSink();
  cleanups.push(() => started.close());
  return started;
}

async function server(dsn: string, cwd: string, env: Record<string, string>, args: string[] = []) {
  const tessera: TesseraProcess = await startTessera({ dsn, cwd, env, args });
  cleanups.push(() => tessera.stop());
  return { tessera, api: new CourierApi(new Configuration({ basePath: tessera.adminUrl })) };
}

async function producer(dsn: string, env: Record<string, string> = {}, migrate = false) {
  const opened = await MessageProducer.open(dsn, env, migrate);
  cleanups.push(() => opened.close());
  return opened;
}

const fast = { COURIER_WORKER_PULL_WAIT: '100ms', COURIER_WORKER_RETRY_BACKOFF: '200ms' };

describe('courier delivery by the real server, without Redis', () => {
  it('keeps retrying while SMTP is down and delivers once it is back', async () => {
    const smtp = await sink();
    await smtp.stop();
    const { dsn, cwd } = await sharedDsn();
    const { api } = await server(dsn, cwd, { ...fast, COURIER_SMTP_CONNECTION_URI: smtp.uri });
    const id = await (
      await producer(dsn)
    ).send({
      templateType: 'recovery_code_valid',
      recipient: 'down@example.com',
      data: { RecoveryCode: '135790' },
    });
    let seen: Message | undefined;
    await until(async () => ((seen = (await api.getCourierMessage({ id })).data).send_count ?? 0) >= 2);
    expect(['queued', 'processing']).toContain(seen!.status);
    expect(seen!.dispatches!.every((d) => d.status === 'failed')).toBe(true);

    await smtp.start();
    const mail = await smtp.waitFor((m) => m.to.includes('down@example.com'), 20_000);
    expect(mail.subject).toBe('Use code 135790 to recover access to your account');
    await until(async () => (seen = (await api.getCourierMessage({ id })).data).status === 'sent');
    assertMatchesContract('message', seen);
    expect(seen!.send_count).toBeGreaterThan(1);
    const failed = seen!.dispatches!.filter((d) => d.status === 'failed');
    expect(failed.length).toBe(seen!.send_count! - 1);
    expect(failed[0]!.error).toMatchObject({ message: expect.stringMatching(/ECONNREFUSED|connect/i) });
    expect(seen!.dispatches!.at(-1)!.status).toBe('success');
    expect(smtp.messages).toHaveLength(1);
  });

  it('abandons a message once message_retries retries have failed', async () => {
    const smtp = await sink();
    await smtp.stop();
    const { dsn, cwd } = await sharedDsn();
    const { api } = await server(dsn, cwd, {
      ...fast,
      COURIER_SMTP_CONNECTION_URI: smtp.uri,
      COURIER_MESSAGE_RETRIES: '1',
    });
    const id = await (
      await producer(dsn)
    ).send({ templateType: 'stub', recipient: 'gone@example.com', data: {} });
    let seen: Message | undefined;
    await until(async () => (seen = (await api.getCourierMessage({ id })).data).status === 'abandoned');
    expect(seen!.send_count).toBe(2);
    expect(seen!.dispatches!.map((d) => d.status)).toEqual(['failed', 'failed']);
    const listed = await api.listCourierMessages({ status: 'abandoned' });
    expect(listed.data.map((m) => m.id)).toEqual([id]);
  });
});

describe.skipIf(!redisUrl)('courier delivery through BullMQ', () => {
  const queueEnv = () => ({
    COURIER_QUEUE_REDIS_URL: redisUrl!,
    COURIER_QUEUE_PREFIX: `e2e-${randomBytes(4).toString('hex')}`,
  });

  it('serve --watch-courier consumes the queue in-process', async () => {
    const smtp = await sink();
    const { dsn, cwd } = await sharedDsn();
    const env = { ...fast, ...queueEnv(), COURIER_SMTP_CONNECTION_URI: smtp.uri };
    const { api, tessera } = await server(dsn, cwd, env, ['--watch-courier']);
    expect(tessera.output()).toContain('BullMQ worker started');
    const id = await (
      await producer(dsn, env)
    ).send({ templateType: 'stub', recipient: 'w@example.com', data: {} });
    await smtp.waitFor((m) => m.to.includes('w@example.com'));
    await until(async () => (await api.getCourierMessage({ id })).data.status === 'sent');
  });

  it('a worker killed while sending: the restarted worker delivers the message exactly once', async () => {
    const smtp = await sink();
    smtp.dataDelayMs = 60_000;
    const { dsn, cwd } = await sharedDsn();
    const env = {
      ...fast,
      ...queueEnv(),
      COURIER_SMTP_CONNECTION_URI: smtp.uri,
      COURIER_WORKER_CLAIM_TIMEOUT: '2s',
    };
    const send = await producer(dsn, env, true);
    let worker: WorkerProcess = await startCourierWatch({ dsn, cwd, env });
    cleanups.push(() => worker.kill('SIGKILL'));
    const id = await send.send({
      templateType: 'login_code_valid',
      recipient: 'k@example.com',
      data: { LoginCode: '112233' },
    });

    // The mail is on the wire, its DATA answer held back: now the worker dies.
    await until(() => smtp.pending === 1);
    await worker.kill('SIGKILL');
    smtp.dataDelayMs = 0;
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(0);

    worker = await startCourierWatch({ dsn, cwd, env });
    const mail = await smtp.waitFor((m) => m.to.includes('k@example.com'), 30_000);
    expect(mail.subject).toBe('Use code 112233 to log in');
    const { api } = await server(dsn, cwd, env);
    let seen: Message | undefined;
    await until(async () => (seen = (await api.getCourierMessage({ id })).data).status === 'sent');
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.messages.filter((m) => m.to.includes('k@example.com'))).toHaveLength(1);
    // Two attempts: the one that died with its worker, and the one that went through.
    expect(seen!.send_count).toBe(2);
    expect(seen!.dispatches!.map((d) => d.status)).toEqual(['success']);
  });
});
