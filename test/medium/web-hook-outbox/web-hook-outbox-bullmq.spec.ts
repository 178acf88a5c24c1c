import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../libs/persistence/index.js';
import { WebHookDeliveryRepository, WebHookOutbox } from '../../../libs/web-hook-outbox/index.js';
import { sharedDsn } from '../../support/courier-e2e.js';
import { type OutboxContext, startOutboxContext } from '../../support/outbox-context.js';
import { WebHookReceiver } from '../../support/web-hook-receiver.js';

const redisUrl = process.env['TEST_REDIS_URL'];

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.skipIf(!redisUrl)('the web hook outbox on BullMQ', () => {
  let receiver: WebHookReceiver;
  let dsn: string;
  let prefix: string;
  let queue: Queue;
  const contexts: OutboxContext[] = [];

  beforeEach(async () => {
    receiver = await WebHookReceiver.start();
    dsn = (await sharedDsn()).dsn;
    prefix = `t-${randomBytes(4).toString('hex')}`;
    queue = new Queue('web-hooks', { connection: { url: redisUrl }, prefix });
  });

  afterEach(async () => {
    for (const context of contexts.splice(0).reverse()) await context.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await receiver.close();
  });

  const start = async (role: 'server' | 'worker') => {
    const context = await startOutboxContext({
      dsn,
      role,
      migrate: contexts.length === 0,
      env: { COURIER_QUEUE_REDIS_URL: redisUrl!, COURIER_QUEUE_PREFIX: prefix },
      overrides: { pullWaitMs: 200, backoffMs: 100, maxAttempts: 5 },
    });
    contexts.push(context);
    return context;
  };

  const call = (body: string) => ({
    url: receiver.url,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
    timeoutMs: 2_000,
  });

  it('serve only enqueues a job named by the row id; a worker sends it once, retrying a 5xx', async () => {
    const server = await start('server');
    const outbox = server.app.get(WebHookOutbox);
    const db = server.app.get(Database);
    await db.transaction(() => outbox.enqueue(call('{"n":1}')));
    await until(async () => (await queue.getJobCounts('waiting'))['waiting'] === 1);
    const [job] = await queue.getJobs(['waiting']);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.calls).toHaveLength(0);

    receiver.mode = { answer: 500 };
    await start('worker');
    await until(() => receiver.calls.length === 2);
    receiver.mode = { answer: 200 };
    await until(() => receiver.calls.length === 3);
    expect(receiver.distinctKeys()).toEqual([job!.id]);
    const rows = server.app.get(WebHookDeliveryRepository);
    await until(async () => (await rows.findById(job!.id!))?.status === 'sent');
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.calls).toHaveLength(3);
  });

  it('a call committed while no job could be added is found by the sweeper and sent once', async () => {
    const server = await start('server');
    const db = server.app.get(Database);
    // Written straight into the table, as when Redis was unreachable at commit time.
    await db.transaction(() => server.app.get(WebHookOutbox).enqueue(call('{"n":2}')));
    await queue.obliterate({ force: true });
    await start('worker');
    await until(() => receiver.calls.length === 1);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(receiver.calls).toHaveLength(1);
    expect(receiver.calls[0]!.body).toBe('{"n":2}');
  });
});
