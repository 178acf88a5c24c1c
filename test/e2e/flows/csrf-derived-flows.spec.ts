import {
  Configuration,
  CourierApi,
  type RecoveryFlow,
  type RegistrationFlow,
  type SettingsFlow,
  type VerificationFlow,
} from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  expectError,
  GOOD_PASSWORD,
  postForm,
  postJson,
  sleep,
  uniqueEmail,
} from '../../support/self-service.js';
import { codeIn, mailTo, registeredUser, startMailServer, type MailServer } from '../recovery/mail-flows.js';
import { changeAddressInSettings } from '../settings/settings-support.js';

// Flows that no browser asked for by their own /browser route (started by a hook, handed on by
// another flow, made by an admin) are bound to a browser all the same: their csrf_token node has a
// value, and a post without that browser's cookie and token is refused before anything is sent.

let server: MailServer;
let courier: CourierApi;

beforeAll(async () => {
  server = await startMailServer({
    SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS:
      '[{"hook":"session"},{"hook":"show_verification_ui"}]',
    SELFSERVICE_FLOWS_SETTINGS_AFTER_PROFILE_HOOKS: '[{"hook":"show_verification_ui"}]',
    SELFSERVICE_METHODS_LINK_ENABLED: 'true',
  });
  courier = new CourierApi(new Configuration({ basePath: server.adminUrl }));
});

afterAll(async () => {
  await server?.stop();
});

const json = { Accept: 'application/json' };

async function messagesTo(email: string): Promise<number> {
  const { data } = await courier.listCourierMessages({ recipient: email });
  return data.length;
}

async function readFlow<T>(jar: CookieJar, kind: string, id: string): Promise<{ status: number; flow: T }> {
  const response = await jar.fetch(`${server.publicUrl}/self-service/${kind}/flows?id=${id}`, {
    headers: json,
  });
  return { status: response.status, flow: (await response.json()) as T };
}

async function expectCsrfViolation(response: Response): Promise<void> {
  expectError(response, 403, 'security_csrf_violation', await response.json());
}

/** A browser registered through the form; where show_verification_ui sent it. */
async function browserRegistration(email: string): Promise<{ jar: CookieJar; verificationId: string }> {
  const jar = new CookieJar();
  const init = await jar.fetch(`${server.publicUrl}/self-service/registration/browser`, { headers: json });
  const flow = (await init.json()) as RegistrationFlow;
  const before = server.sink.messages.length;
  const response = await postForm(jar, flow.ui.action, {
    csrf_token: csrfTokenOf(flow),
    method: 'password',
    'traits.email': email,
    password: GOOD_PASSWORD,
  });
  expect(response.status).toBe(303);
  await mailTo(server.sink, email, before, /verif/i);
  return { jar, verificationId: new URL(response.headers.get('location')!).searchParams.get('flow')! };
}

/**
 * The checks every derived flow gets: the browser it belongs to reads a token; a cookieless post
 * with an empty token, and another browser's post with the right token, are 403 and send nothing.
 */
async function expectBoundTo<T extends VerificationFlow | RecoveryFlow>(
  jar: CookieJar,
  kind: 'verification' | 'recovery',
  id: string,
  body: Record<string, string>,
  recipient: string,
): Promise<T> {
  const { status, flow } = await readFlow<T>(jar, kind, id);
  expect(status).toBe(200);
  expect(csrfTokenOf(flow)).toMatch(/^[A-Za-z0-9+/]{86}==$/);
  const sent = await messagesTo(recipient);
  await expectCsrfViolation(await postJson(new CookieJar(), flow.ui.action, { ...body, csrf_token: '' }));
  const stranger = new CookieJar();
  await stranger.fetch(`${server.publicUrl}/self-service/${kind}/browser`, { headers: json });
  await expectCsrfViolation(
    await postJson(stranger, flow.ui.action, { ...body, csrf_token: csrfTokenOf(flow) }),
  );
  expect((await readFlow(stranger, kind, id)).status).toBe(403);
  await sleep(200);
  expect(await messagesTo(recipient)).toBe(sent);
  return flow;
}

describe('the verification flow show_verification_ui hands on', () => {
  it('after a browser registration is bound to that browser; its own token sends the code again', async () => {
    const email = uniqueEmail('derived-reg');
    const { jar, verificationId } = await browserRegistration(email);
    expect(await messagesTo(email)).toBe(1);
    const flow = await expectBoundTo<VerificationFlow>(
      jar,
      'verification',
      verificationId,
      { method: 'code', email },
      email,
    );
    const before = server.sink.messages.length;
    const resent = await postJson(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'code',
      email,
    });
    expect(resent.status).toBe(200);
    expect((await resent.json()) as VerificationFlow).toMatchObject({ state: 'sent_email' });
    const code = codeIn(await mailTo(server.sink, email, before, /verif/i));
    expect(await messagesTo(email)).toBe(2);
    const done = await postJson(jar, flow.ui.action, { csrf_token: csrfTokenOf(flow), method: 'code', code });
    expect(((await done.json()) as VerificationFlow).state).toBe('passed_challenge');
  });

  it('after a profile change in settings is bound to that browser', async () => {
    const { jar } = await browserRegistration(uniqueEmail('derived-settings'));
    const moved = uniqueEmail('derived-moved');
    const before = server.sink.messages.length;
    const { response } = await changeAddressInSettings(jar, server.publicUrl, moved);
    await mailTo(server.sink, moved, before, /verif/i);
    const verificationId = new URL(response.headers.get('location')!).searchParams.get('flow')!;
    await expectBoundTo<VerificationFlow>(
      jar,
      'verification',
      verificationId,
      { method: 'code', email: moved },
      moved,
    );
  });

  it('each read masks the token anew, and every copy validates for its browser', async () => {
    const email = uniqueEmail('derived-mask');
    const { jar, verificationId } = await browserRegistration(email);
    const first = (await readFlow<VerificationFlow>(jar, 'verification', verificationId)).flow;
    const second = (await readFlow<VerificationFlow>(jar, 'verification', verificationId)).flow;
    expect(csrfTokenOf(first)).not.toBe(csrfTokenOf(second));
    const before = server.sink.messages.length;
    const resent = await postJson(jar, first.ui.action, {
      csrf_token: csrfTokenOf(first),
      method: 'code',
      email,
    });
    expect(resent.status).toBe(200);
    // The 200 answer carries a token of its own, which works as well.
    const answered = (await resent.json()) as VerificationFlow;
    await mailTo(server.sink, email, before, /verif/i);
    const again = await postJson(jar, first.ui.action, {
      csrf_token: csrfTokenOf(answered),
      method: 'code',
      email,
    });
    expect(again.status).toBe(200);
  });
});

describe('flows recovery hands on and flows an admin makes', () => {
  it('the settings flow a recovered browser lands on is bound to that browser', async () => {
    const email = uniqueEmail('derived-recovered');
    await registeredUser(server, email);
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/recovery/browser`, { headers: json });
    const recovery = (await init.json()) as RecoveryFlow;
    const before = server.sink.messages.length;
    await postForm(jar, recovery.ui.action, { csrf_token: csrfTokenOf(recovery), method: 'code', email });
    const code = codeIn(await mailTo(server.sink, email, before, /recover|access/i));
    const done = await postForm(jar, recovery.ui.action, {
      csrf_token: csrfTokenOf(recovery),
      method: 'code',
      code,
    });
    expect(done.status).toBe(303);
    const settingsId = new URL(done.headers.get('location')!).searchParams.get('flow')!;
    const { status, flow } = await readFlow<SettingsFlow>(jar, 'settings', settingsId);
    expect(status).toBe(200);
    expect(csrfTokenOf(flow)).not.toBe('');
    // The session cookie alone (a cross-site post carries it) does not change the password.
    const session = new CookieJar();
    session.store([`ory_kratos_session=${jar.get('ory_kratos_session')}`]);
    await expectCsrfViolation(
      await postJson(session, flow.ui.action, {
        csrf_token: '',
        method: 'password',
        password: 'Another-Lamp-Hill-88',
      }),
    );
    const changed = await postJson(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      password: 'Another-Lamp-Hill-88',
    });
    expect(changed.status).toBe(200);
  });

  it('an admin recovery link binds its flow, and the settings flow after it, to the browser that follows it', async () => {
    const user = await registeredUser(server, uniqueEmail('derived-admin-link'));
    const { data } = await server.identities.createRecoveryLinkForIdentity({
      createRecoveryLinkForIdentityBody: { identity_id: user.identity.id },
    });
    const jar = new CookieJar();
    const followed = await jar.fetch(data.recovery_link, { headers: { Accept: 'text/html' } });
    expect(followed.status).toBe(303);
    expect(jar.names().some((name) => name.startsWith('csrf_token_'))).toBe(true);
    const settingsId = new URL(followed.headers.get('location')!).searchParams.get('flow')!;
    const { status, flow } = await readFlow<RecoveryFlow>(jar, 'settings', settingsId);
    expect(status).toBe(200);
    expect(csrfTokenOf(flow)).not.toBe('');
    const session = new CookieJar();
    session.store([`ory_kratos_session=${jar.get('ory_kratos_session')}`]);
    const body = { method: 'profile', 'traits.email': uniqueEmail('derived-hijack') };
    await expectCsrfViolation(await postJson(session, flow.ui.action, { ...body, csrf_token: '' }));
    const own = await postJson(jar, flow.ui.action, { ...body, csrf_token: csrfTokenOf(flow) });
    expect(own.status).toBe(200);
    const recoveryId = new URL(data.recovery_link).searchParams.get('flow')!;
    expect((await readFlow(new CookieJar(), 'recovery', recoveryId)).status).toBe(403);
  });
});
