import { Configuration, CourierApi } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract, assertMatchesContractResponse } from '../../support/contract.js';
import { MessageProducer, sharedDsn } from '../../support/courier-e2e.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

let tessera: TesseraProcess;
let sink: SmtpSink;
let producer: MessageProducer;
let courier: CourierApi;
const ids: string[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  const { dsn, cwd } = await sharedDsn();
  tessera = await startTessera({
    dsn,
    cwd,
    env: { COURIER_SMTP_CONNECTION_URI: sink.uri, COURIER_WORKER_PULL_WAIT: '200ms' },
  });
  producer = await MessageProducer.open(dsn);
  courier = new CourierApi(new Configuration({ basePath: tessera.adminUrl }));
  for (const [i, recipient] of ['one@example.com', 'two@example.com', 'three@example.com'].entries()) {
    ids.push(
      await producer.send({
        templateType: 'verification_code_valid',
        recipient,
        data: { VerificationCode: `00000${i}`, VerificationURL: `https://app.test/verify?code=00000${i}` },
      }),
    );
  }
  for (const recipient of ['one@example.com', 'two@example.com', 'three@example.com'])
    await sink.waitFor((m) => m.to.includes(recipient));
});

afterAll(async () => {
  await producer?.close();
  await tessera?.stop();
  await sink?.close();
});

const waitForStatus = async (id: string, status: string) => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { data } = await courier.getCourierMessage({ id });
    if (data.status === status) return data;
    if (Date.now() > deadline) throw new Error(`message ${id} is ${data.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('the admin courier API', () => {
  it('getCourierMessage shows a delivered message with its dispatch, as the contract says', async () => {
    const message = await waitForStatus(ids[0]!, 'sent');
    assertMatchesContract('message', message);
    expect(message).toMatchObject({
      id: ids[0],
      type: 'email',
      channel: 'email',
      recipient: 'one@example.com',
      subject: 'Use code 000000 to verify your account',
      template_type: 'verification_code_valid',
      send_count: 1,
    });
    expect(message.body).toContain('000000');
    expect(message.body).not.toContain('<p>');
    expect(message.dispatches).toHaveLength(1);
    expect(message.dispatches![0]).toMatchObject({ message_id: ids[0], status: 'success' });
    expect(message.dispatches![0]).not.toHaveProperty('error');
  });

  it('listCourierMessages pages with a Link header and filters by recipient and status', async () => {
    for (const id of ids) await waitForStatus(id, 'sent');
    const first = await courier.listCourierMessages({ pageSize: 2 });
    assertMatchesContractResponse('listCourierMessages', '200', first.data);
    expect(first.data.map((m) => m.id)).toEqual(ids.slice(0, 2));
    const link = String(first.headers['link']);
    expect(link).toContain('rel="first"');
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
    expect(next).toBeDefined();
    const token = new URL(next!, tessera.adminUrl).searchParams.get('page_token')!;
    const second = await courier.listCourierMessages({ pageSize: 2, pageToken: token });
    expect(second.data.map((m) => m.id)).toEqual([ids[2]]);
    expect(String(second.headers['link'])).not.toContain('rel="next"');

    const byRecipient = await courier.listCourierMessages({ recipient: 'two@example.com' });
    expect(byRecipient.data.map((m) => m.id)).toEqual([ids[1]]);
    expect((await courier.listCourierMessages({ status: 'sent' })).data).toHaveLength(3);
    expect((await courier.listCourierMessages({ status: 'queued' })).data).toHaveLength(0);
  });

  it('answers 400 for a malformed id, status or page token, and 404 for an unknown id', async () => {
    const cases: [string, number][] = [
      ['/admin/courier/messages/not-a-uuid', 400],
      ['/admin/courier/messages/0190f0a0-0000-7000-8000-000000000000', 404],
      ['/admin/courier/messages?status=lost', 400],
      ['/admin/courier/messages?page_token=nope', 400],
      ['/admin/courier/messages?page_size=0', 400],
    ];
    for (const [path, status] of cases) {
      const response = await fetch(`${tessera.adminUrl}${path}`);
      expect(response.status, path).toBe(status);
      assertMatchesContract('errorGeneric', await response.json());
    }
  });

  it('is not served on the public port, which redirects to the admin port as Kratos does', async () => {
    const response = await fetch(`${tessera.publicUrl}/admin/courier/messages`, { redirect: 'manual' });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe(`${tessera.adminUrl}/admin/courier/messages`);
  });
});
