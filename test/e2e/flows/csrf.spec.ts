import type { FlowError, LoginFlow, RegistrationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  ERROR_UI,
  expectError,
  fetchFlow,
  GOOD_PASSWORD,
  initBrowserFlow,
  postForm,
  postJson,
  registerWithApi,
  startFlowServer,
  uniqueEmail,
  type ErrorEnvelope,
  type FlowKind,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

// Double-submit CSRF on browser flows: a cookie per browser, a token per form, both required.

let server: FlowServer;
let user: Registered;

beforeAll(async () => {
  server = await startFlowServer();
  user = await registerWithApi(server.frontend, uniqueEmail('csrf-user'));
});

afterAll(async () => {
  await server?.stop();
});

/** A browser that opened a flow and read it, as the UI does. */
async function browserAt<T extends LoginFlow | RegistrationFlow>(
  kind: FlowKind,
): Promise<{ jar: CookieJar; flow: T }> {
  const jar = new CookieJar();
  const { flowId } = await initBrowserFlow(jar, server.publicUrl, kind);
  const { response, body } = await fetchFlow(jar, server.publicUrl, kind, flowId);
  expect(response.status).toBe(200);
  return { jar, flow: body as unknown as T };
}

const credentials = () => ({ method: 'password', identifier: user.email, password: user.password });

async function expectCsrfViolation(response: Response): Promise<ErrorEnvelope> {
  const envelope = expectError(response, 403, 'security_csrf_violation', await response.json());
  const details = envelope.error.details as Record<string, unknown>;
  expect(details).toMatchObject({ docs: expect.any(String), reject_reason: expect.any(String) });
  expect(response.headers.get('set-cookie') ?? '').not.toContain('ory_kratos_session=');
  return envelope;
}

describe('a submission without the CSRF token', () => {
  it('is refused with 403 security_csrf_violation (SPA)', async () => {
    const { jar, flow } = await browserAt<LoginFlow>('login');
    await expectCsrfViolation(await postJson(jar, flow.ui.action, credentials()));
  });

  it('sends an HTML form to the error UI, where the stored 403 can be read', async () => {
    const { jar, flow } = await browserAt<LoginFlow>('login');
    const response = await postForm(jar, flow.ui.action, credentials());
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(ERROR_UI);
    const id = location.searchParams.get('id')!;
    const stored = await server.frontend.getFlowError({ id });
    expect(stored.status).toBe(200);
    assertMatchesContract('flowError', stored.data);
    const { error } = stored.data as FlowError & { error: { id: string; code: number } };
    expect(stored.data.id).toBe(id);
    expect(error).toMatchObject({ id: 'security_csrf_violation', code: 403 });
    expect(jar.get('ory_kratos_session')).toBeUndefined();
  });

  it('is refused on registration too, and no identity is created', async () => {
    const { jar, flow } = await browserAt<RegistrationFlow>('registration');
    const email = uniqueEmail('csrf-signup');
    await expectCsrfViolation(
      await postJson(jar, flow.ui.action, { method: 'password', traits: { email }, password: GOOD_PASSWORD }),
    );
    const { data } = await server.identities.listIdentities({ credentialsIdentifier: email });
    expect(data).toEqual([]);
  });

  it('is accepted when the token travels in the X-CSRF-Token header instead', async () => {
    const { jar, flow } = await browserAt<LoginFlow>('login');
    const response = await jar.fetch(flow.ui.action, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRF-Token': csrfTokenOf(flow),
      },
      body: JSON.stringify(credentials()),
    });
    expect(response.status).toBe(200);
  });
});

describe('a token or a flow used by another browser', () => {
  it("refuses browser A's form token sent with browser B's cookies, then still lets A sign in", async () => {
    const a = await browserAt<LoginFlow>('login');
    const b = await browserAt<LoginFlow>('login');
    // The attacker page makes the victim's browser (B) post a form it got from its own session (A).
    await expectCsrfViolation(
      await postJson(b.jar, a.flow.ui.action, { ...credentials(), csrf_token: csrfTokenOf(a.flow) }),
    );
    // B's own token does not unlock A's flow either: the flow is bound to A's cookie.
    await expectCsrfViolation(
      await postJson(b.jar, a.flow.ui.action, { ...credentials(), csrf_token: csrfTokenOf(b.flow) }),
    );
    const legit = await postJson(a.jar, a.flow.ui.action, {
      ...credentials(),
      csrf_token: csrfTokenOf(a.flow),
    });
    expect(legit.status).toBe(200);
  });

  it('refuses the right token without any cookie, and a forged token with the right cookie', async () => {
    const { jar, flow } = await browserAt<LoginFlow>('login');
    const noCookies = new CookieJar();
    const withoutCookie = await postJson(noCookies, flow.ui.action, {
      ...credentials(),
      csrf_token: csrfTokenOf(flow),
    });
    await expectCsrfViolation(withoutCookie);
    for (const forged of ['forged', Buffer.alloc(64, 7).toString('base64'), csrfTokenOf(flow).slice(0, -4)]) {
      await expectCsrfViolation(
        await postJson(jar, flow.ui.action, { ...credentials(), csrf_token: forged }),
      );
    }
  });

  it('refuses a tampered CSRF cookie', async () => {
    const { jar, flow } = await browserAt<LoginFlow>('login');
    const name = jar.names().find((n) => n.startsWith('csrf_token_'))!;
    const tampered = `${name}=${encodeURIComponent(`${Buffer.alloc(32, 1).toString('base64')}.forged`)}`;
    const response = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: tampered },
      body: JSON.stringify({ ...credentials(), csrf_token: csrfTokenOf(flow) }),
    });
    await expectCsrfViolation(response);
  });

  it("refuses to show a flow to another browser's cookies, or to none", async () => {
    const a = await browserAt<RegistrationFlow>('registration');
    const b = await browserAt<RegistrationFlow>('registration');
    const stolen = await fetchFlow(b.jar, server.publicUrl, 'registration', a.flow.id);
    expectError(stolen.response, 403, 'security_csrf_violation', stolen.body);
    const anonymous = await fetchFlow(new CookieJar(), server.publicUrl, 'registration', a.flow.id);
    expectError(anonymous.response, 403, 'security_csrf_violation', anonymous.body);
    const own = await fetchFlow(a.jar, server.publicUrl, 'registration', a.flow.id);
    expect(own.response.status).toBe(200);
  });

  it('keeps API flows free of CSRF: no cookie, empty token, still accepted', async () => {
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const response = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
    });
    expect(response.status).toBe(200);
  });
});
