import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../../libs/persistence/index.js';
import {
  WebHookDeliveryEntity,
  WebHookDeliveryRepository,
  WebHookOutbox,
} from '../../../libs/web-hook-outbox/index.js';
import { sharedDsn, startCourierWatch } from '../../support/courier-e2e.js';
import { type OutboxContext, startOutboxContext } from '../../support/outbox-context.js';
import { freePort, startTessera } from '../../support/tessera-process.js';
import { WebHookReceiver } from '../../support/web-hook-receiver.js';

// The process that would send an ignored web hook dies (kill -9) after the flow's transaction
// committed and before the receiver took the call; once restarted it delivers the call, with the
// same Idempotency-Key, and the receiver counts it once. Calls are committed by the real outbox
// service from a producer context on the same database (as a flow in the server does); the
// process killed and restarted is the real `tessera serve` (database poller) or, with Redis,
// the real `tessera courier watch` (BullMQ).

const redisUrl = process.env['TEST_REDIS_URL'];
/** Longer than any attempt here, so a live sender's claim never goes stale. */
const CLAIM_TIMEOUT_MS = 3_000;
/** Restarts on a loaded machine: a slow start is not what these tests are about. */
const READY_TIMEOUT_MS = 60_000;
/** Two server starts, a claim timeout and the quiet period after the delivery. */
const TEST_TIMEOUT_MS = 180_000;

const until = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Sender {
  kill(): Promise<void>;
}

interface Mode {
  name: string;
  env: () => Record<string, string>;
  start(dsn: string, cwd: string, env: Record<string, string>): Promise<Sender>;
}

const poller: Mode = {
  name: '`tessera serve` with the database poller',
  env: () => ({}),
  async start(dsn, cwd, env) {
    const tessera = await startTessera({ dsn, cwd, env, readyTimeoutMs: READY_TIMEOUT_MS });
    cleanups.push(() => tessera.stop());
    return {
      async kill() {
        const exited = tessera.exitCode();
        tessera.kill('SIGKILL');
        await exited;
      },
    };
  },
};

const bullmq: Mode = {
  name: '`tessera courier watch` on BullMQ',
  env: () => ({
    COURIER_QUEUE_REDIS_URL: redisUrl!,
    COURIER_QUEUE_PREFIX: `t-${randomBytes(4).toString('hex')}`,
  }),
  async start(dsn, cwd, env) {
    const worker = await startCourierWatch({ dsn, cwd, env });
    cleanups.push(() => worker.kill('SIGTERM'));
    return { kill: () => worker.kill('SIGKILL') };
  },
};

describe.each([poller, ...(redisUrl ? [bullmq] : [])])(
  'ignored web hooks survive a crash: $name',
  { timeout: TEST_TIMEOUT_MS },
  (mode) => {
    async function setUp() {
      const { dsn, cwd } = await sharedDsn();
      const queueEnv = mode.env();
      const env = {
        ...queueEnv,
        COURIER_WORKER_PULL_WAIT: '100ms',
        COURIER_WORKER_RETRY_BACKOFF: '300ms',
        COURIER_WORKER_CLAIM_TIMEOUT: `${CLAIM_TIMEOUT_MS}ms`,
      };
      // Migrates the shared database, then commits calls as a flow would; it never delivers.
      const producer: OutboxContext = await startOutboxContext({ dsn, env: queueEnv, deliver: false });
      cleanups.push(() => producer.close());
      const commit = (url: string, body: string) =>
        producer.app.get(Database).transaction(() =>
          producer.app.get(WebHookOutbox).enqueue({
            url,
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body,
            timeoutMs: 2_000,
          }),
        );
      const rows = producer.app.get(WebHookDeliveryRepository);
      const all = () => producer.app.get(Database).repository(WebHookDeliveryEntity).find();
      return { dsn, cwd, env, commit, rows, all };
    }

    async function receiverOn(port: number): Promise<WebHookReceiver> {
      const receiver = await WebHookReceiver.start(port);
      cleanups.push(() => receiver.close());
      return receiver;
    }

    it('a call refused before the crash arrives exactly once after the restart', async () => {
      const { dsn, cwd, env, commit, rows, all } = await setUp();
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/hook`;
      const sender = await mode.start(dsn, cwd, env);
      await commit(url, '{"crash":"refused"}');
      // Nobody listens yet: the first attempt is refused and a retry is scheduled.
      const failedOnce = async () => {
        const [row] = await all();
        return row?.status === 'queued' && row.attempts >= 1 ? row : undefined;
      };
      await until(async () => (await failedOnce()) !== undefined, 'a failed first attempt');
      const row = (await failedOnce())!;
      const id = row.id;
      expect(row.lastError).toMatch(/ECONNREFUSED/);
      await sender.kill();

      const receiver = await receiverOn(port);
      await mode.start(dsn, cwd, env);
      await until(() => receiver.calls.length === 1, 'the call after the restart');
      await until(async () => (await rows.findById(id))?.status === 'sent', 'the row marked sent');
      await new Promise((r) => setTimeout(r, CLAIM_TIMEOUT_MS));
      expect(receiver.calls).toHaveLength(1);
      expect(receiver.calls[0]).toMatchObject({ idempotencyKey: id, body: '{"crash":"refused"}' });
    });

    it('a call on the wire when the sender dies is sent again after the restart, with the same key', async () => {
      const { dsn, cwd, env, commit, rows } = await setUp();
      const receiver = await receiverOn(0);
      receiver.mode = 'hold';
      const sender = await mode.start(dsn, cwd, env);
      await commit(receiver.url, '{"crash":"in flight"}');
      await until(() => receiver.calls.length === 1, 'the first attempt on the wire');
      const id = receiver.calls[0]!.idempotencyKey!;
      await sender.kill();
      expect((await rows.findById(id))?.status).toBe('processing');

      receiver.mode = { answer: 200 };
      await mode.start(dsn, cwd, env);
      await until(() => receiver.calls.length === 2, 'the repeated attempt after the restart');
      await until(async () => (await rows.findById(id))?.status === 'sent', 'the row marked sent');
      await new Promise((r) => setTimeout(r, CLAIM_TIMEOUT_MS));
      expect(receiver.calls).toHaveLength(2);
      // At least once on the wire, exactly once by key: the receiver counts one logical call.
      expect(receiver.distinctKeys()).toEqual([id]);
      expect(receiver.calls.map((call) => call.body)).toEqual([
        '{"crash":"in flight"}',
        '{"crash":"in flight"}',
      ]);
      expect((await rows.findById(id))?.attempts).toBe(2);
    });
  },
);
