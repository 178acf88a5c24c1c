import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../libs/persistence/index.js';
import {
  WebHookDeliveryEntity,
  WebHookDeliveryRepository,
  WebHookOutbox,
} from '../../../libs/web-hook-outbox/index.js';
import { sharedDsn } from '../../support/courier-e2e.js';
import { type OutboxContext, startOutboxContext } from '../../support/outbox-context.js';
import { WebHookReceiver } from '../../support/web-hook-receiver.js';

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

const API_KEY = 'k3y-that-must-not-be-stored-in-clear';

describe('the web hook outbox, delivered by the database poller', () => {
  let receiver: WebHookReceiver;
  let context: OutboxContext;

  const start = async (env: Record<string, string> = {}, maxAttempts = 4) => {
    context = await startOutboxContext({
      dsn: (await sharedDsn()).dsn,
      env: { SECRETS_CIPHER: 'a-cipher-secret-of-32-characters', ...env },
      overrides: { pullWaitMs: 100, backoffMs: 50, maxAttempts },
    });
    return {
      outbox: context.app.get(WebHookOutbox),
      rows: context.app.get(WebHookDeliveryRepository),
      db: context.app.get(Database),
    };
  };

  const call = (body = '{"identity":"x"}') => ({
    url: receiver.url,
    method: 'post',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': API_KEY },
    body,
    timeoutMs: 2_000,
    hookId: 'registration.after.password.0',
  });

  beforeEach(async () => {
    receiver = await WebHookReceiver.start();
  });

  afterEach(async () => {
    await context?.close();
    await receiver.close();
  });

  it('sends a committed call once, with its headers, body and the row id as Idempotency-Key', async () => {
    const { outbox, rows, db } = await start();
    await db.transaction(() => outbox.enqueue(call()));
    await until(() => receiver.calls.length === 1);
    const [received] = receiver.calls;
    expect(received).toMatchObject({ method: 'POST', path: '/hook', body: '{"identity":"x"}' });
    expect(received!.headers['x-api-key']).toBe(API_KEY);
    expect(received!.headers['content-type']).toBe('application/json');
    const row = await rows.findById(received!.idempotencyKey!);
    await until(async () => (await rows.findById(row!.id))?.status === 'sent');
    expect(await rows.findById(row!.id)).toMatchObject({ attempts: 1, lastError: null, claimToken: null });
    // At rest the headers are sealed with secrets.cipher: the API key is not in the table.
    const stored = await db.repository(WebHookDeliveryEntity).findOneByOrFail({ id: row!.id });
    expect(stored.headers).toMatch(/^v1\./);
    expect(stored.headers).not.toContain(API_KEY);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.calls).toHaveLength(1);
  });

  it('sends nothing for a flow whose transaction rolled back', async () => {
    const { outbox, rows, db } = await start();
    await expect(
      db.transaction(async () => {
        await outbox.enqueue(call('{"rolled":"back"}'));
        throw new Error('the flow failed after its hook');
      }),
    ).rejects.toThrow('the flow failed');
    await db.transaction(() => outbox.enqueue(call('{"committed":true}')));
    await until(() => receiver.calls.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.calls.map((c) => c.body)).toEqual(['{"committed":true}']);
    expect(await rows.countByStatus()).toMatchObject({ sent: 1, queued: 0, processing: 0 });
  });

  it('retries a 5xx with the same key until it goes through, and does not retry a 4xx', async () => {
    const { outbox, rows, db } = await start();
    receiver.mode = { answer: 503 };
    await db.transaction(() => outbox.enqueue(call()));
    await until(() => receiver.calls.length === 2);
    receiver.mode = { answer: 204 };
    await until(() => receiver.calls.length === 3);
    expect(new Set(receiver.calls.map((c) => c.idempotencyKey)).size).toBe(1);
    const id = receiver.calls[0]!.idempotencyKey!;
    await until(async () => (await rows.findById(id))?.status === 'sent');
    expect(await rows.findById(id)).toMatchObject({ attempts: 3, lastError: null });

    receiver.mode = { answer: 422 };
    await db.transaction(() => outbox.enqueue(call('{"n":2}')));
    await until(() => receiver.calls.length === 4);
    const rejected = receiver.calls[3]!.idempotencyKey!;
    await until(async () => (await rows.findById(rejected))?.status === 'sent');
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.calls).toHaveLength(4);
    expect(await rows.findById(rejected)).toMatchObject({
      attempts: 1,
      lastError: 'the receiver answered 422',
    });
    expect(context.logs()).toContainEqual(
      expect.objectContaining({ msg: 'web hook rejected by its receiver; not retried', status: 422 }),
    );
  });

  it('retries a refused connection up to the attempt bound, then abandons the call and logs it', async () => {
    const { outbox, rows, db } = await start({}, 3);
    await receiver.close();
    await db.transaction(() => outbox.enqueue({ ...call(), url: receiver.url }));
    await until(async () => (await rows.countByStatus()).abandoned === 1);
    const abandoned = context
      .logs()
      .filter((line) => line['msg'] === 'web hook abandoned: attempts exhausted');
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]).toMatchObject({ attempt: 3, error: expect.stringMatching(/ECONNREFUSED/) });
    receiver = await WebHookReceiver.start();
  });
});
