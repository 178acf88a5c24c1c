import type { RegistrationFlow, UpdateRegistrationFlowBody } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { sha1Hex } from '../../support/pwned-range-server.js';
import {
  BREACH_COUNT,
  BREACHED_PASSWORD,
  bodyOf,
  GOOD_PASSWORD,
  nodeMessages,
  nodeValue,
  registerWithApi,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';

// What someone signing up sees when something is wrong, and that nothing half-made stays behind.

let server: FlowServer;

beforeAll(async () => {
  // These tests are about the one-step form; profile_first has its own spec (registration-profile-first).
  server = await startFlowServer({ SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified' });
});

afterAll(async () => {
  await server?.stop();
});

async function submit(body: Partial<UpdateRegistrationFlowBody> & Record<string, unknown>) {
  const { data: flow } = await server.frontend.createNativeRegistrationFlow();
  const response = await server.frontend.updateRegistrationFlow({
    flow: flow.id,
    updateRegistrationFlowBody: { method: 'password', ...body } as UpdateRegistrationFlowBody,
  });
  return { response, flow };
}

/** A refused sign-up: 400 with the same flow, valid against the contract. */
function refused(response: { status: number; data: unknown }, flowId: string): RegistrationFlow {
  expect(response.status, JSON.stringify(response.data)).toBe(400);
  assertMatchesContract('registrationFlow', response.data);
  const flow = bodyOf<RegistrationFlow>(response as never);
  expect(flow.id).toBe(flowId);
  expect(flow.state).toBe('choose_method');
  expect(response.data).not.toHaveProperty('session_token');
  return flow;
}

async function identitiesWith(email: string) {
  const response = await server.identities.listIdentities({ credentialsIdentifier: email });
  expect(response.status).toBe(200);
  return response.data;
}

describe('a duplicate e-mail address', () => {
  it('is refused with 4000007, whatever its case, and there is still exactly one identity', async () => {
    const email = uniqueEmail('twice');
    const first = await registerWithApi(server.frontend, email);
    const { response, flow } = await submit({
      traits: { email: email.toUpperCase() },
      password: 'Another-Strong-Pass-91',
    });
    const answer = refused(response, flow.id);
    expect(uiMessageIds(answer)).toEqual([4000007]);
    expect(nodeValue(answer, 'traits.email')).toBe(email.toUpperCase());
    const found = await identitiesWith(email);
    expect(found.map((i) => i.id)).toEqual([first.identity.id]);
  });

  it('is refused for all but one of five simultaneous sign-ups', async () => {
    const email = uniqueEmail('race');
    const flows = await Promise.all(
      Array.from({ length: 5 }, () => server.frontend.createNativeRegistrationFlow()),
    );
    const responses = await Promise.all(
      flows.map(({ data }, i) =>
        server.frontend.updateRegistrationFlow({
          flow: data.id,
          updateRegistrationFlowBody: {
            method: 'password',
            traits: { email: i % 2 ? email.toUpperCase() : email },
            password: `${GOOD_PASSWORD}-${i}`,
          },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400]);
    for (const response of responses.filter((r) => r.status === 400)) {
      expect(uiMessageIds(bodyOf<RegistrationFlow>(response))).toEqual([4000007]);
    }
    expect(await identitiesWith(email)).toHaveLength(1);
  });
});

describe('the password policy', () => {
  it('refuses a short password with 4000032 and its lengths as context', async () => {
    const email = uniqueEmail('short');
    const { response, flow } = await submit({ traits: { email }, password: 'Ab3$x' });
    const answer = refused(response, flow.id);
    expect(nodeMessages(answer, 'password')).toEqual([
      {
        id: 4000032,
        type: 'error',
        text: expect.any(String),
        context: { min_length: 8, actual_length: 5 },
      },
    ]);
    expect(answer.ui.messages ?? []).toEqual([]);
    expect(await identitiesWith(email)).toEqual([]);
  });

  it('refuses a password too similar to the e-mail address with 4000031', async () => {
    const email = uniqueEmail('similar');
    const { response, flow } = await submit({ traits: { email }, password: `${email}1` });
    const answer = refused(response, flow.id);
    expect(nodeMessages(answer, 'password').map((m) => m.id)).toEqual([4000031]);
    expect(await identitiesWith(email)).toEqual([]);
  });

  it('refuses a breached password with 4000034, sending only the hash prefix to the range API', async () => {
    const email = uniqueEmail('breached');
    const { response, flow } = await submit({ traits: { email }, password: BREACHED_PASSWORD });
    const answer = refused(response, flow.id);
    expect(nodeMessages(answer, 'password')).toEqual([
      expect.objectContaining({ id: 4000034, type: 'error', context: { breaches: BREACH_COUNT } }),
    ]);
    expect(await identitiesWith(email)).toEqual([]);
    const hash = sha1Hex(BREACHED_PASSWORD);
    expect(server.pwned.requests).toContain(`/range/${hash.slice(0, 5)}`);
    const leaked = server.pwned.requests.filter(
      (path) => path.includes(hash.slice(5)) || path.includes(BREACHED_PASSWORD),
    );
    expect(leaked).toEqual([]);
  });

  it('accepts a password the range API does not list', async () => {
    const registered = await registerWithApi(
      server.frontend,
      uniqueEmail('clean'),
      'Maple-Thunder-Violet-88',
    );
    expect(registered.identity.id).toBeTruthy();
    expect(server.pwned.requests).toContain(`/range/${sha1Hex('Maple-Thunder-Violet-88').slice(0, 5)}`);
  });
});

describe('traits', () => {
  it('refuses an invalid e-mail address with 4000040 on traits.email', async () => {
    const { response, flow } = await submit({ traits: { email: 'not-an-email' }, password: GOOD_PASSWORD });
    const answer = refused(response, flow.id);
    expect(nodeMessages(answer, 'traits.email')).toEqual([
      expect.objectContaining({ id: 4000040, type: 'error' }),
    ]);
    expect(nodeMessages(answer, 'password')).toEqual([]);
  });

  it('refuses a missing e-mail address with 4000002 on traits.email', async () => {
    const { response, flow } = await submit({ traits: { name: { first: 'Ada' } }, password: GOOD_PASSWORD });
    const answer = refused(response, flow.id);
    expect(nodeMessages(answer, 'traits.email')).toEqual([
      expect.objectContaining({ id: 4000002, context: { property: 'email' } }),
    ]);
    expect(nodeValue(answer, 'traits.name.first')).toBe('Ada');
  });

  it('refuses a missing password with 4000002 on password', async () => {
    const { response, flow } = await submit({ traits: { email: uniqueEmail('nopass') } });
    const answer = refused(response, flow.id);
    expect(nodeMessages(answer, 'password')).toEqual([
      expect.objectContaining({ id: 4000002, context: { property: 'password' } }),
    ]);
  });

  it('echoes the typed traits in the node values but never the password', async () => {
    const secret = 'Tiny1!';
    const traits = { email: 'echo@', name: { first: 'Émile', last: "O'Brien <b>" } };
    const { response, flow } = await submit({ traits, password: secret });
    const answer = refused(response, flow.id);
    expect(nodeValue(answer, 'traits.email')).toBe('echo@');
    expect(nodeValue(answer, 'traits.name.first')).toBe('Émile');
    expect(nodeValue(answer, 'traits.name.last')).toBe("O'Brien <b>");
    expect(nodeValue(answer, 'password')).toBeUndefined();
    expect(JSON.stringify(response.data)).not.toContain(secret);
  });

  it('stores the traits the user typed and lower-cases the login identifier', async () => {
    const email = uniqueEmail('Mixed.Case');
    const { response } = await submit({
      traits: { email, name: { first: 'Ada', last: 'Lovelace' } },
      password: GOOD_PASSWORD,
    });
    expect(response.status).toBe(200);
    assertMatchesContract('successfulNativeRegistration', response.data);
    const identity = bodyOf<{ identity: { id: string } }>(response).identity;
    const admin = await server.identities.getIdentity({ id: identity.id });
    expect(admin.data.credentials?.password?.identifiers).toEqual([email.toLowerCase()]);
    expect(admin.data.traits).toMatchObject({ name: { first: 'Ada', last: 'Lovelace' } });
  });
});
