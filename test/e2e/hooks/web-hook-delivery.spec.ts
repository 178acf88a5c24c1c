import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHookReceiver, type HookReceiver } from '../../support/hook-receiver.js';
import { json, startHookServer, webHook, type HookServer } from '../../support/hook-server.js';
import { freePort } from '../../support/tessera-process.js';
import { GOOD_PASSWORD, uniqueEmail } from '../../support/self-service.js';

// How a web hook call is made and what its failures do: auth, content types, cancel, retries,
// timeouts, and `response.ignore` against slow and dead receivers.

let receiver: HookReceiver;
let server: HookServer;

const FORM_BODY = `base64://${Buffer.from('function(ctx) { email: ctx.identity.traits.email, flow: ctx.flow.id }').toString('base64')}`;
const CANCEL_BODY = `function(ctx)
  if std.objectHas(ctx.flow, 'transient_payload') && ctx.flow.transient_payload.skip then error 'cancel'
  else { id: ctx.identity.id }`;

beforeAll(async () => {
  receiver = await startHookReceiver();
  const dead = `http://127.0.0.1:${await freePort()}/dead`;
  const at = (path: string) => `${receiver.url}${path}`;
  server = await startHookServer(
    {
      selfservice: {
        flows: {
          registration: {
            after: {
              password: {
                hooks: [
                  webHook(at('/basic'), {
                    auth: { type: 'basic_auth', config: { user: 'hook', password: 'pw:1' } },
                  }),
                  webHook(at('/header'), {
                    id: 'crm',
                    headers: { 'X-Tenant': 'acme' },
                    auth: { type: 'api_key', config: { name: 'X-Api-Key', value: 'k-123', in: 'header' } },
                  }),
                  webHook(at('/form'), {
                    body: FORM_BODY,
                    emit_analytics_event: false,
                    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                    auth: { type: 'api_key', config: { name: 'hook_key', value: 'c-9', in: 'cookie' } },
                  }),
                  webHook(at('/cancel'), { body: 'file://cancel.jsonnet' }),
                  webHook(dead, { response: { ignore: true } }),
                  webHook(at('/slow'), { response: { ignore: true } }),
                  { hook: 'session' },
                ],
              },
            },
          },
          login: { after: { password: { hooks: [webHook(at('/login'))] } } },
        },
      },
      clients: { web_hook: { timeout: '400ms', retry_wait: '100ms' } },
    },
    { 'cancel.jsonnet': CANCEL_BODY },
  );
});

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

beforeEach(() => receiver.reset());

async function register(email: string, extra: Record<string, unknown> = {}) {
  const flow = await json(`${server.publicUrl}/self-service/registration/api`);
  return json(`${server.publicUrl}/self-service/registration?flow=${String(flow.body['id'])}`, {
    body: { method: 'password', traits: { email }, password: GOOD_PASSWORD, ...extra },
  });
}

/** The ids of the identity's active sessions, from the admin API. */
async function activeSessions(email: string): Promise<string[]> {
  const found = await json(
    `${server.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`,
  );
  const [identity] = found.body as unknown as { id: string }[];
  const sessions = await json(`${server.adminUrl}/admin/identities/${identity!.id}/sessions?active=true`);
  return (sessions.body as unknown as { id: string }[]).map((s) => s.id).sort();
}

async function login(email: string) {
  const flow = await json(`${server.publicUrl}/self-service/login/api`);
  return json(`${server.publicUrl}/self-service/login?flow=${String(flow.body['id'])}`, {
    body: { method: 'password', identifier: email, password: GOOD_PASSWORD },
  });
}

describe('a web hook request', () => {
  it('carries basic auth, an API key header or cookie, its headers and analytics ids', async () => {
    receiver.reply('/slow', { delayMs: 10 });
    const email = uniqueEmail('auth');
    const answer = await register(email);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const [basic] = receiver.callsTo('/basic');
    expect(basic!.headers['authorization']).toBe(`Basic ${Buffer.from('hook:pw:1').toString('base64')}`);
    expect(basic!.headers['content-type']).toBe('application/json');
    expect(basic!.headers['ory-webhook-trigger-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(basic!.headers['ory-webhook-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const [header] = receiver.callsTo('/header');
    expect(header!.headers['x-api-key']).toBe('k-123');
    expect(header!.headers['x-tenant']).toBe('acme');
    const [form] = receiver.callsTo('/form');
    expect(form!.headers['cookie']).toBe('hook_key=c-9');
    expect(form!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form!.headers).not.toHaveProperty('ory-webhook-trigger-id');
    const fields = new URLSearchParams(form!.body);
    expect(fields.get('email')).toBe(email);
    expect(fields.get('flow')).toEqual(expect.any(String));
  });

  it('is skipped when the body raises error "cancel", and the flow goes on', async () => {
    const skipped = await register(uniqueEmail('cancel'), { transient_payload: { skip: true } });
    expect(skipped.status, JSON.stringify(skipped.body)).toBe(200);
    expect(receiver.callsTo('/cancel')).toHaveLength(0);
    const sent = await register(uniqueEmail('nocancel'), { transient_payload: { skip: false } });
    expect(sent.status).toBe(200);
    expect(JSON.parse(receiver.callsTo('/cancel')[0]!.body)).toEqual({
      id: (sent.body['identity'] as Record<string, unknown>)['id'],
    });
  });
});

describe('response.ignore', () => {
  it('neither waits for a slow receiver nor fails on a dead one; the call still arrives', async () => {
    receiver.reply('/slow', { delayMs: 3000 });
    const answer = await register(uniqueEmail('ignored'));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.ms).toBeLessThan(2000);
    await receiver.waitFor('/slow', 1, 5000);
  });
});

describe('failures of a synchronous hook', () => {
  let email: string;

  beforeAll(async () => {
    email = uniqueEmail('login');
    receiver.reply('/slow', { delayMs: 1 });
    expect((await register(email)).status).toBe(200);
  });

  it('are retried on 5xx with the same trigger id, a new request id each time', async () => {
    receiver.reply('/login', (_call, n) => (n < 3 ? { status: n === 1 ? 503 : 500 } : { status: 200 }));
    const answer = await login(email);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const calls = receiver.callsTo('/login');
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.headers['ory-webhook-trigger-id'])).size).toBe(1);
    expect(new Set(calls.map((c) => c.headers['ory-webhook-request-id'])).size).toBe(3);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(180);
  });

  it('give up after three attempts: 502 (the receiver failed, not Tessera) and no session', async () => {
    const activeBefore = await activeSessions(email);
    receiver.reply('/login', { status: 500 });
    const answer = await login(email);
    expect(answer.status).toBe(502);
    expect(answer.body).not.toHaveProperty('session_token');
    expect(receiver.callsTo('/login')).toHaveLength(3);
    // The hook was told of a session; it was revoked before its token left the server.
    const told = JSON.parse(receiver.callsTo('/login')[0]!.body) as { ctx: { session: { id: string } } };
    expect(told.ctx.session.id).toEqual(expect.any(String));
    expect(await activeSessions(email)).toEqual(activeBefore);
  });

  it('never hold another sign-in up while a receiver is slow', async () => {
    const other = uniqueEmail('other');
    expect((await register(other)).status).toBe(200);
    receiver.reset();
    // The first attempt outlives its 400 ms timeout; the retry answers.
    receiver.reply('/login', (_call, n) => (n === 1 ? { status: 200, delayMs: 1000 } : { status: 200 }));
    let slowDone = 0;
    const slow = login(email).then((answer) => ((slowDone = Date.now()), answer));
    await receiver.waitFor('/login', 1, 5000);
    const fast = await login(other);
    const fastDone = Date.now();
    expect(fast.status, JSON.stringify(fast.body)).toBe(200);
    expect((await slow).status).toBe(200);
    // The other sign-in did not queue behind the transaction of the one waiting on its hook.
    expect(fastDone).toBeLessThan(slowDone);
  });

  it('answer 504 when every attempt times out', async () => {
    receiver.reply('/login', { delayMs: 1500 });
    const answer = await login(email);
    expect(answer.status).toBe(504);
    expect(answer.body['error']).toMatchObject({
      code: 504,
      reason: 'A third-party upstream service could not be reached. Please try again later.',
    });
    expect(receiver.callsTo('/login')).toHaveLength(3);
  });

  it('are not retried on 501 or 4xx, which answer 502', async () => {
    receiver.reply('/login', { status: 501 });
    expect((await login(email)).status).toBe(502);
    expect(receiver.callsTo('/login')).toHaveLength(1);
    receiver.reset();
    receiver.reply('/login', { status: 422 });
    const refused = await login(email);
    expect(refused.status).toBe(502);
    expect(receiver.callsTo('/login')).toHaveLength(1);
  });
});
