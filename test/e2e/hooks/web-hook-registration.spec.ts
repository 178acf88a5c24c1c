import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHookReceiver, type HookReceiver } from '../../support/hook-receiver.js';
import { json, startHookServer, webHook, type HookServer } from '../../support/hook-server.js';
import { GOOD_PASSWORD, uniqueEmail } from '../../support/self-service.js';

// Registration's hooks as Kratos runs them: before, pre-persist (parse), post-persist, session last.

let receiver: HookReceiver;
let server: HookServer;

beforeAll(async () => {
  receiver = await startHookReceiver();
  const at = (path: string) => `${receiver.url}${path}`;
  server = await startHookServer({
    selfservice: {
      flows: {
        registration: {
          before: { hooks: [webHook(at('/before'))] },
          after: {
            hooks: [webHook(at('/global'))],
            password: {
              hooks: [
                { hook: 'session' },
                webHook(at('/post')),
                webHook(at('/pre'), { response: { parse: true } }),
              ],
            },
          },
        },
      },
    },
    clients: { web_hook: { timeout: '500ms', retry_wait: '50ms' } },
  });
});

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

beforeEach(() => receiver.reset());

async function newFlow() {
  const created = await json(`${server.publicUrl}/self-service/registration/api`);
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body;
}

async function register(email: string, extra: Record<string, unknown> = {}) {
  const flow = await newFlow();
  const answer = await json(`${server.publicUrl}/self-service/registration?flow=${String(flow['id'])}`, {
    body: { method: 'password', traits: { email }, password: GOOD_PASSWORD, ...extra },
    headers: { 'User-Agent': 'hook-test', Authorization: 'Bearer not-for-hooks' },
  });
  return { flow, answer };
}

async function identitiesWith(email: string) {
  const found = await fetch(
    `${server.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`,
  );
  return (await found.json()) as Record<string, unknown>[];
}

describe('registration web hooks', () => {
  it('run before (no identity), pre-persist (nil id), post-persist (stored id), the session last', async () => {
    const email = uniqueEmail('order');
    const { answer } = await register(email, { transient_payload: { campaign: 'spring' } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body['session_token']).toEqual(expect.any(String));
    const paths = receiver.calls.map((c) => c.path);
    expect(paths).toEqual(['/before', '/pre', '/post']);

    const before = receiver.lastJson('/before')['ctx'] as Record<string, unknown>;
    expect(before).not.toHaveProperty('identity');
    expect(before).not.toHaveProperty('session');
    expect((before['flow'] as Record<string, unknown>)['type']).toBe('api');

    const pre = receiver.lastJson('/pre')['ctx'] as Record<string, Record<string, unknown>>;
    expect(pre['identity']!['id']).toBe('00000000-0000-0000-0000-000000000000');
    expect(pre['identity']!['traits']).toEqual({ email });
    expect(pre['flow']!['transient_payload']).toEqual({ campaign: 'spring' });
    expect(pre).not.toHaveProperty('session');

    const post = receiver.lastJson('/post')['ctx'] as Record<string, Record<string, unknown>>;
    const stored = (answer.body['identity'] as Record<string, unknown>)['id'];
    expect(post['identity']!['id']).toBe(stored);
    expect(post['flow']!['transient_payload']).toEqual({ campaign: 'spring' });
    expect(post['request_method']).toBe('POST');
    expect(post['request_url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/self-service\/registration\?flow=/);
    expect(post['request_headers']).toMatchObject({ 'User-Agent': ['hook-test'] });
    expect(post['request_headers']).not.toHaveProperty('Cookie');
    expect(post['request_headers']).not.toHaveProperty('Authorization');
    expect(post['request_cookies']).toEqual({});
    expect(post).not.toHaveProperty('session');
  });

  it('never send the password, the session token, credentials or admin metadata', async () => {
    const email = uniqueEmail('secret');
    const { answer } = await register(email);
    expect(answer.status).toBe(200);
    const sent = receiver.calls.map((c) => c.body).join('\n');
    expect(sent).toContain(email);
    expect(sent).not.toContain(GOOD_PASSWORD);
    expect(sent).not.toContain(String(answer.body['session_token']));
    expect(sent).not.toContain('not-for-hooks');
    expect(sent).not.toContain('credentials');
    expect(sent).not.toContain('hashed_password');
  });

  it('keep the transient payload out of storage', async () => {
    const email = uniqueEmail('transient');
    const { flow, answer } = await register(email, { transient_payload: { secret_note: 'xyzzy-42' } });
    expect(answer.status).toBe(200);
    const [identity] = await identitiesWith(email);
    expect(JSON.stringify(identity)).not.toContain('xyzzy-42');
    const stored = await json(`${server.publicUrl}/self-service/registration/flows?id=${String(flow['id'])}`);
    expect(JSON.stringify(stored.body)).not.toContain('xyzzy-42');
  });

  it('let a parsing hook change traits and metadata before the identity is stored', async () => {
    const email = uniqueEmail('parse');
    const changed = uniqueEmail('changed');
    receiver.reply('/pre', {
      body: {
        identity: {
          traits: { email: changed },
          metadata_public: { plan: 'gold' },
          metadata_admin: { crm: 7 },
        },
      },
    });
    const { answer } = await register(email);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await identitiesWith(email)).toEqual([]);
    const [identity] = await identitiesWith(changed);
    expect(identity).toMatchObject({ traits: { email: changed }, metadata_public: { plan: 'gold' } });
    const full = await json(`${server.adminUrl}/admin/identities/${String(identity!['id'])}`);
    expect(full.body['metadata_admin']).toEqual({ crm: 7 });
    expect(receiver.lastJson('/post')['ctx']).toMatchObject({ identity: { traits: { email: changed } } });
  });

  it('re-validate patched traits against the schema: 400 on the node, nothing stored', async () => {
    const email = uniqueEmail('badpatch');
    receiver.reply('/pre', { body: { identity: { traits: { email: 'not an address' } } } });
    const { answer } = await register(email);
    expect(answer.status).toBe(400);
    const nodes = (
      answer.body['ui'] as { nodes: { attributes: { name: string }; messages: { id: number }[] }[] }
    ).nodes;
    expect(nodes.find((n) => n.attributes.name === 'traits.email')!.messages.length).toBeGreaterThan(0);
    expect(await identitiesWith(email)).toEqual([]);
    expect(receiver.callsTo('/post')).toHaveLength(0);
  });

  it('show an interrupting 4xx answer on the named nodes and store nothing', async () => {
    const email = uniqueEmail('blocked');
    receiver.reply('/pre', {
      status: 409,
      body: {
        messages: [
          {
            instance_ptr: '#/traits/email',
            messages: [
              {
                id: 1234,
                text: 'This address is on a block list.',
                type: 'error',
                context: { reason: 'blocklist' },
              },
            ],
          },
          { instance_ptr: '#/referral', messages: [{ id: 55, text: 'Unknown code', type: 'info' }] },
          { instance_ptr: '', messages: [{ id: 77, text: 'Try later', type: 'error' }] },
        ],
      },
    });
    const { flow, answer } = await register(email);
    expect(answer.status).toBe(400);
    expect(answer.body['id']).toBe(flow['id']);
    const ui = answer.body['ui'] as {
      nodes: { attributes: { name: string; value?: unknown }; messages: unknown[] }[];
      messages: unknown[];
    };
    const node = (name: string) => ui.nodes.find((n) => n.attributes.name === name)!;
    expect(node('traits.email').messages).toEqual([
      { id: 1234, text: 'This address is on a block list.', type: 'error', context: { reason: 'blocklist' } },
    ]);
    expect(node('traits.email').attributes.value).toBe(email);
    expect(node('referral').messages).toEqual([{ id: 55, text: 'Unknown code', type: 'info' }]);
    expect(ui.messages).toEqual([{ id: 77, text: 'Try later', type: 'error' }]);
    expect(await identitiesWith(email)).toEqual([]);
    expect(receiver.callsTo('/post')).toHaveLength(0);
  });

  it('answer a refused post-persist hook with 502 and keep the stored identity', async () => {
    const email = uniqueEmail('postfail');
    receiver.reply('/post', { status: 403 });
    const { answer } = await register(email);
    expect(answer.status).toBe(502);
    expect(answer.body['error']).toMatchObject({
      code: 502,
      reason: 'A third-party upstream service responded improperly. Please try again later.',
      message: 'webhook failed with status code 403',
    });
    expect(await identitiesWith(email)).toHaveLength(1);
  });

  it('stop the flow from being made when a before hook fails: 502, and the flow id is unknown', async () => {
    receiver.reply('/before', { status: 400 });
    const created = await json(`${server.publicUrl}/self-service/registration/api`);
    expect(created.status).toBe(502);
    const id = (receiver.lastJson('/before')['ctx'] as Record<string, Record<string, unknown>>)['flow']![
      'id'
    ];
    expect(id).toEqual(expect.any(String));
    const fetched = await json(`${server.publicUrl}/self-service/registration/flows?id=${String(id)}`);
    expect(fetched.status).toBe(404);
  });
});
