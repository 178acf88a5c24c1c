import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../libs/config/index.js';
import { Courier, CourierMessageRepository } from '../../../libs/courier/index.js';
import { startCourierContext, type CourierContext } from '../../support/courier-context.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const until = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('the HTTP channel', () => {
  let server: Server;
  let url: string;
  let received: Received[];
  let status: number;
  let context: CourierContext | undefined;

  beforeEach(async () => {
    received = [];
    status = 200;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
    await new Promise((resolve) => server.close(resolve));
  });

  const start = async (env: Record<string, string>) => {
    context = await startCourierContext({
      dsn: 'memory',
      env: { COURIER_WORKER_PULL_WAIT: '100ms', COURIER_WORKER_RETRY_BACKOFF: '50ms', ...env },
    });
    return { courier: context.app.get(Courier), messages: context.app.get(CourierMessageRepository) };
  };

  const smsChannel = (requestConfig: Record<string, unknown>) =>
    JSON.stringify([{ id: 'sms', type: 'http', request_config: { url: `${url}/sms`, ...requestConfig } }]);

  it('posts an SMS as the default Kratos payload, with basic auth', async () => {
    const { courier, messages } = await start({
      COURIER_CHANNELS: smsChannel({
        auth: { type: 'basic_auth', config: { user: 'me', password: 'secret' } },
      }),
    });
    const id = await courier.send({
      templateType: 'verification_code_valid',
      recipient: '+15550100',
      channel: 'sms',
      data: { VerificationCode: '246810', VerificationURL: 'https://app.test/v?code=246810' },
    });
    await until(async () => (await messages.findById(id))?.status === 'sent');
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/sms' });
    expect(request!.headers['authorization']).toBe(`Basic ${Buffer.from('me:secret').toString('base64')}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      recipient: '+15550100',
      template_type: 'verification_code_valid',
      to: '+15550100',
      recovery_code: null,
      recovery_url: null,
      verification_url: 'https://app.test/v?code=246810',
      verification_code: '246810',
      subject: '',
      body: 'Your verification code is: 246810',
    });
    expect(await messages.findById(id)).toMatchObject({ type: 'sms', channel: 'sms', sendCount: 1 });
  });

  it("renders Kratos' Jsonnet body with ctx, and sends an API key header", async () => {
    const body = `function(ctx) {
      phone: ctx.recipient,
      text: ctx.body,
      code: ctx.template_data.login_code,
      [if 'recovery_code' in ctx.template_data then 'recovery']: true,
    }`;
    const { courier, messages } = await start({
      COURIER_CHANNELS: smsChannel({
        method: 'PUT',
        headers: { 'X-Extra': 'yes' },
        body: `base64://${Buffer.from(body).toString('base64')}`,
        auth: { type: 'api_key', config: { name: 'X-Api-Key', value: 'k-123', in: 'header' } },
      }),
      COURIER_TEMPLATES: JSON.stringify({
        login_code: {
          valid: {
            email: { subject: `base64://${Buffer.from('s').toString('base64')}` },
            sms: {
              body: {
                plaintext: `base64://${Buffer.from('Say "{{ .LoginCode }}"\nnow').toString('base64')}`,
              },
            },
          },
        },
      }),
    });
    const id = await courier.send({
      templateType: 'login_code_valid',
      recipient: '+1555',
      channel: 'sms',
      data: { LoginCode: '111' },
    });
    await until(async () => (await messages.findById(id))?.status === 'sent');
    expect(received[0]).toMatchObject({ method: 'PUT' });
    expect(received[0]!.headers['x-api-key']).toBe('k-123');
    expect(received[0]!.headers['x-extra']).toBe('yes');
    expect(JSON.parse(received[0]!.body)).toEqual({ phone: '+1555', text: 'Say "111"\nnow', code: '111' });
  });

  it('records a non-2xx answer as a failed dispatch and retries', async () => {
    status = 503;
    const { courier, messages } = await start({ COURIER_CHANNELS: smsChannel({}) });
    const id = await courier.send({ templateType: 'stub', recipient: '+1', channel: 'sms', data: {} });
    await until(async () => ((await messages.findById(id))?.sendCount ?? 0) >= 2);
    status = 200;
    await until(async () => (await messages.findById(id))?.status === 'sent');
    const stored = (await messages.findById(id))!;
    expect(stored.dispatches![0]).toMatchObject({ status: 'failed', error: { code: 'http_503' } });
    expect(stored.dispatches!.at(-1)!.status).toBe('success');
  });

  it('sends email over HTTP with delivery_strategy http', async () => {
    const { courier, messages } = await start({
      COURIER_DELIVERY_STRATEGY: 'http',
      COURIER_HTTP_REQUEST_CONFIG: JSON.stringify({ url: `${url}/mail` }),
    });
    const id = await courier.send({
      templateType: 'recovery_code_valid',
      recipient: 'r@example.com',
      data: { RecoveryCode: '999000' },
    });
    await until(async () => (await messages.findById(id))?.status === 'sent');
    expect(received[0]!.url).toBe('/mail');
    expect(JSON.parse(received[0]!.body)).toMatchObject({
      recipient: 'r@example.com',
      recovery_code: '999000',
      subject: 'Use code 999000 to recover access to your account',
    });
  });

  it('refuses a body that is not Jsonnet at start, naming the key and the place', async () => {
    const goTemplate = '{"to": "{{ .recipient }}"';
    const error = await start({
      COURIER_CHANNELS: smsChannel({ body: `base64://${Buffer.from(goTemplate).toString('base64')}` }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^courier\.channels\[sms\]\.request_config\.body: .*:1:\d+/),
    ]);
  });

  it('records a body that fails to evaluate as a failed dispatch, and sends nothing', async () => {
    const body = "function(ctx) { to: ctx.recipient, code: error 'no code for ' + ctx.template_type }";
    const { courier, messages } = await start({
      COURIER_MESSAGE_RETRIES: '0',
      COURIER_CHANNELS: smsChannel({ body: `base64://${Buffer.from(body).toString('base64')}` }),
    });
    const id = await courier.send({
      templateType: 'verification_code_valid',
      recipient: '+15550111',
      channel: 'sms',
      data: { VerificationCode: '1' },
    });
    await until(async () => (await messages.findById(id))?.status === 'abandoned');
    expect(received).toHaveLength(0);
    const stored = await messages.findById(id);
    expect(JSON.stringify(stored)).toContain('no code for verification_code_valid');
  });
});
