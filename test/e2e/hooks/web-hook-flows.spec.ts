import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHookReceiver, type HookReceiver } from '../../support/hook-receiver.js';
import { ECHO_BODY, json } from '../../support/hook-server.js';
import { GOOD_PASSWORD, uniqueEmail } from '../../support/self-service.js';
import { codeIn, mailTo, startMailServer, type MailServer } from '../recovery/mail-flows.js';

// The hooks of login, settings, recovery and verification, and what each one's ctx holds.

let receiver: HookReceiver;
let server: MailServer;

const BODY = `base64://${Buffer.from(ECHO_BODY).toString('base64')}`;

beforeAll(async () => {
  receiver = await startHookReceiver();
  const hook = (path: string, extra: Record<string, unknown> = {}) => ({
    hook: 'web_hook',
    config: { url: `${receiver.url}${path}`, method: 'POST', body: BODY, ...extra },
  });
  const hooks = (...list: unknown[]) => JSON.stringify(list);
  server = await startMailServer({
    SELFSERVICE_FLOWS_LOGIN_BEFORE_HOOKS: hooks(hook('/login-before')),
    SELFSERVICE_FLOWS_LOGIN_AFTER_HOOKS: hooks(hook('/login-global')),
    SELFSERVICE_FLOWS_LOGIN_AFTER_PASSWORD_HOOKS: hooks(hook('/login-after'), {
      hook: 'revoke_active_sessions',
    }),
    SELFSERVICE_FLOWS_SETTINGS_BEFORE_HOOKS: hooks(hook('/settings-before')),
    SELFSERVICE_FLOWS_SETTINGS_AFTER_PROFILE_HOOKS: hooks(
      hook('/settings-post'),
      hook('/settings-pre', { response: { parse: true } }),
    ),
    SELFSERVICE_FLOWS_RECOVERY_BEFORE_HOOKS: hooks(hook('/recovery-before')),
    SELFSERVICE_FLOWS_RECOVERY_AFTER_HOOKS: hooks(hook('/recovery-after')),
    SELFSERVICE_FLOWS_VERIFICATION_BEFORE_HOOKS: hooks(hook('/verification-before')),
    SELFSERVICE_FLOWS_VERIFICATION_AFTER_HOOKS: hooks(hook('/verification-after')),
  });
});

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

beforeEach(() => receiver.reset());

type Ctx = Record<string, Record<string, unknown>>;
const ctxOf = (path: string) => receiver.lastJson(path)['ctx'] as Ctx;

async function register(email: string) {
  const flow = await json(`${server.publicUrl}/self-service/registration/api`);
  const answer = await json(`${server.publicUrl}/self-service/registration?flow=${String(flow.body['id'])}`, {
    body: { method: 'password', traits: { email }, password: GOOD_PASSWORD },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

describe('login hooks', () => {
  it('before: the flow only; after (method list wins): identity and session, no secrets', async () => {
    const email = uniqueEmail('login');
    const registered = await register(email);
    const flow = await json(`${server.publicUrl}/self-service/login/api`);
    expect(flow.status).toBe(200);
    const before = ctxOf('/login-before');
    expect(before['flow']!['id']).toBe(flow.body['id']);
    expect(before).not.toHaveProperty('identity');
    expect(before).not.toHaveProperty('session');
    const answer = await json(`${server.publicUrl}/self-service/login?flow=${String(flow.body['id'])}`, {
      body: { method: 'password', identifier: email, password: GOOD_PASSWORD, transient_payload: { a: 1 } },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const after = ctxOf('/login-after');
    expect(after['identity']!['id']).toBe((registered['identity'] as Record<string, unknown>)['id']);
    expect(after['session']!['id']).toBe((answer.body['session'] as Record<string, unknown>)['id']);
    expect(after['flow']!['transient_payload']).toEqual({ a: 1 });
    expect(receiver.callsTo('/login-global')).toHaveLength(0);
    const sent = receiver.calls.map((c) => c.body).join('\n');
    expect(sent).not.toContain(GOOD_PASSWORD);
    expect(sent).not.toContain(String(answer.body['session_token']));
    expect(sent).not.toContain(String(registered['session_token']));
  });
});

describe('settings hooks', () => {
  it('before sees the session; a parsing hook changes metadata; the post hook sees success', async () => {
    const email = uniqueEmail('settings');
    const registered = await register(email);
    const token = String(registered['session_token']);
    const flow = await json(`${server.publicUrl}/self-service/settings/api`, {
      headers: { 'X-Session-Token': token },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(200);
    expect(ctxOf('/settings-before')['session']!['id']).toEqual(expect.any(String));
    receiver.reply('/settings-pre', { body: { identity: { metadata_public: { tier: 'pro' } } } });
    const changed = uniqueEmail('changed');
    const answer = await json(`${server.publicUrl}/self-service/settings?flow=${String(flow.body['id'])}`, {
      body: { method: 'profile', traits: { email: changed } },
      headers: { 'X-Session-Token': token },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(receiver.calls.map((c) => c.path)).toEqual([
      '/settings-before',
      '/settings-pre',
      '/settings-post',
    ]);
    const pre = ctxOf('/settings-pre');
    expect(pre['identity']!['traits']).toEqual({ email: changed });
    expect(pre['session']).toBeDefined();
    const post = ctxOf('/settings-post');
    expect(post['flow']!['state']).toBe('success');
    expect(post['identity']!['metadata_public']).toEqual({ tier: 'pro' });
    const id = String((registered['identity'] as Record<string, unknown>)['id']);
    const stored = await json(`${server.adminUrl}/admin/identities/${id}`);
    expect(stored.body).toMatchObject({ traits: { email: changed }, metadata_public: { tier: 'pro' } });
    expect(receiver.calls.map((c) => c.body).join('\n')).not.toContain(token);
  });

  it('a 4xx answer of the parsing hook keeps the old traits', async () => {
    const email = uniqueEmail('keep');
    const registered = await register(email);
    const token = String(registered['session_token']);
    const flow = await json(`${server.publicUrl}/self-service/settings/api`, {
      headers: { 'X-Session-Token': token },
    });
    receiver.reply('/settings-pre', {
      status: 400,
      body: {
        messages: [{ instance_ptr: '#/traits/email', messages: [{ id: 9, text: 'No', type: 'error' }] }],
      },
    });
    const answer = await json(`${server.publicUrl}/self-service/settings?flow=${String(flow.body['id'])}`, {
      body: { method: 'profile', traits: { email: uniqueEmail('refused') } },
      headers: { 'X-Session-Token': token },
    });
    expect(answer.status).toBe(400);
    const nodes = (answer.body['ui'] as { nodes: { attributes: { name: string }; messages: unknown[] }[] })
      .nodes;
    expect(nodes.find((n) => n.attributes.name === 'traits.email')!.messages).toEqual([
      { id: 9, text: 'No', type: 'error' },
    ]);
    const id = String((registered['identity'] as Record<string, unknown>)['id']);
    expect((await json(`${server.adminUrl}/admin/identities/${id}`)).body['traits']).toEqual({ email });
    expect(receiver.callsTo('/settings-post')).toHaveLength(0);
  });
});

describe('recovery and verification hooks', () => {
  it('recovery: before, then after with the identity, no session, passed_challenge, no code', async () => {
    const email = uniqueEmail('recover');
    await register(email);
    const flow = await json(`${server.publicUrl}/self-service/recovery/api`);
    expect(flow.status).toBe(200);
    expect(ctxOf('/recovery-before')['flow']!['id']).toBe(flow.body['id']);
    const url = `${server.publicUrl}/self-service/recovery?flow=${String(flow.body['id'])}`;
    const count = server.sink.messages.length;
    expect((await json(url, { body: { method: 'code', email } })).status).toBe(200);
    const code = codeIn(await mailTo(server.sink, email, count, /recover/i));
    const done = await json(url, { body: { method: 'code', code } });
    expect(done.status, JSON.stringify(done.body)).toBeLessThan(500);
    const after = ctxOf('/recovery-after');
    expect(after['identity']!['traits']).toEqual({ email });
    expect(after['flow']!['state']).toBe('passed_challenge');
    expect(after).not.toHaveProperty('session');
    expect(receiver.calls.map((c) => c.body).join('\n')).not.toContain(code);
  });

  it('verification: after sees the address verified, and never the code', async () => {
    const email = uniqueEmail('verify');
    const count = server.sink.messages.length;
    const registered = await register(email);
    const mail = await mailTo(server.sink, email, count, /verif/i);
    const code = codeIn(mail);
    const next = (registered['continue_with'] as { action: string; flow?: { id: string } }[]).find(
      (c) => c.action === 'show_verification_ui',
    )!;
    const flowId = next.flow!.id;
    const done = await json(`${server.publicUrl}/self-service/verification?flow=${flowId}`, {
      body: { method: 'code', code },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const after = ctxOf('/verification-after');
    expect(after['flow']!['state']).toBe('passed_challenge');
    const addresses = after['identity']!['verifiable_addresses'] as Record<string, unknown>[];
    expect(addresses[0]).toMatchObject({ value: email, verified: true, status: 'completed' });
    expect(after).not.toHaveProperty('session');
    expect(receiver.calls.map((c) => c.body).join('\n')).not.toContain(code);
  });
});
