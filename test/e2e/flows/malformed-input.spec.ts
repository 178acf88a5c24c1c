import { randomUUID } from 'node:crypto';
import type { LoginFlow, RegistrationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  ERROR_UI,
  expectError,
  GOOD_PASSWORD,
  nodeMessages,
  postForm,
  registerWithApi,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowKind,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

// Whatever a client sends, the answer is a 4xx with the flow or the error envelope, never a 5xx.

let server: FlowServer;
let user: Registered;

beforeAll(async () => {
  // These tests are about the one-step form; profile_first has its own spec (registration-profile-first).
  server = await startFlowServer({ SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified' });
  user = await registerWithApi(server.frontend, uniqueEmail('garbage-user'));
});

afterAll(async () => {
  await server?.stop();
});

const BIG = 'x'.repeat(100 * 1024);
const schemaFor = { login: 'loginFlow', registration: 'registrationFlow' } as const;

async function apiFlow(kind: FlowKind): Promise<LoginFlow | RegistrationFlow> {
  const response =
    kind === 'login'
      ? await server.frontend.createNativeLoginFlow()
      : await server.frontend.createNativeRegistrationFlow();
  expect(response.status).toBe(200);
  return response.data;
}

/** Posts raw bytes to a fresh API flow of that kind. */
async function submitRaw(kind: FlowKind, body: string, contentType = 'application/json') {
  const flow = await apiFlow(kind);
  const response = await fetch(`${server.publicUrl}/self-service/${kind}?flow=${flow.id}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, Accept: 'application/json' },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json, flow };
}

/** A 4xx whose body is the flow (validated as such) or the error envelope. */
function expectRefused(kind: FlowKind, result: { status: number; body: unknown }, what: string) {
  expect(result.status, `${what}: ${JSON.stringify(result.body).slice(0, 500)}`).toBeGreaterThanOrEqual(400);
  expect(result.status, what).toBeLessThan(500);
  const body = result.body as Record<string, unknown>;
  if (body && typeof body === 'object' && 'ui' in body) assertMatchesContract(schemaFor[kind], body);
  else assertMatchesContract('errorGeneric', body);
  return body;
}

describe('flow ids', () => {
  it('answers 404 for a flow that does not exist', async () => {
    const id = randomUUID();
    expectError(await server.frontend.getLoginFlow({ id }), 404);
    expectError(await server.frontend.getRegistrationFlow({ id }), 404);
    expectError(
      await server.frontend.updateLoginFlow({
        flow: id,
        updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
      }),
      404,
    );
    expectError(
      await server.frontend.updateRegistrationFlow({
        flow: id,
        updateRegistrationFlowBody: { method: 'password', traits: { email: 'x@example.org' }, password: 'x' },
      }),
      404,
    );
  });

  it('sends a browser posting to an unknown flow to the error UI with the 404', async () => {
    const response = await postForm(
      new CookieJar(),
      `${server.publicUrl}/self-service/login?flow=${randomUUID()}`,
      { method: 'password', identifier: user.email, password: user.password },
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(ERROR_UI);
    const stored = await server.frontend.getFlowError({ id: location.searchParams.get('id')! });
    expect(stored.status).toBe(200);
    expect(stored.data.error).toMatchObject({ code: 404 });
  });

  it('answers 400 for a missing or malformed flow id', async () => {
    for (const id of ['not-a-uuid', '1', "' OR 1=1 --", `${randomUUID()}x`]) {
      expectError(await server.frontend.getLoginFlow({ id }), 400);
      expectError(await server.frontend.getRegistrationFlow({ id }), 400);
    }
    for (const kind of ['login', 'registration']) {
      for (const query of ['', '?flow=', '?flow=nope', '?flow[]=a']) {
        const response = await fetch(`${server.publicUrl}/self-service/${kind}${query}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ method: 'password' }),
        });
        expectError(response, 400, undefined, await response.json());
      }
    }
  });

  it('answers 404 for an unknown flow error id', async () => {
    expectError(await server.frontend.getFlowError({ id: randomUUID() }), 404);
  });
});

describe('login bodies', () => {
  const garbage: [string, unknown][] = [
    ['identifier as a number', { method: 'password', identifier: 42, password: 'x' }],
    ['identifier as an object', { method: 'password', identifier: { $ne: null }, password: 'x' }],
    ['identifier as an array', { method: 'password', identifier: ['a@example.org', 'b'], password: 'x' }],
    ['identifier as null', { method: 'password', identifier: null, password: 'x' }],
    ['password as a number', { method: 'password', identifier: 'a@example.org', password: 12345678 }],
    ['password as an object', { method: 'password', identifier: 'a@example.org', password: { $gt: '' } }],
    ['password as true', { method: 'password', identifier: 'a@example.org', password: true }],
    ['a 100 KB identifier', { method: 'password', identifier: BIG, password: 'x' }],
    ['a 100 KB password', { method: 'password', identifier: 'a@example.org', password: BIG }],
    [
      'transient_payload as a string',
      { method: 'password', identifier: 'a', password: 'b', transient_payload: 'x' },
    ],
    [
      'transient_payload as an array',
      { method: 'password', identifier: 'a', password: 'b', transient_payload: [1] },
    ],
  ];

  it.each(garbage)('refuses %s with a 4xx', async (what, body) => {
    const result = await submitRaw('login', JSON.stringify(body));
    const answer = expectRefused('login', result, what);
    expect(answer).not.toHaveProperty('session_token');
  });

  it('answers 4000002 for fields that are not strings', async () => {
    const result = await submitRaw(
      'login',
      JSON.stringify({ method: 'password', identifier: 42, password: {} }),
    );
    expect(result.status).toBe(400);
    const flow = result.body as LoginFlow;
    expect(nodeMessages(flow, 'identifier').map((m) => m.id)).toEqual([4000002]);
    expect(nodeMessages(flow, 'password').map((m) => m.id)).toEqual([4000002]);
  });

  it('answers 4000006 for a 100 KB identifier, and echoes at most a bounded value', async () => {
    const result = await submitRaw(
      'login',
      JSON.stringify({ method: 'password', identifier: BIG, password: 'x' }),
    );
    expect(result.status).toBe(400);
    expect(uiMessageIds(result.body as LoginFlow)).toEqual([4000006]);
    expect(JSON.stringify(result.body).length).toBeLessThan(20 * 1024);
  });

  it.each([['magic'], [''], [42], [null]])('answers 4010002 for method %j', async (method) => {
    const result = await submitRaw(
      'login',
      JSON.stringify({ method, identifier: user.email, password: user.password }),
    );
    expect(result.status).toBe(400);
    assertMatchesContract('loginFlow', result.body);
    expect(uiMessageIds(result.body as LoginFlow)).toEqual([4010002]);
  });

  it('echoes an object transient_payload on the flow', async () => {
    const result = await submitRaw(
      'login',
      JSON.stringify({ method: 'password', identifier: 'x', password: 'y', transient_payload: { a: 1 } }),
    );
    expect(result.status).toBe(400);
    expect((result.body as LoginFlow).transient_payload).toEqual({ a: 1 });
  });

  it('refuses an identifier with a NUL byte like any unknown account', async () => {
    const result = await submitRaw(
      'login',
      JSON.stringify({ method: 'password', identifier: 'nul\u0000@example.org', password: 'whatever1' }),
    );
    expectRefused('login', result, 'NUL identifier');
    expect(uiMessageIds(result.body as LoginFlow)).toEqual([4000006]);
  });
});

describe('request bodies that are not a form object', () => {
  const bodies: [string, string, string][] = [
    ['malformed JSON', '{"method": "password", ', 'application/json'],
    ['a JSON array', '[1,2,3]', 'application/json'],
    ['a JSON string', '"password"', 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['plain text', 'method=password', 'text/plain'],
    [
      'form arrays and objects',
      'method=password&identifier[]=a&identifier[]=b&password[x]=y',
      'application/x-www-form-urlencoded',
    ],
    [
      'a prototype-polluting form',
      '__proto__[admin]=1&constructor[prototype][admin]=1&method=password',
      'application/x-www-form-urlencoded',
    ],
    [
      'a prototype-polluting JSON',
      '{"__proto__":{"admin":true},"method":"password","identifier":"a","password":"b"}',
      'application/json',
    ],
    ['deeply nested JSON', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, 'application/json'],
  ];

  it.each(bodies)('refuses %s on login and registration with a 4xx', async (what, body, contentType) => {
    for (const kind of ['login', 'registration'] as const) {
      expectRefused(kind, await submitRaw(kind, body, contentType), `${kind}: ${what}`);
    }
  });

  it('refuses a body over 5 MB with 413', async () => {
    const result = await submitRaw(
      'login',
      JSON.stringify({ method: 'password', identifier: 'a', password: 'x'.repeat(6 * 1024 * 1024) }),
    );
    expect(result.status).toBe(413);
  });

  it('still signs the user in afterwards', async () => {
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const response = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
    });
    expect(response.status).toBe(200);
  });
});

describe('registration bodies', () => {
  const deep = JSON.parse(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`) as unknown;
  const garbage: [string, unknown][] = [
    ['traits as a string', { method: 'password', traits: 'x@example.org', password: GOOD_PASSWORD }],
    ['traits as an array', { method: 'password', traits: ['x@example.org'], password: GOOD_PASSWORD }],
    ['traits as a number', { method: 'password', traits: 7, password: GOOD_PASSWORD }],
    ['traits as null', { method: 'password', traits: null, password: GOOD_PASSWORD }],
    ['email as a number', { method: 'password', traits: { email: 7 }, password: GOOD_PASSWORD }],
    ['email as an object', { method: 'password', traits: { email: { a: 'b' } }, password: GOOD_PASSWORD }],
    [
      'email as an array',
      { method: 'password', traits: { email: ['a@example.org'] }, password: GOOD_PASSWORD },
    ],
    [
      'a 100 KB email',
      { method: 'password', traits: { email: `${BIG}@example.org` }, password: GOOD_PASSWORD },
    ],
    [
      'a 100 KB first name',
      {
        method: 'password',
        traits: { email: 'big@example.org', name: { first: BIG } },
        password: GOOD_PASSWORD,
      },
    ],
    [
      'an unknown trait',
      { method: 'password', traits: { email: 'extra@example.org', admin: true }, password: GOOD_PASSWORD },
    ],
    [
      'deeply nested traits',
      { method: 'password', traits: { email: 'deep@example.org', name: deep }, password: GOOD_PASSWORD },
    ],
    [
      'password as a number',
      { method: 'password', traits: { email: 'n@example.org' }, password: 12345678901 },
    ],
    [
      'password as an array',
      { method: 'password', traits: { email: 'n@example.org' }, password: ['a', 'b'] },
    ],
    ['a 100 KB password', { method: 'password', traits: { email: 'p@example.org' }, password: BIG }],
    [
      'transient_payload as a string',
      { method: 'password', traits: { email: 't@example.org' }, password: 'x', transient_payload: 'x' },
    ],
  ];

  it.each(garbage)('refuses %s with a 4xx and creates nobody', async (what, body) => {
    const result = await submitRaw('registration', JSON.stringify(body));
    expectRefused('registration', result, what);
    expect(result.body).not.toHaveProperty('identity');
  });

  it('answers 4010003 for an unknown method', async () => {
    const result = await submitRaw(
      'registration',
      JSON.stringify({ method: 'magic', traits: { email: 'm@example.org' }, password: GOOD_PASSWORD }),
    );
    expect(result.status).toBe(400);
    assertMatchesContract('registrationFlow', result.body);
    expect(uiMessageIds(result.body as RegistrationFlow)).toEqual([4010003]);
  });

  it('answers 4000033 for a password longer than the hasher accepts', async () => {
    const result = await submitRaw(
      'registration',
      JSON.stringify({ method: 'password', traits: { email: uniqueEmail('long') }, password: BIG }),
    );
    expect(result.status).toBe(400);
    expect(nodeMessages(result.body as RegistrationFlow, 'password')).toEqual([
      expect.objectContaining({ id: 4000033, context: { max_length: 4096, actual_length: BIG.length } }),
    ]);
    expect(JSON.stringify(result.body)).not.toContain(BIG);
  });
});
