import type { LoginFlow, RegistrationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  expectError,
  fetchFlow,
  GOOD_PASSWORD,
  initBrowserFlow,
  LOGIN_UI,
  postForm,
  postJson,
  registerWithApi,
  REGISTRATION_UI,
  sleep,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

// Flows live two seconds here. An expired flow is replaced, never silently accepted.

const RETURN_TO = 'https://app.example/ok/after-expiry';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: FlowServer;
let user: Registered;
const expired = {} as {
  apiLogin: LoginFlow;
  apiForm: LoginFlow;
  apiRegistration: RegistrationFlow;
  spa: { jar: CookieJar; flow: LoginFlow };
  form: { jar: CookieJar; flow: LoginFlow };
  formRegistration: { jar: CookieJar; flow: RegistrationFlow };
};

beforeAll(async () => {
  server = await startFlowServer({
    SELFSERVICE_FLOWS_LOGIN_LIFESPAN: '2s',
    SELFSERVICE_FLOWS_REGISTRATION_LIFESPAN: '2s',
  });
  user = await registerWithApi(server.frontend, uniqueEmail('expiry-user'));
  expired.apiLogin = (await server.frontend.createNativeLoginFlow({ returnTo: RETURN_TO })).data;
  expired.apiForm = (await server.frontend.createNativeLoginFlow()).data;
  expired.apiRegistration = (await server.frontend.createNativeRegistrationFlow()).data;
  const spaJar = new CookieJar();
  const spa = await spaJar.fetch(`${server.publicUrl}/self-service/login/browser`, {
    headers: { Accept: 'application/json' },
  });
  expired.spa = { jar: spaJar, flow: (await spa.json()) as LoginFlow };
  for (const kind of ['login', 'registration'] as const) {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, kind, { return_to: RETURN_TO });
    const { body } = await fetchFlow(jar, server.publicUrl, kind, flowId);
    if (kind === 'login') expired.form = { jar, flow: body as unknown as LoginFlow };
    else expired.formRegistration = { jar, flow: body as unknown as RegistrationFlow };
  }
  const latest = Math.max(
    ...[expired.apiLogin, expired.form.flow, expired.formRegistration.flow].map((f) =>
      Date.parse(f.expires_at),
    ),
  );
  await sleep(latest - Date.now() + 150);
});

afterAll(async () => {
  await server?.stop();
});

interface Expired410 {
  error: { id: string; code: number };
  use_flow_id: string;
  expired_at: string;
  since: number;
}

function expect410(response: { status: number; data: unknown }, old: { id: string; expires_at: string }) {
  const body = expectError(response, 410, 'self_service_flow_expired') as unknown as Expired410;
  expect(body.use_flow_id).toMatch(UUID);
  expect(body.use_flow_id).not.toBe(old.id);
  expect(body.expired_at).toBe(old.expires_at);
  expect(body.since).toBeGreaterThan(0);
  return body.use_flow_id;
}

describe('submitting an expired login flow', () => {
  it('answers an app 410 with use_flow_id of a fresh flow that keeps return_to and says why', async () => {
    const response = await server.frontend.updateLoginFlow({
      flow: expired.apiLogin.id,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
    });
    expect(response.data).not.toHaveProperty('session_token');
    const id = expect410(response, expired.apiLogin);

    const fresh = await server.frontend.getLoginFlow({ id });
    expect(fresh.status).toBe(200);
    assertMatchesContract('loginFlow', fresh.data);
    expect(fresh.data).toMatchObject({ type: 'api', return_to: RETURN_TO });
    expect(Date.parse(fresh.data.expires_at)).toBeGreaterThan(Date.now());
    expect(uiMessageIds(fresh.data)).toEqual([4010001]);
    expect(fresh.data.ui.messages![0]!.context).toEqual({
      expired_at: expired.apiLogin.expires_at,
      expired_at_unix: Math.floor(Date.parse(expired.apiLogin.expires_at) / 1000),
    });

    const login = await server.frontend.updateLoginFlow({
      flow: id,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
    });
    expect(login.status).toBe(200);
  });

  it('answers an app 410 as JSON even when it posts a form and accepts anything', async () => {
    // An API flow's errors are JSON whatever the request looks like: there is no browser to redirect.
    const response = await fetch(expired.apiForm.ui.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: '*/*' },
      body: new URLSearchParams({ method: 'password', identifier: user.email, password: user.password }),
      redirect: 'manual',
    });
    expect(response.headers.get('location')).toBeNull();
    const text = await response.text();
    expect410({ status: response.status, data: text ? JSON.parse(text) : text }, expired.apiForm);
  });

  it('answers a SPA 410 with use_flow_id', async () => {
    const { jar, flow } = expired.spa;
    const response = await postJson(jar, flow.ui.action, {
      method: 'password',
      csrf_token: csrfTokenOf(flow),
      identifier: user.email,
      password: user.password,
    });
    const id = expect410({ status: response.status, data: await response.json() }, flow);
    const { response: fresh } = await fetchFlow(jar, server.publicUrl, 'login', id);
    expect(fresh.status).toBe(200);
    expect(jar.get('ory_kratos_session')).toBeUndefined();
  });

  it('sends a browser back to the UI with the new flow, which then signs it in', async () => {
    const { jar, flow } = expired.form;
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      identifier: user.email,
      password: user.password,
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(LOGIN_UI);
    const id = location.searchParams.get('flow')!;
    expect(id).toMatch(UUID);
    expect(id).not.toBe(flow.id);
    expect(jar.get('ory_kratos_session')).toBeUndefined();

    const { response: got, body } = await fetchFlow(jar, server.publicUrl, 'login', id);
    expect(got.status).toBe(200);
    const fresh = body as unknown as LoginFlow;
    expect(fresh.return_to).toBe(RETURN_TO);
    expect(uiMessageIds(fresh)).toEqual([4010001]);
    const login = await postForm(jar, fresh.ui.action, {
      csrf_token: csrfTokenOf(fresh),
      method: 'password',
      identifier: user.email,
      password: user.password,
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe(RETURN_TO);
  });
});

describe('submitting an expired registration flow', () => {
  it('answers an app 410 with a fresh flow carrying 4040001, and creates nobody', async () => {
    const email = uniqueEmail('late-signup');
    const response = await server.frontend.updateRegistrationFlow({
      flow: expired.apiRegistration.id,
      updateRegistrationFlowBody: { method: 'password', traits: { email }, password: GOOD_PASSWORD },
    });
    const id = expect410(response, expired.apiRegistration);
    const fresh = await server.frontend.getRegistrationFlow({ id });
    expect(fresh.status).toBe(200);
    assertMatchesContract('registrationFlow', fresh.data);
    expect(uiMessageIds(fresh.data)).toEqual([4040001]);
    const { data } = await server.identities.listIdentities({ credentialsIdentifier: email });
    expect(data).toEqual([]);
  });

  it('sends a browser back to the registration UI with a new flow', async () => {
    const { jar, flow } = expired.formRegistration;
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      'traits.email': uniqueEmail('late-form'),
      password: GOOD_PASSWORD,
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REGISTRATION_UI);
    expect(location.searchParams.get('flow')).not.toBe(flow.id);
    const { response: got, body } = await fetchFlow(
      jar,
      server.publicUrl,
      'registration',
      location.searchParams.get('flow')!,
    );
    expect(got.status).toBe(200);
    expect(body['return_to']).toBe(RETURN_TO);
  });
});

describe('fetching an expired flow', () => {
  it('answers 410 without a new flow, telling an app where to restart', async () => {
    const response = await server.frontend.getLoginFlow({ id: expired.apiLogin.id });
    const envelope = expectError(response, 410, 'self_service_flow_expired');
    expect(envelope).not.toHaveProperty('use_flow_id');
    expect(envelope.error.details).toEqual({ api: `${server.publicUrl}/self-service/login/api` });
    const registration = await server.frontend.getRegistrationFlow({ id: expired.apiRegistration.id });
    expect(expectError(registration, 410, 'self_service_flow_expired').error.details).toEqual({
      api: `${server.publicUrl}/self-service/registration/api`,
    });
  });

  it('tells a browser to restart at the init endpoint, keeping return_to', async () => {
    const { jar, flow } = expired.form;
    const { response, body } = await fetchFlow(jar, server.publicUrl, 'login', flow.id);
    const envelope = expectError(response, 410, 'self_service_flow_expired', body);
    expect(envelope.error.details).toEqual({
      redirect_to: `${server.publicUrl}/self-service/login/browser?return_to=${encodeURIComponent(RETURN_TO)}`,
      return_to: RETURN_TO,
    });
  });
});
