import type { LoginFlow, UiNodeInputAttributes } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  DEFAULT_RETURN_URL,
  fetchFlow,
  initBrowserFlow,
  LOGIN_UI,
  nodeMessages,
  postForm,
  postJson,
  registerWithApi,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';
import { aal2Flow, enrolTotp, nodeNames, passwordSession, startMfaServer } from '../mfa/mfa-support.js';

// selfservice.flows.login.style: identifier_first, account enumeration not mitigated (Kratos'
// default): step one asks for the identifier only, step two shows what that identity can use.

let server: FlowServer;
let user: Registered;

beforeAll(async () => {
  server = await startMfaServer({ SELFSERVICE_FLOWS_LOGIN_STYLE: 'identifier_first' });
  user = await registerWithApi(server.frontend, uniqueEmail('idfirst'));
});

afterAll(async () => {
  await server?.stop();
});

/**
 * Kratos sets `active: "identifier_first"` on step two (Ory Elements reads it), a value its own
 * OpenAPI enum for `loginFlow.active` leaves out: the rest of the flow is held to the contract.
 */
function assertLoginFlow(flow: LoginFlow): void {
  const { active, ...rest } = flow;
  assertMatchesContract('loginFlow', (active as string) === 'identifier_first' ? rest : flow);
}

const input = (flow: LoginFlow, name: string) => {
  const node = flow.ui.nodes.find((n) => (n.attributes as UiNodeInputAttributes).name === name);
  return node && { group: node.group, ...(node.attributes as UiNodeInputAttributes) };
};

const submits = (flow: LoginFlow) =>
  flow.ui.nodes
    .map((n) => n.attributes as UiNodeInputAttributes)
    .filter((a) => a.type === 'submit')
    .map((a) => `${a.name}=${String(a.value)}`);

function expectIdentifierStep(flow: LoginFlow): void {
  assertMatchesContract('loginFlow', flow);
  expect(input(flow, 'identifier')).toMatchObject({
    group: 'identifier_first',
    type: 'text',
    required: true,
    autocomplete: 'username webauthn',
  });
  expect(submits(flow)).toEqual(['method=identifier_first']);
  const submit = flow.ui.nodes.find(
    (n) => (n.attributes as UiNodeInputAttributes).value === 'identifier_first',
  );
  expect(submit?.meta.label?.id).toBe(1070009);
  expect(input(flow, 'password')).toBeUndefined();
}

function expectPasswordStep(flow: LoginFlow, identifier: string): void {
  assertLoginFlow(flow);
  expect(flow.active as string).toBe('identifier_first');
  expect(flow.state).toBe('choose_method');
  expect(input(flow, 'identifier')).toMatchObject({
    group: 'identifier_first',
    type: 'hidden',
    value: identifier,
  });
  expect(submits(flow)).toEqual(['method=password']);
  expect(input(flow, 'password')).toMatchObject({ group: 'password', autocomplete: 'current-password' });
  expect(flow.ui.messages ?? []).toEqual([]);
}

describe('identifier_first login through an API flow', () => {
  it('asks for the identifier, then the password, then signs in', async () => {
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    expectIdentifierStep(flow);

    const step = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'identifier_first', identifier: user.email } as never,
    });
    expect(step.status).toBe(400);
    expectPasswordStep(step.data as unknown as LoginFlow, user.email);

    const signedIn = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
    });
    expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
    expect(signedIn.data.session.identity?.id).toBe(user.identity.id);
  });

  it('finds the identifier typed in another case', async () => {
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const step = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'identifier_first', identifier: user.email.toUpperCase() } as never,
    });
    expect(step.status).toBe(400);
    expectPasswordStep(step.data as unknown as LoginFlow, user.email.toUpperCase());
  });

  it('says 4000037 on the identifier of an unknown account and stays on step one', async () => {
    const ghost = uniqueEmail('ghost');
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const step = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'identifier_first', identifier: ghost } as never,
    });
    expect(step.status).toBe(400);
    const answered = step.data as unknown as LoginFlow;
    assertLoginFlow(answered);
    expect(answered.active as string).toBe('identifier_first');
    expect(nodeMessages(answered, 'identifier').map((m) => m.id)).toEqual([4000037]);
    expect(input(answered, 'identifier')).toMatchObject({ type: 'text', value: ghost });
    expect(submits(answered)).toEqual(['method=identifier_first']);
  });

  it('says 4000003 on an empty identifier', async () => {
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const step = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'identifier_first', identifier: '' } as never,
    });
    expect(step.status).toBe(400);
    expect(nodeMessages(step.data as unknown as LoginFlow, 'identifier').map((m) => m.id)).toEqual([4000003]);
  });

  it('skips the identifier step when refreshing: the session names the identity', async () => {
    const token = await passwordSession(server.frontend, user.email, user.password);
    const { data: flow } = await server.frontend.createNativeLoginFlow({
      refresh: true,
      xSessionToken: token,
    });
    assertMatchesContract('loginFlow', flow);
    expect(flow.ui.nodes.some((n) => n.group === 'identifier_first')).toBe(false);
    expect(input(flow, 'identifier')).toMatchObject({ type: 'hidden', value: user.email });
    expect(flow.ui.messages?.map((m) => m.id)).toEqual([1010003]);
    const again = await server.frontend.updateLoginFlow({
      flow: flow.id,
      xSessionToken: token,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
    });
    expect(again.status, JSON.stringify(again.data)).toBe(200);
  });

  it('skips the identifier step for a second factor (aal2)', async () => {
    const person = await registerWithApi(server.frontend, uniqueEmail('idfirst-totp'));
    await enrolTotp(server.frontend, person.token);
    const token = await passwordSession(server.frontend, person.email, person.password);
    const flow = await aal2Flow(server.frontend, token);
    expect(flow.ui.nodes.some((n) => n.group === 'identifier_first')).toBe(false);
    expect(nodeNames(flow, 'totp')).toEqual(['totp_code', 'method']);
    // identifier_first does not take second-factor submissions (Kratos: 4010002).
    const step = await server.frontend.updateLoginFlow({
      flow: flow.id,
      xSessionToken: token,
      updateLoginFlowBody: { method: 'identifier_first', identifier: person.email } as never,
    });
    expect(step.status).toBe(400);
    expect((step.data as unknown as LoginFlow).ui.messages?.map((m) => m.id)).toEqual([4010002]);
  });
});

describe('identifier_first login in a browser', () => {
  it('posts the identifier form, is sent back to the UI with step two, then signs in', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
    const { body } = await fetchFlow(jar, server.publicUrl, 'login', flowId);
    const flow = body as unknown as LoginFlow;
    expectIdentifierStep(flow);

    const step = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'identifier_first',
      identifier: user.email,
    });
    expect(step.status).toBe(303);
    expect(step.headers.get('location')).toBe(`${LOGIN_UI}?flow=${flowId}`);
    const second = (await fetchFlow(jar, server.publicUrl, 'login', flowId)).body as unknown as LoginFlow;
    expectPasswordStep(second, user.email);

    const signedIn = await postForm(jar, second.ui.action, {
      csrf_token: csrfTokenOf(second),
      method: 'password',
      identifier: String(input(second, 'identifier')?.value),
      password: user.password,
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    expect(jar.get('ory_kratos_session')).toBeTruthy();
  });

  it('refuses step one without the CSRF token', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
    const { body } = await fetchFlow(jar, server.publicUrl, 'login', flowId);
    const step = await postJson(jar, (body as unknown as LoginFlow).ui.action, {
      method: 'identifier_first',
      identifier: user.email,
    });
    expect(step.status).toBe(403);
    expect(((await step.json()) as { error: { id: string } }).error.id).toBe('security_csrf_violation');
  });
});

describe('identifier_first login from a single-page app', () => {
  it('gets step two as a 400 with the flow, then signs in with a cookie', async () => {
    const jar = new CookieJar();
    const created = await jar.fetch(`${server.publicUrl}/self-service/login/browser`, {
      headers: { Accept: 'application/json' },
    });
    expect(created.status).toBe(200);
    const flow = (await created.json()) as LoginFlow;
    expectIdentifierStep(flow);

    const step = await postJson(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'identifier_first',
      identifier: user.email,
    });
    expect(step.status).toBe(400);
    const second = (await step.json()) as LoginFlow;
    expectPasswordStep(second, user.email);

    const signedIn = await postJson(jar, second.ui.action, {
      csrf_token: csrfTokenOf(second),
      method: 'password',
      identifier: user.email,
      password: user.password,
    });
    expect(signedIn.status).toBe(200);
    const session = (await signedIn.json()) as { session: { identity: { id: string } } };
    expect(session.session.identity.id).toBe(user.identity.id);
    expect(jar.get('ory_kratos_session')).toBeTruthy();
  });
});
