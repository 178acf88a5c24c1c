import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { Courier, CourierMessageRepository } from '../../../libs/courier/index.js';
import { Database } from '../../../libs/persistence/index.js';
import { startCourierContext, type CourierContext } from '../../support/courier-context.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';

const until = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.each(TEST_DATABASES)('CourierService on $dialect', (database) => {
  let sink: SmtpSink;
  let context: CourierContext | undefined;

  beforeEach(async () => {
    sink = await startSmtpSink();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
    await sink.close();
  });

  const start = async (env: Record<string, string> = {}, dev = false) => {
    context = await startCourierContext({
      dsn: await database.createDsn(),
      dev,
      env: {
        COURIER_SMTP_CONNECTION_URI: sink.uri,
        COURIER_SMTP_FROM_ADDRESS: 'accounts@tessera.test',
        COURIER_SMTP_FROM_NAME: 'Tessera Accounts',
        COURIER_SMTP_HEADERS: '{"X-Tenant":"acme"}',
        COURIER_WORKER_PULL_WAIT: '100ms',
        COURIER_WORKER_RETRY_BACKOFF: '50ms',
        ...env,
      },
    });
    return {
      courier: context.app.get(Courier),
      db: context.app.get(Database),
      messages: context.app.get(CourierMessageRepository),
      dataSource: context.app.get(DataSource),
    };
  };

  it('sends a recovery code as multipart mail once the transaction commits', async () => {
    const { courier, db, messages } = await start();
    let id = '';
    await db.transaction(async () => {
      id = await courier.send({
        templateType: 'recovery_code_valid',
        recipient: 'alice@example.com',
        data: {
          RecoveryCode: '123456',
          ExpiresInMinutes: 15,
          Identity: { traits: { email: 'alice@example.com' } },
        },
      });
      // Queued inside the transaction, nothing sent before the commit.
      await new Promise((r) => setTimeout(r, 300));
      expect(sink.messages).toHaveLength(0);
    });

    const mail = await sink.waitFor((m) => m.to.includes('alice@example.com'));
    expect(mail.subject).toBe('Use code 123456 to recover access to your account');
    expect(mail.text).toContain(
      'please recover access to your account by entering the following code:\n\n123456',
    );
    expect(mail.text).toContain('This code expires in 15 minutes.');
    expect(mail.html).toContain('<p>123456</p>');
    expect(mail.headers['from']).toBe('Tessera Accounts <accounts@tessera.test>');
    expect(mail.headers['x-tenant']).toBe('acme');
    expect(mail.headers['message-id']).toBe(`<${id}@tessera.test>`);
    expect(Date.parse(mail.headers['date']!)).toBeGreaterThan(Date.now() - 60_000);
    expect(mail.headers['content-type']).toMatch(/^multipart\/alternative/);

    await until(async () => (await messages.findById(id))?.status === 'sent');
    const stored = (await messages.findById(id))!;
    expect(stored).toMatchObject({
      sendCount: 1,
      type: 'email',
      channel: 'email',
      templateType: 'recovery_code_valid',
    });
    expect(stored.dispatches!.map((d) => d.status)).toEqual(['success']);
  });

  it('queues nothing and sends nothing when the transaction rolls back', async () => {
    const { courier, db, dataSource } = await start();
    await expect(
      db.transaction(async () => {
        await courier.send({
          templateType: 'stub',
          recipient: 'bob@example.com',
          data: { Subject: 's', Body: 'b' },
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages).toHaveLength(0);
    expect(await dataSource.query('SELECT id FROM courier_messages')).toEqual([]);
  });

  it('retries while SMTP is down, then delivers once it is back', async () => {
    const { courier, messages } = await start();
    await sink.stop();
    const id = await courier.send({
      templateType: 'stub',
      recipient: 'carol@example.com',
      data: { Body: 'hello' },
    });
    await until(async () => ((await messages.findById(id))?.sendCount ?? 0) >= 2);
    await sink.start();
    await sink.waitFor((m) => m.to.includes('carol@example.com'));
    await until(async () => (await messages.findById(id))?.status === 'sent');
    const stored = (await messages.findById(id))!;
    expect(stored.sendCount).toBeGreaterThan(1);
    const statuses = stored.dispatches!.map((d) => d.status);
    expect(statuses.at(-1)).toBe('success');
    expect(statuses.slice(0, -1).every((s) => s === 'failed')).toBe(true);
    expect(stored.dispatches![0]!.error).toMatchObject({ message: expect.any(String) });
    expect(sink.messages.filter((m) => m.to.includes('carol@example.com'))).toHaveLength(1);
  });

  it('abandons a message after message_retries failed retries', async () => {
    const { courier, messages } = await start({ COURIER_MESSAGE_RETRIES: '2' });
    await sink.stop();
    const id = await courier.send({
      templateType: 'stub',
      recipient: 'dave@example.com',
      data: { Body: 'x' },
    });
    await until(async () => (await messages.findById(id))?.status === 'abandoned');
    const stored = (await messages.findById(id))!;
    expect(stored.sendCount).toBe(3);
    expect(stored.dispatches!.map((d) => d.status)).toEqual(['failed', 'failed', 'failed']);
  });

  it('without SMTP outside --dev keeps messages queued and says so once at start', async () => {
    const { courier, messages } = await start({ COURIER_SMTP_CONNECTION_URI: '' });
    const id = await courier.send({ templateType: 'stub', recipient: 'erin@example.com', data: {} });
    await new Promise((r) => setTimeout(r, 400));
    expect((await messages.findById(id))!).toMatchObject({ status: 'queued', sendCount: 0 });
    const warnings = context!
      .logs()
      .filter((l) => l['level'] === 'warn' && String(l['msg']).includes('courier'));
    expect(warnings).toHaveLength(1);
  });

  it('without SMTP in --dev logs the message and marks it sent', async () => {
    const { courier, messages } = await start({ COURIER_SMTP_CONNECTION_URI: '' }, true);
    const id = await courier.send({
      templateType: 'login_code_valid',
      recipient: 'fay@example.com',
      data: { LoginCode: '654321' },
    });
    await until(async () => (await messages.findById(id))?.status === 'sent');
    const logged = context!.logs().find((l) => l['message_id'] === id && l['body']);
    expect(logged).toMatchObject({ recipient: 'fay@example.com', subject: 'Use code 654321 to log in' });
    expect(String(logged!['body'])).toContain('654321');
    expect((await messages.findById(id))!.dispatches!.map((d) => d.status)).toEqual(['success']);
  });
});
