import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Courier, CourierMessageRepository } from '../../../libs/courier/index.js';
import { startCourierContext, type CourierContext } from '../../support/courier-context.js';
import { sharedDsn } from '../../support/courier-e2e.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';

const redisUrl = process.env['TEST_REDIS_URL'];

const until = async (check: () => Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!redisUrl)('the courier on BullMQ', () => {
  let sink: SmtpSink;
  let dsn: string;
  let prefix: string;
  let queue: Queue;
  const contexts: CourierContext[] = [];

  beforeEach(async () => {
    sink = await startSmtpSink();
    dsn = (await sharedDsn()).dsn;
    prefix = `t-${randomBytes(4).toString('hex')}`;
    queue = new Queue('courier', { connection: { url: redisUrl }, prefix });
  });

  afterEach(async () => {
    for (const context of contexts.splice(0).reverse()) await context.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await sink.close();
  });

  const start = async (
    options: {
      role?: 'server' | 'worker';
      deliver?: boolean;
      redis?: boolean;
      env?: Record<string, string>;
    } = {},
  ) => {
    const context = await startCourierContext({
      dsn,
      role: options.role ?? 'worker',
      deliver: options.deliver,
      migrate: contexts.length === 0,
      env: {
        COURIER_SMTP_CONNECTION_URI: sink.uri,
        COURIER_WORKER_PULL_WAIT: '200ms',
        COURIER_WORKER_RETRY_BACKOFF: '100ms',
        ...(options.redis === false
          ? {}
          : { COURIER_QUEUE_REDIS_URL: redisUrl!, COURIER_QUEUE_PREFIX: prefix }),
        ...options.env,
      },
    });
    contexts.push(context);
    return {
      courier: context.app.get(Courier),
      messages: context.app.get(CourierMessageRepository),
    };
  };

  it('serve without --watch-courier only enqueues; a worker sends', async () => {
    const server = await start({ role: 'server' });
    const id = await server.courier.send({
      templateType: 'stub',
      recipient: 'q@example.com',
      data: { Body: 'hi' },
    });
    await until(async () => (await queue.getJobCountByTypes('wait')) === 1);
    expect((await queue.getJob(id))?.data).toEqual({ messageId: id });
    await new Promise((r) => setTimeout(r, 400));
    expect(sink.messages).toHaveLength(0);
    expect((await server.messages.findById(id))!.status).toBe('queued');

    await start({ role: 'worker' });
    await sink.waitFor((m) => m.to.includes('q@example.com'));
    await until(async () => (await server.messages.findById(id))?.status === 'sent');
    expect((await server.messages.findById(id))!.sendCount).toBe(1);
  });

  it('sends a message once although its job is delivered twice', async () => {
    const producer = await start({ role: 'server' });
    const id = await producer.courier.send({
      templateType: 'stub',
      recipient: 'twice@example.com',
      data: {},
    });
    await queue.add('send', { messageId: id }, { jobId: `${id}-again` });
    // Adding the same message id again collapses into the existing job.
    await queue.add('send', { messageId: id }, { jobId: id });
    expect(await queue.getJobCountByTypes('wait')).toBe(2);

    await start({ role: 'worker', env: { COURIER_WORKER_PULL_COUNT: '4' } });
    await sink.waitFor((m) => m.to.includes('twice@example.com'));
    await until(async () => (await queue.getJobCountByTypes('wait', 'active')) === 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages.filter((m) => m.to.includes('twice@example.com'))).toHaveLength(1);
    const stored = (await producer.messages.findById(id))!;
    expect(stored).toMatchObject({ status: 'sent', sendCount: 1 });
    expect(stored.dispatches).toHaveLength(1);
  });

  it('the sweeper enqueues rows committed while no job was added', async () => {
    // A producer without Redis stands for a commit while Redis was down: the row, no job.
    const producer = await start({ role: 'server', redis: false, deliver: false });
    const id = await producer.courier.send({
      templateType: 'stub',
      recipient: 'swept@example.com',
      data: {},
    });
    expect(await queue.getJobCountByTypes('wait', 'delayed')).toBe(0);
    await start({ role: 'worker' });
    await sink.waitFor((m) => m.to.includes('swept@example.com'));
    await until(async () => (await producer.messages.findById(id))?.status === 'sent');
  });

  it('retries with backoff through BullMQ, and abandons after message_retries', async () => {
    const worker = await start({ role: 'worker', env: { COURIER_MESSAGE_RETRIES: '2' } });
    await sink.stop();
    const lost = await worker.courier.send({ templateType: 'stub', recipient: 'lost@example.com', data: {} });
    await until(async () => (await worker.messages.findById(lost))?.status === 'abandoned');
    const abandoned = (await worker.messages.findById(lost))!;
    expect(abandoned.sendCount).toBe(3);
    expect(abandoned.dispatches!.map((d) => d.status)).toEqual(['failed', 'failed', 'failed']);

    const late = await worker.courier.send({ templateType: 'stub', recipient: 'late@example.com', data: {} });
    await until(async () => ((await worker.messages.findById(late))?.sendCount ?? 0) >= 2);
    await sink.start();
    await sink.waitFor((m) => m.to.includes('late@example.com'));
    await until(async () => (await worker.messages.findById(late))?.status === 'sent');
    const sent = (await worker.messages.findById(late))!;
    expect(sent.dispatches!.at(-1)!.status).toBe('success');
    expect(sent.dispatches!.filter((d) => d.status === 'failed').length).toBe(sent.sendCount - 1);
  });
});
