import type { VerificationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { changeAddressInSettings, settingsFlowOf } from '../settings/settings-support.js';
import {
  browserWithSession,
  csrfTokenOf,
  expectError,
  GOOD_PASSWORD,
  postForm,
  postJson,
  sleep,
  uiMessageIds,
  uniqueEmail,
} from '../../support/self-service.js';
import {
  codeIn,
  CookieJar,
  linkIn,
  mailsTo,
  mailTo,
  startMailServer,
  VERIFICATION_UI,
  withoutIds,
  type MailServer,
} from '../recovery/mail-flows.js';

let server: MailServer;

beforeAll(async () => {
  server = await startMailServer({
    SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS:
      '[{"hook":"session"},{"hook":"show_verification_ui"}]',
    SELFSERVICE_FLOWS_SETTINGS_AFTER_PROFILE_HOOKS: '[{"hook":"show_verification_ui"}]',
  });
});

afterAll(async () => {
  await server?.stop();
});

type Continue = { action: string; flow?: { id: string; verifiable_address: string; url: string } };

async function register(email: string) {
  const { data: flow } = await server.frontend.createNativeRegistrationFlow();
  const before = server.sink.messages.length;
  const response = await server.frontend.updateRegistrationFlow({
    flow: flow.id,
    updateRegistrationFlowBody: { method: 'password', traits: { email }, password: GOOD_PASSWORD },
  });
  expect(response.status, JSON.stringify(response.data)).toBe(200);
  // Wait for the registration's own message, so that later waits cannot mistake it for theirs.
  const mail = await mailTo(server.sink, email, before, /verif/i);
  return { response, before, mail };
}

const submitCode = (flow: string, code: string) =>
  server.frontend.updateVerificationFlow({ flow, updateVerificationFlowBody: { method: 'code', code } });
const sendCode = (flow: string, email: string) =>
  server.frontend.updateVerificationFlow({ flow, updateVerificationFlowBody: { method: 'code', email } });

describe('verification after registration', () => {
  it('registration mails a code and names the verification flow in continue_with; the code verifies', async () => {
    const email = uniqueEmail('fresh');
    const { response, before, mail } = await register(email);
    assertMatchesContract('successfulNativeRegistration', response.data);
    const items = response.data.continue_with as Continue[];
    expect(items.map((c) => c.action)).toEqual(['set_ory_session_token', 'show_verification_ui']);
    const show = items[1]!.flow!;
    expect(show.verifiable_address).toBe(email);
    expect(show.url).toBe(`${VERIFICATION_UI}?flow=${show.id}`);
    expect(response.data.identity.verifiable_addresses?.[0]).toMatchObject({ verified: false });

    expect(mail).toBe(await mailTo(server.sink, email, before, /verif/i));
    const code = codeIn(mail);
    // The message also carries a link that fills the code in.
    const link = linkIn(mail, '/self-service/verification');
    expect(new URL(link).searchParams.get('code')).toBe(code);

    const flow = await server.frontend.getVerificationFlow({ id: show.id });
    expect(flow.status).toBe(200);
    assertMatchesContract('verificationFlow', flow.data);
    expect(flow.data.state).toBe('sent_email');
    expect(flow.data.active).toBe('code');

    const done = await submitCode(show.id, code);
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    assertMatchesContract('verificationFlow', done.data);
    expect(done.data.state).toBe('passed_challenge');
    expect(uiMessageIds(done.data)).toEqual([1080002]);
    expect(done.data.ui.method).toBe('GET');
    expect(done.data.ui.nodes).toEqual([
      expect.objectContaining({
        type: 'a',
        group: 'code',
        attributes: expect.objectContaining({ id: 'continue' }),
      }),
    ]);

    const identity = await server.identities.getIdentity({ id: response.data.identity.id });
    expect(identity.data.verifiable_addresses?.[0]).toMatchObject({ verified: true, status: 'completed' });
    expect(identity.data.verifiable_addresses?.[0]?.verified_at).toBeTruthy();

    const retry = await submitCode(show.id, code);
    expectError(retry, 410, 'self_service_flow_replaced');
  });

  it('a browser registration goes to the verification UI (show_verification_ui)', async () => {
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/registration/browser`, {
      headers: { Accept: 'application/json' },
    });
    const flow = (await init.json()) as VerificationFlow;
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      'traits.email': uniqueEmail('browser-reg'),
      password: GOOD_PASSWORD,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')!.startsWith(`${VERIFICATION_UI}?flow=`)).toBe(true);
  });
});

describe('verification after a profile change', () => {
  it('a browser that changed its address goes to the verification UI (show_verification_ui)', async () => {
    const { jar } = await browserWithSession(server.publicUrl, uniqueEmail('moving'));
    const moved = uniqueEmail('moved');
    const before = server.sink.messages.length;
    const { flow, response } = await changeAddressInSettings(jar, server.publicUrl, moved);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(VERIFICATION_UI);
    const verificationId = location.searchParams.get('flow')!;
    const shown = await jar.fetch(
      `${server.publicUrl}/self-service/verification/flows?id=${verificationId}`,
      {
        headers: { Accept: 'application/json' },
      },
    );
    const verification = (await shown.json()) as VerificationFlow;
    expect(verification.state).toBe('sent_email');
    const code = codeIn(await mailTo(server.sink, moved, before, /verif/i));
    expect(code).toMatch(/^\d{6}$/);

    // The settings flow itself was saved, and says where verification goes on.
    const saved = await jar.fetch(`${server.publicUrl}/self-service/settings/flows?id=${flow.id}`, {
      headers: { Accept: 'application/json' },
    });
    const settings = settingsFlowOf(await saved.json());
    expect(settings.state).toBe('success');
    expect(settings.identity.traits).toMatchObject({ email: moved });
  });
});

describe('verification flows', () => {
  it('native: code sent, wrong code refused, right code verifies; unknown addresses look the same', async () => {
    const email = uniqueEmail('native-verify');
    const { before: afterRegistration } = await register(email);
    await mailTo(server.sink, email, afterRegistration, /verif/i);
    const { data: flow, status } = await server.frontend.createNativeVerificationFlow();
    expect(status).toBe(200);
    assertMatchesContract('verificationFlow', flow);
    expect(flow.state).toBe('choose_method');

    const before = server.sink.messages.length;
    const sent = await sendCode(flow.id, email);
    expect(sent.status).toBe(200);
    assertMatchesContract('verificationFlow', sent.data);
    expect(sent.data.state).toBe('sent_email');
    expect(uiMessageIds(sent.data)).toEqual([1080003]);
    const code = codeIn(await mailTo(server.sink, email, before, /verif/i));

    const unknown = uniqueEmail('unknown-verify');
    const { data: other } = await server.frontend.createNativeVerificationFlow();
    const unknownSent = await sendCode(other.id, unknown);
    const strip = (data: unknown, address: string) =>
      withoutIds(JSON.parse(JSON.stringify(data).replaceAll(address, '<email>')));
    expect(unknownSent.status).toBe(sent.status);
    expect(strip(unknownSent.data, unknown)).toEqual(strip(sent.data, email));

    const wrong = await submitCode(flow.id, code === '123456' ? '654321' : '123456');
    expect(wrong.status).toBe(200);
    expect(uiMessageIds(wrong.data)).toEqual([4070006]);
    const right = await submitCode(flow.id, code);
    expect(right.data.state).toBe('passed_challenge');
    await sleep(300);
    expect(mailsTo(server.sink, unknown)).toHaveLength(0);
  });

  it('five wrong codes spend the flow', async () => {
    const email = uniqueEmail('five-wrong');
    await register(email);
    const { data: flow } = await server.frontend.createNativeVerificationFlow();
    const before = server.sink.messages.length;
    await sendCode(flow.id, email);
    const code = codeIn(await mailTo(server.sink, email, before, /verif/i));
    const wrong = code === '000001' ? '000002' : '000001';
    for (let i = 0; i < 5; i += 1)
      expect(uiMessageIds((await submitCode(flow.id, wrong)).data)).toEqual([4070006]);
    const right = await submitCode(flow.id, code);
    expect(right.data.state).toBe('sent_email');
    expect(uiMessageIds(right.data)).toEqual([4070006]);
  });

  it('browser: the emailed link fills the code in, the form post verifies, 303s throughout', async () => {
    const email = uniqueEmail('browser-verify');
    await register(email);
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/verification/browser`, {
      headers: { Accept: 'text/html' },
    });
    expect(init.status).toBe(303);
    const flowId = new URL(init.headers.get('location')!).searchParams.get('flow')!;
    const read = await jar.fetch(`${server.publicUrl}/self-service/verification/flows?id=${flowId}`, {
      headers: { Accept: 'application/json' },
    });
    const flow = (await read.json()) as VerificationFlow;
    const csrf = csrfTokenOf(flow);
    const before = server.sink.messages.length;
    const sent = await postForm(jar, flow.ui.action, { csrf_token: csrf, method: 'code', email });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${VERIFICATION_UI}?flow=${flowId}`);
    const mail = await mailTo(server.sink, email, before, /verif/i);
    const link = linkIn(mail, '/self-service/verification');
    const clicked = await jar.fetch(link, { headers: { Accept: 'text/html' } });
    expect(clicked.status).toBe(303);
    const prefilled = (await (
      await jar.fetch(`${server.publicUrl}/self-service/verification/flows?id=${flowId}`, {
        headers: { Accept: 'application/json' },
      })
    ).json()) as VerificationFlow;
    const codeNode = prefilled.ui.nodes.find((n) => (n.attributes as { name: string }).name === 'code')!;
    expect((codeNode.attributes as { value: string }).value).toBe(codeIn(mail));
    const done = await postForm(jar, flow.ui.action, {
      csrf_token: csrf,
      method: 'code',
      code: codeIn(mail),
    });
    expect(done.status).toBe(303);
    const final = (await (
      await jar.fetch(`${server.publicUrl}/self-service/verification/flows?id=${flowId}`, {
        headers: { Accept: 'application/json' },
      })
    ).json()) as VerificationFlow;
    expect(final.state).toBe('passed_challenge');
  });

  it('SPA: JSON in and out', async () => {
    const email = uniqueEmail('spa-verify');
    await register(email);
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/verification/browser`, {
      headers: { Accept: 'application/json' },
    });
    expect(init.status).toBe(200);
    const flow = (await init.json()) as VerificationFlow;
    const csrf = csrfTokenOf(flow);
    const before = server.sink.messages.length;
    const sent = await postJson(jar, flow.ui.action, { csrf_token: csrf, method: 'code', email });
    expect(sent.status).toBe(200);
    const code = codeIn(await mailTo(server.sink, email, before, /verif/i));
    const done = await postJson(jar, flow.ui.action, { csrf_token: csrf, method: 'code', code });
    expect(done.status).toBe(200);
    const body = (await done.json()) as VerificationFlow;
    assertMatchesContract('verificationFlow', body);
    expect(body.state).toBe('passed_challenge');
  });
});

describe('require_verified_address and disabled verification', () => {
  let strict: MailServer;
  beforeAll(async () => {
    strict = await startMailServer({
      SELFSERVICE_FLOWS_LOGIN_AFTER_PASSWORD_HOOKS: '[{"hook":"require_verified_address"}]',
      SELFSERVICE_FLOWS_VERIFICATION_USE: 'link',
      SELFSERVICE_METHODS_LINK_ENABLED: 'true',
      SELFSERVICE_FLOWS_VERIFICATION_NOTIFY_UNKNOWN_RECIPIENTS: 'true',
    });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  async function login(email: string) {
    const { data: flow } = await strict.frontend.createNativeLoginFlow();
    return strict.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'password', identifier: email, password: GOOD_PASSWORD },
    });
  }

  it('refuses a login until the address is verified (4000010), then lets it in', async () => {
    const email = uniqueEmail('strict');
    const { data: reg } = await strict.frontend.createNativeRegistrationFlow();
    const before = strict.sink.messages.length;
    const registered = await strict.frontend.updateRegistrationFlow({
      flow: reg.id,
      updateRegistrationFlowBody: { method: 'password', traits: { email }, password: GOOD_PASSWORD },
    });
    expect(registered.status).toBe(200);
    const refused = await login(email);
    expect(refused.status).toBe(400);
    expect(uiMessageIds(refused.data as never)).toEqual([4000010]);

    // use: link: the registration message carries a link that verifies on GET.
    const link = linkIn(await mailTo(strict.sink, email, before, /verif/i), '/self-service/verification');
    expect(new URL(link).searchParams.get('token')).toBeTruthy();
    const followed = await fetch(link, { redirect: 'manual', headers: { Accept: 'application/json' } });
    expect(followed.status).toBe(200);
    expect(((await followed.json()) as VerificationFlow).state).toBe('passed_challenge');
    const allowed = await login(email);
    expect(allowed.status).toBe(200);
  });

  it('with notify_unknown_recipients an unknown address gets a message with no link', async () => {
    const unknown = uniqueEmail('nobody-link');
    const { data: flow } = await strict.frontend.createNativeVerificationFlow();
    const before = strict.sink.messages.length;
    const sent = await strict.frontend.updateVerificationFlow({
      flow: flow.id,
      updateVerificationFlowBody: { method: 'link', email: unknown },
    });
    expect(uiMessageIds(sent.data)).toEqual([1080001]);
    const mail = await mailTo(strict.sink, unknown, before, /verif/i);
    expect(JSON.stringify(mail)).not.toContain('token=');
  });
});
