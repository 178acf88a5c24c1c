import { Configuration, CourierApi, type Message } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';
import { sleep, uniqueEmail } from '../../support/self-service.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { clusterAvailable, RECOVERY_UI } from './cluster-flows.js';

// Two replicas, each running the BullMQ courier worker in-process, one message at a time. While
// both are on the wire (the sink holds every DATA answer) one replica is killed: its mail never
// completes, and the survivor takes the message over once its claim is stale. Every user still
// gets exactly one mail.

const [A, B] = [0, 1];
/** Longer than any send takes here: a live worker's claim never goes stale. */
const CLAIM_TIMEOUT_MS = 3_000;
const HOLD_MS = 1_500;
const USERS = 6;

let cluster: Cluster;
let sink: SmtpSink;

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await sleep(50);
  }
}

describe.skipIf(!clusterAvailable)('the courier of two replicas, one killed mid-send', () => {
  beforeAll(async () => {
    sink = await startSmtpSink();
    cluster = await startCluster({
      count: 2,
      args: ['--watch-courier'],
      env: {
        SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
        SELFSERVICE_FLOWS_RECOVERY_UI_URL: RECOVERY_UI,
        COURIER_SMTP_CONNECTION_URI: sink.uri,
        COURIER_WORKER_PULL_COUNT: '1',
        COURIER_WORKER_PULL_WAIT: '200ms',
        COURIER_WORKER_RETRY_BACKOFF: '200ms',
        COURIER_WORKER_CLAIM_TIMEOUT: `${CLAIM_TIMEOUT_MS}ms`,
      },
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await sink?.close();
  });

  it('delivers every recovery code exactly once after the sending replica dies', async () => {
    const emails = Array.from({ length: USERS }, (_, i) => uniqueEmail(`courier-${i}`));
    for (const email of emails) {
      const created = await cluster.identities(A).createIdentity({
        createIdentityBody: { schema_id: 'default', traits: { email } },
      });
      expect(created.status, JSON.stringify(created.data)).toBe(201);
    }
    sink.dataDelayMs = HOLD_MS;

    // Half the codes are asked for on A, half on B.
    for (const [i, email] of emails.entries()) {
      const frontend = cluster.frontend(i % 2);
      const { data: flow } = await frontend.createNativeRecoveryFlow();
      const sent = await frontend.updateRecoveryFlow({
        flow: flow.id,
        updateRecoveryFlowBody: { method: 'code', email },
      });
      expect(sent.status, JSON.stringify(sent.data)).toBe(200);
    }

    // One message at a time per worker: two held DATA answers mean both replicas are mid-send.
    await until(() => sink.pending === 2, 'both replicas sending');
    const killed = cluster.replicas[B]!;
    killed.kill('SIGKILL');
    expect(await killed.exitCode()).toBeNull();
    sink.dataDelayMs = 200;

    const received = (email: string) => sink.messages.filter((m) => m.to.includes(email));
    await until(() => emails.every((email) => received(email).length >= 1), 'every user mailed', 60_000);

    // Past another claim timeout nothing is sent again.
    const courier = new CourierApi(new Configuration({ basePath: cluster.replicas[A]!.adminUrl }));
    const messages: Message[] = [];
    await until(async () => {
      const { data } = await courier.listCourierMessages({ pageSize: 100 });
      messages.splice(0, messages.length, ...data.filter((m) => emails.includes(m.recipient)));
      return messages.length === USERS && messages.every((m) => m.status === 'sent');
    }, 'every message marked sent');
    await sleep(CLAIM_TIMEOUT_MS + 1_000);
    for (const email of emails) expect(received(email), email).toHaveLength(1);
    expect(sink.pending).toBe(0);

    // The killed replica's message was tried twice: once by the dead, once by the survivor.
    const retried = messages.filter((m) => m.send_count === 2);
    expect(retried).toHaveLength(1);
    expect(retried[0]!.dispatches!.map((d) => d.status)).toEqual(['success']);
    expect(messages.filter((m) => m.send_count === 1)).toHaveLength(USERS - 1);
  });
});
