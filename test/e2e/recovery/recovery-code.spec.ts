import type { RecoveryFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import {
  ALLOWED_RETURN_URL,
  bodyOf,
  browserWithSession,
  csrfTokenOf,
  DEFAULT_RETURN_URL,
  expectError,
  postForm,
  postJson,
  sleep,
  uiMessageIds,
  uniqueEmail,
  type ErrorEnvelope,
} from '../../support/self-service.js';
import {
  codeIn,
  CookieJar,
  mailsTo,
  mailTo,
  RECOVERY_UI,
  registeredUser,
  SETTINGS_UI,
  startMailServer,
  withoutIds,
  type MailServer,
} from './mail-flows.js';

let server: MailServer;

beforeAll(async () => {
  server = await startMailServer({ SELFSERVICE_METHODS_LINK_ENABLED: 'true' });
});

afterAll(async () => {
  await server?.stop();
});

async function nativeFlow(): Promise<RecoveryFlow> {
  const { data, status } = await server.frontend.createNativeRecoveryFlow();
  expect(status).toBe(200);
  return data;
}

async function sendCode(flowId: string, email: string) {
  return server.frontend.updateRecoveryFlow({
    flow: flowId,
    updateRecoveryFlowBody: { method: 'code', email },
  });
}

async function submitCode(flowId: string, code: string) {
  return server.frontend.updateRecoveryFlow({
    flow: flowId,
    updateRecoveryFlowBody: { method: 'code', code },
  });
}

describe('recovery by code in a native app', () => {
  it('sends a code, and the code signs the user in and hands over a settings flow', async () => {
    const email = uniqueEmail('recover-api');
    await registeredUser(server, email);
    const flow = await nativeFlow();
    assertMatchesContract('recoveryFlow', flow);
    expect(flow.state).toBe('choose_method');
    // `active` names the method from the start, as Kratos sets it (Ory Elements depends on it).
    expect(flow.active).toBe('code');
    expect(flow.ui.nodes.map((n) => (n.attributes as { name: string }).name)).toEqual([
      'csrf_token',
      'email',
      'method',
    ]);

    const before = server.sink.messages.length;
    const sent = await sendCode(flow.id, email);
    expect(sent.status, JSON.stringify(sent.data)).toBe(200);
    assertMatchesContract('recoveryFlow', sent.data);
    expect(sent.data.state).toBe('sent_email');
    expect(sent.data.active).toBe('code');
    expect(uiMessageIds(sent.data)).toEqual([1060003]);
    const codeNode = sent.data.ui.nodes.find((n) => (n.attributes as { name: string }).name === 'code');
    expect(codeNode?.attributes).toMatchObject({
      type: 'text',
      required: true,
      autocomplete: 'one-time-code',
    });
    expect(codeNode?.meta.label?.id).toBe(1070010);

    const mail = await mailTo(server.sink, email, before, /recover|access/i);
    const code = codeIn(mail);
    const done = await submitCode(flow.id, code);
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    assertMatchesContract('recoveryFlow', done.data);
    expect(done.data.state).toBe('passed_challenge');
    const [setToken, showSettings] = done.data.continue_with as unknown as Record<string, unknown>[];
    expect(setToken).toMatchObject({ action: 'set_ory_session_token' });
    expect(showSettings).toMatchObject({ action: 'show_settings_ui' });
    const settingsFlow = showSettings!['flow'] as { id: string; url: string };
    expect(settingsFlow.url).toBe(`${SETTINGS_UI}?flow=${settingsFlow.id}`);

    const whoami = await server.frontend.toSession({ xSessionToken: String(setToken!['ory_session_token']) });
    expect(whoami.status).toBe(200);
    expect(whoami.data.identity?.traits).toMatchObject({ email });
    expect(whoami.data.authentication_methods).toEqual([
      expect.objectContaining({ method: 'code_recovery', aal: 'aal1' }),
    ]);
    // Receiving the code proved the address.
    expect(whoami.data.identity?.verifiable_addresses?.[0]).toMatchObject({
      verified: true,
      status: 'completed',
    });

    // The code is spent, and so is the flow.
    const again = await submitCode(flow.id, code);
    expect(again.status).toBe(410);
    expectError(again, 410, 'self_service_flow_replaced');
  });

  it('answers an unknown address exactly like a known one, and sends nothing to it', async () => {
    const known = uniqueEmail('known');
    await registeredUser(server, known);
    const unknown = uniqueEmail('nobody');
    const before = server.sink.messages.length;
    const a = await sendCode((await nativeFlow()).id, known);
    const b = await sendCode((await nativeFlow()).id, unknown);
    expect(b.status).toBe(a.status);
    const strip = (data: unknown, email: string) =>
      withoutIds(JSON.parse(JSON.stringify(data).replaceAll(email, '<email>')));
    expect(strip(b.data, unknown)).toEqual(strip(a.data, known));
    await mailTo(server.sink, known, before, /recover|access/i);
    await sleep(500);
    expect(mailsTo(server.sink, unknown)).toHaveLength(0);
  });

  it('rejects a wrong code, a code of another flow, and after five wrong codes even the right one', async () => {
    const email = uniqueEmail('wrong-codes');
    await registeredUser(server, email);
    const other = await nativeFlow();
    let before = server.sink.messages.length;
    await sendCode(other.id, email);
    const otherCode = codeIn(await mailTo(server.sink, email, before, /recover|access/i));

    const flow = await nativeFlow();
    before = server.sink.messages.length;
    await sendCode(flow.id, email);
    const code = codeIn(await mailTo(server.sink, email, before, /recover|access/i));

    const foreign = await submitCode(flow.id, otherCode === code ? '000000' : otherCode);
    expect(foreign.status).toBe(200);
    expect(foreign.data.state).toBe('sent_email');
    expect(uiMessageIds(foreign.data)).toEqual([4060006]);

    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 4; i += 1) {
      const response = await submitCode(flow.id, wrong);
      expect(response.status).toBe(200);
      expect(uiMessageIds(response.data)).toEqual([4060006]);
    }
    const right = await submitCode(flow.id, code);
    expect(right.status).toBe(200);
    expect(right.data.state).toBe('sent_email');
    expect(uiMessageIds(right.data)).toEqual([4060006]);
  });

  it('sends at most five messages per address within the window, answering the same', async () => {
    const email = uniqueEmail('flood');
    await registeredUser(server, email);
    const flow = await nativeFlow();
    const bodies: unknown[] = [];
    for (let i = 0; i < 7; i += 1) {
      const response = await sendCode(flow.id, email);
      expect(response.status).toBe(200);
      bodies.push(withoutIds(response.data));
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    await sleep(1500);
    // Recovery messages: the registration's verification message is not this client's request.
    const mails = mailsTo(server.sink, email).filter((mail) => /recover/i.test(mail.subject));
    expect(mails).toHaveLength(5);
    // The refused resends issued nothing: the code last sent still works.
    const recovered = await submitCode(flow.id, codeIn(mails.at(-1)!));
    expect(recovered.data.state, JSON.stringify(recovered.data)).toBe('passed_challenge');
  });

  it('refuses to start while signed in and when the body names another method', async () => {
    const user = await registeredUser(server, uniqueEmail('signed-in'));
    const response = await server.frontend.createNativeRecoveryFlow({
      headers: { 'X-Session-Token': user.token },
    });
    expectError(response, 400, 'session_already_available');
    const flow = await nativeFlow();
    const wrongMethod = await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'link', email: user.email },
    });
    expect(wrongMethod.status).toBe(400);
    expect(uiMessageIds(wrongMethod.data)).toEqual([4010005]);
  });

  it('sends a signed-in browser to the return URL with a 302, and tells a SPA 400, as Kratos', async () => {
    const { jar } = await browserWithSession(server.publicUrl, uniqueEmail('signed-in-browser'));
    const html = await jar.fetch(`${server.publicUrl}/self-service/recovery/browser`, {
      headers: { Accept: 'text/html' },
    });
    expect(html.status).toBe(302);
    expect(html.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    const spa = await jar.fetch(`${server.publicUrl}/self-service/recovery/browser`, {
      headers: { Accept: 'application/json' },
    });
    expectError(spa, 400, 'session_already_available', await spa.json());
  });
});

describe('recovery by code in a browser', () => {
  it('started with skip_settings and a return_to, ends signed in at return_to, not at settings', async () => {
    const email = uniqueEmail('recover-skip');
    await registeredUser(server, email);
    const jar = new CookieJar();
    const query = `return_to=${encodeURIComponent(ALLOWED_RETURN_URL)}&skip_settings=true`;
    const init = await jar.fetch(`${server.publicUrl}/self-service/recovery/browser?${query}`, {
      headers: { Accept: 'application/json' },
    });
    const flow = (await init.json()) as RecoveryFlow;
    expect(flow.return_to).toBe(ALLOWED_RETURN_URL);
    expect(Object.keys(flow)).not.toContain('internal_context');
    const before = server.sink.messages.length;
    await postForm(jar, flow.ui.action, { csrf_token: csrfTokenOf(flow), method: 'code', email });
    const code = codeIn(await mailTo(server.sink, email, before, /recover|access/i));
    const done = await postForm(jar, flow.ui.action, { csrf_token: csrfTokenOf(flow), method: 'code', code });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(ALLOWED_RETURN_URL);
    expect(jar.get('ory_kratos_session')).toBeTruthy();

    // Without a return_to there is nowhere else to go: the settings hand-off happens as usual.
    const plain = new CookieJar();
    const bare = await plain.fetch(`${server.publicUrl}/self-service/recovery/browser?skip_settings=true`, {
      headers: { Accept: 'application/json' },
    });
    const second = (await bare.json()) as RecoveryFlow;
    const mark = server.sink.messages.length;
    await postJson(plain, second.ui.action, { csrf_token: csrfTokenOf(second), method: 'code', email });
    const again = codeIn(await mailTo(server.sink, email, mark, /recover|access/i));
    const spa = await postJson(plain, second.ui.action, {
      csrf_token: csrfTokenOf(second),
      method: 'code',
      code: again,
    });
    const error = expectError(spa, 422, 'browser_location_change_required', await spa.json());
    expect(String(error['redirect_browser_to'])).toContain(SETTINGS_UI);
  });

  it('form posts: code sent, code accepted, 303 to the settings UI with a session cookie', async () => {
    const email = uniqueEmail('recover-browser');
    await registeredUser(server, email);
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/recovery/browser`, {
      headers: { Accept: 'text/html' },
    });
    expect(init.status).toBe(303);
    const location = new URL(init.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(RECOVERY_UI);
    const flowId = location.searchParams.get('flow')!;
    const read = await jar.fetch(`${server.publicUrl}/self-service/recovery/flows?id=${flowId}`, {
      headers: { Accept: 'application/json' },
    });
    const flow = (await read.json()) as RecoveryFlow;
    assertMatchesContract('recoveryFlow', flow);
    const csrf = csrfTokenOf(flow);

    const before = server.sink.messages.length;
    const sent = await postForm(jar, flow.ui.action, { csrf_token: csrf, method: 'code', email });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${RECOVERY_UI}?flow=${flowId}`);
    const code = codeIn(await mailTo(server.sink, email, before, /recover|access/i));

    // Without the CSRF token the browser goes to the error UI, not to settings.
    const noCsrf = await postForm(jar, flow.ui.action, { method: 'code', code });
    expect(noCsrf.headers.get('location') ?? '').not.toContain(SETTINGS_UI);
    expect(jar.get('ory_kratos_session')).toBeUndefined();

    const done = await postForm(jar, flow.ui.action, { csrf_token: csrf, method: 'code', code });
    expect(done.status).toBe(303);
    const target = new URL(done.headers.get('location')!);
    expect(`${target.origin}${target.pathname}`).toBe(SETTINGS_UI);
    expect(target.searchParams.get('flow')).toMatch(/^[0-9a-f-]{36}$/);
    const whoami = await jar.fetch(`${server.publicUrl}/sessions/whoami`, {
      headers: { Accept: 'application/json' },
    });
    expect(whoami.status).toBe(200);
    expect(((await whoami.json()) as { identity: { traits: { email: string } } }).identity.traits.email).toBe(
      email,
    );
  });

  it('SPA: JSON answers, and 422 browser_location_change_required to the settings UI once recovered', async () => {
    const email = uniqueEmail('recover-spa');
    await registeredUser(server, email);
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/recovery/browser`, {
      headers: { Accept: 'application/json' },
    });
    expect(init.status).toBe(200);
    const flow = (await init.json()) as RecoveryFlow;
    assertMatchesContract('recoveryFlow', flow);
    const csrf = csrfTokenOf(flow);
    const before = server.sink.messages.length;
    const sent = await postJson(jar, flow.ui.action, { csrf_token: csrf, method: 'code', email });
    expect(sent.status).toBe(200);
    const sentFlow = (await sent.json()) as RecoveryFlow;
    assertMatchesContract('recoveryFlow', sentFlow);
    expect(sentFlow.state).toBe('sent_email');
    const code = codeIn(await mailTo(server.sink, email, before, /recover|access/i));
    const done = await postJson(jar, flow.ui.action, { csrf_token: csrf, method: 'code', code });
    expect(done.status).toBe(422);
    const body = (await done.json()) as ErrorEnvelope & { redirect_browser_to: string };
    // Kratos sends the envelope's `error` next to `redirect_browser_to` (reference §4.2); the
    // contract's schema nests a whole errorGeneric there, which no Kratos version sends.
    assertMatchesContract('errorGeneric', { error: body.error });
    expect(body.error.id).toBe('browser_location_change_required');
    expect(body.redirect_browser_to.startsWith(`${SETTINGS_UI}?flow=`)).toBe(true);
    const whoami = await jar.fetch(`${server.publicUrl}/sessions/whoami`, {
      headers: { Accept: 'application/json' },
    });
    expect(whoami.status).toBe(200);
  });
});

describe('admin recovery', () => {
  it('a recovery code an admin created works on the flow its recovery_link names', async () => {
    const user = await registeredUser(server, uniqueEmail('admin-code'));
    const created = await server.identities.createRecoveryCodeForIdentity({
      createRecoveryCodeForIdentityBody: {
        identity_id: user.identity.id,
        flow_type: 'api',
        expires_in: '10m',
      },
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    assertMatchesContract('recoveryCodeForIdentity', created.data);
    expect(created.data.recovery_code).toMatch(/^\d{6}$/);
    const link = new URL(created.data.recovery_link);
    expect(`${link.origin}${link.pathname}`).toBe(RECOVERY_UI);
    const flowId = link.searchParams.get('flow')!;
    const flow = await server.frontend.getRecoveryFlow({ id: flowId });
    expect(flow.status).toBe(200);
    expect(flow.data.state).toBe('sent_email');

    const done = await submitCode(flowId, created.data.recovery_code);
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect(done.data.state).toBe('passed_challenge');
    const token = (done.data.continue_with as { ory_session_token?: string }[])[0]!.ory_session_token!;
    const whoami = await server.frontend.toSession({ xSessionToken: token });
    expect(whoami.data.identity?.id).toBe(user.identity.id);
  });

  it('a browser recovery code flow is bound to the browser that opens it, and CSRF-checked', async () => {
    const user = await registeredUser(server, uniqueEmail('admin-code-browser'));
    const created = await server.identities.createRecoveryCodeForIdentity({
      createRecoveryCodeForIdentityBody: { identity_id: user.identity.id },
    });
    expect(created.status).toBe(201);
    const flowId = new URL(created.data.recovery_link).searchParams.get('flow')!;
    const action = `${server.publicUrl}/self-service/recovery?flow=${flowId}`;
    const code = created.data.recovery_code;
    // A post from a browser that never opened the flow, with or without cookies, is refused.
    const blind = await postJson(new CookieJar(), action, { csrf_token: '', method: 'code', code });
    expectError(blind, 403, 'security_csrf_violation', await blind.json());
    // The browser the link is opened in (the UI reads the flow) gets a CSRF cookie and a token.
    const jar = new CookieJar();
    const opened = await jar.fetch(`${server.publicUrl}/self-service/recovery/flows?id=${flowId}`, {
      headers: { Accept: 'application/json' },
    });
    expect(opened.status).toBe(200);
    const flow = (await opened.json()) as RecoveryFlow;
    expect(csrfTokenOf(flow)).not.toBe('');
    expect(jar.names().some((name) => name.startsWith('csrf_token_'))).toBe(true);
    // Another browser cannot take the flow over once it is bound.
    const other = new CookieJar();
    const stolen = await other.fetch(`${server.publicUrl}/self-service/recovery/flows?id=${flowId}`, {
      headers: { Accept: 'application/json' },
    });
    expect(stolen.status).toBe(403);
    const cookieless = await postJson(new CookieJar(), action, {
      csrf_token: csrfTokenOf(flow),
      method: 'code',
      code,
    });
    expectError(cookieless, 403, 'security_csrf_violation', await cookieless.json());
    const done = await postForm(jar, action, { csrf_token: csrfTokenOf(flow), method: 'code', code });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')!.startsWith(`${SETTINGS_UI}?flow=`)).toBe(true);
    expect(jar.get('ory_kratos_session')).toBeTruthy();
  });

  it('a recovery link signs the browser in and opens settings; it works once', async () => {
    const user = await registeredUser(server, uniqueEmail('admin-link'));
    const created = await server.identities.createRecoveryLinkForIdentity({
      createRecoveryLinkForIdentityBody: { identity_id: user.identity.id, expires_in: '1h' },
    });
    expect(created.status, JSON.stringify(created.data)).toBe(200);
    assertMatchesContract('recoveryLinkForIdentity', created.data);
    const link = created.data.recovery_link;
    expect(link.startsWith(`${server.publicUrl}/self-service/recovery?flow=`)).toBe(true);
    const jar = new CookieJar();
    const followed = await jar.fetch(link, { headers: { Accept: 'text/html' } });
    expect(followed.status).toBe(303);
    expect(followed.headers.get('location')!.startsWith(`${SETTINGS_UI}?flow=`)).toBe(true);
    expect(jar.get('ory_kratos_session')).toBeTruthy();
    const again = await new CookieJar().fetch(link, { headers: { Accept: 'text/html' } });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')!.startsWith(`${RECOVERY_UI}?flow=`)).toBe(true);
  });

  it('unknown identities and bad durations are refused', async () => {
    const missing = await server.identities.createRecoveryCodeForIdentity({
      createRecoveryCodeForIdentityBody: { identity_id: '00000000-0000-4000-8000-000000000000' },
    });
    expectError(missing, 404);
    const user = await registeredUser(server, uniqueEmail('admin-bad'));
    const bad = await server.identities.createRecoveryLinkForIdentity({
      createRecoveryLinkForIdentityBody: { identity_id: user.identity.id, expires_in: '-5m' },
    });
    expectError(bad, 400);
    expect(bodyOf<ErrorEnvelope>(bad).error.reason).toContain('expires_in');
  });
});
