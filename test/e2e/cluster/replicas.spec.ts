import type { LoginFlow, RegistrationFlow, Session, SettingsFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  randomClientAddresses,
  RoundRobinBrowser,
  roundRobinFrontend,
  SHARED_BASE_URL,
} from '../../support/cluster.js';
import { htmlFormFields } from '../../support/html-form.js';
import {
  csrfTokenOf,
  ERROR_UI,
  expectError,
  loginWithApi,
  nodeValue,
  registerWithApi,
  sleep,
  GOOD_PASSWORD,
  LOGIN_UI,
  REGISTRATION_UI,
  uniqueEmail,
} from '../../support/self-service.js';
import { SoftwareAuthenticator } from '../../support/software-authenticator.js';
import { TEST_RP } from '../../support/webauthn-env.js';
import { aal2Flow, authenticator, passwordSession, textNode } from '../mfa/mfa-support.js';
import { codeIn, mailsTo, mailTo } from '../recovery/mail-flows.js';
import { clusterAvailable, SETTINGS_UI, startFlowCluster, type FlowCluster } from './cluster-flows.js';

// Three replicas, one PostgreSQL schema, one Redis. Every step of a flow goes to another replica
// than the step before, as a round-robin load balancer would send it: flow state lives in the
// database, sessions are rows, so any replica can finish what another began.

const [A, B, C] = [0, 1, 2];
const PRIVILEGED_MAX_AGE_MS = 4_000;
const NEW_PASSWORD = 'Copper-Kettle-Window-91';
let cluster: FlowCluster;
const freshAddress = randomClientAddresses();

/** The password checks all replicas logged so far. */
const passwordChecks = () =>
  cluster.replicas.flatMap((replica) => replica.logs().filter((line) => line['msg'] === 'password checked'));

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe.skipIf(!clusterAvailable)('three replicas serve one user', () => {
  beforeAll(async () => {
    cluster = await startFlowCluster({
      // The browser test fills the one-step registration form.
      SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified',
      SELFSERVICE_FLOWS_SETTINGS_PRIVILEGED_SESSION_MAX_AGE: `${PRIVILEGED_MAX_AGE_MS}ms`,
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('API: registration on A, login begun on B and finished on C, whoami on A', async () => {
    const email = uniqueEmail('api-replicas');
    const { data: flow } = await cluster.frontend(A).createNativeRegistrationFlow();
    const registered = await cluster.frontend(B).updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: 'password', traits: { email }, password: GOOD_PASSWORD },
    });
    expect(registered.status, JSON.stringify(registered.data)).toBe(200);
    const identityId = registered.data.identity.id;
    expect(
      (await cluster.frontend(C).toSession({ xSessionToken: registered.data.session_token! })).status,
    ).toBe(200);

    const { data: login } = await cluster.frontend(B).createNativeLoginFlow();
    const signedIn = await cluster.frontend(C).updateLoginFlow({
      flow: login.id,
      updateLoginFlowBody: { method: 'password', identifier: email, password: GOOD_PASSWORD },
    });
    expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
    const token = signedIn.data.session_token!;

    const whoami = await cluster.frontend(A).toSession({ xSessionToken: token });
    expect(whoami.status).toBe(200);
    expect(whoami.data.identity?.id).toBe(identityId);
    expect(whoami.data.identity?.traits).toMatchObject({ email });
  });

  it('browser: the form flows hop replicas on every request and the session cookie works on all', async () => {
    const email = uniqueEmail('browser-replicas');
    const browser = new RoundRobinBrowser(cluster);

    const { ui, flow } = await browser.startFlow<RegistrationFlow>('registration'); // A, B
    expect(`${ui.origin}${ui.pathname}`).toBe(REGISTRATION_UI);
    const signedUp = await browser.postForm(
      flow.ui.action,
      htmlFormFields(flow, {
        groups: ['default', 'password'],
        fill: { 'traits.email': email, password: GOOD_PASSWORD },
        click: { name: 'method', value: 'password' },
      }),
    ); // C
    expect(signedUp.status).toBe(303);
    expect(browser.jar.get('ory_kratos_session')).toBeTruthy();
    expect(browser.served).toEqual([A, B, C]);

    for (const replica of [A, B, C]) {
      const whoami = await browser.readJson<Session>('/sessions/whoami');
      expect(whoami.status, `whoami on replica ${replica}`).toBe(200);
      expect(whoami.body.identity?.traits).toMatchObject({ email });
    }

    // A second browser signs in: init on A, read on B, post on C, whoami on A.
    const other = new RoundRobinBrowser(cluster);
    const login = await other.startFlow<LoginFlow>('login');
    expect(`${login.ui.origin}${login.ui.pathname}`).toBe(LOGIN_UI);
    const posted = await other.postForm(login.flow.ui.action, {
      csrf_token: csrfTokenOf(login.flow),
      method: 'password',
      identifier: email,
      password: GOOD_PASSWORD,
    });
    expect(posted.status).toBe(303);
    const whoami = await other.readJson<Session>('/sessions/whoami');
    expect(whoami.status).toBe(200);
    expect(whoami.body.identity?.traits).toMatchObject({ email });
    expect(other.served).toEqual([A, B, C, A]);
  });

  it('browser: a CSRF token minted on one replica is checked on another (a forged one is refused)', async () => {
    const browser = new RoundRobinBrowser(cluster, B);
    const { flow } = await browser.startFlow<LoginFlow>('login'); // B, C
    const forged = await browser.postForm(flow.ui.action, {
      csrf_token: 'forged-token',
      method: 'password',
      identifier: uniqueEmail('nobody'),
      password: GOOD_PASSWORD,
    }); // A
    expect(forged.status).toBe(303);
    const errorUrl = new URL(forged.headers.get('location')!);
    expect(`${errorUrl.origin}${errorUrl.pathname}`).toBe(ERROR_UI);
    expect(browser.jar.get('ory_kratos_session')).toBeUndefined();
    // The error page asks yet another replica what went wrong: the error is stored, not kept in memory.
    const error = await browser.readJson<{ error: { id: string } }>(
      `/self-service/errors?id=${errorUrl.searchParams.get('id')}`,
    ); // B
    expect(error.status).toBe(200);
    expect(error.body.error.id).toBe('security_csrf_violation');
  });

  it('TOTP: enrolled across replicas, aal1 on A, the code on B, whoami aal2 on C', async () => {
    const user = await registerWithApi(cluster.frontend(A), uniqueEmail('totp-replicas'));
    // Enrolment: the settings flow shows the secret on B, the first code is accepted on C.
    const { data: settings } = await cluster
      .frontend(B)
      .createNativeSettingsFlow({ xSessionToken: user.token });
    const secret = String((textNode(settings, 'totp_secret_key').text.context as { secret: string }).secret);
    const enrolled = await cluster.frontend(C).updateSettingsFlow({
      flow: settings.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'totp', totp_code: authenticator(secret).now() },
    });
    expect(enrolled.status, JSON.stringify(enrolled.data)).toBe(200);
    expect(enrolled.data.state).toBe('success');

    const token = await passwordSession(cluster.frontend(A), user.email, user.password);
    // whoami wants the highest level the identity has: B turns the password-only session away.
    expectError(await cluster.frontend(B).toSession({ xSessionToken: token }), 403, 'session_aal2_required');

    const flow = await aal2Flow(cluster.frontend(A), token);
    const code = authenticator(secret).next();
    const wrong = await cluster.frontend(B).updateLoginFlow({
      flow: flow.id,
      xSessionToken: token,
      updateLoginFlowBody: { method: 'totp', totp_code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(400);
    const stepped = await cluster.frontend(B).updateLoginFlow({
      flow: flow.id,
      xSessionToken: token,
      updateLoginFlowBody: { method: 'totp', totp_code: code },
    });
    expect(stepped.status, JSON.stringify(stepped.data)).toBe(200);

    const whoami = await cluster.frontend(C).toSession({ xSessionToken: token });
    expect(whoami.status).toBe(200);
    expect(whoami.data.authenticator_assurance_level).toBe('aal2');
    expect(whoami.data.authentication_methods?.map((m) => m.method)).toEqual(['password', 'totp']);
  });

  it('recovery by code: begun on B, mailed, the code redeemed on C, the session good on A', async () => {
    const user = await registerWithApi(cluster.frontend(A), uniqueEmail('recover-replicas'));
    const { data: flow } = await cluster.frontend(B).createNativeRecoveryFlow();
    const before = cluster.sink.messages.length;
    const sent = await cluster.frontend(C).updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'code', email: user.email },
    });
    expect(sent.status, JSON.stringify(sent.data)).toBe(200);
    expect(sent.data.state).toBe('sent_email');
    const code = codeIn(await mailTo(cluster.sink, user.email, before, /recover|access/i));

    const done = await cluster.frontend(A).updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'code', code },
    });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect(done.data.state).toBe('passed_challenge');
    const setToken = (done.data.continue_with as unknown as Record<string, unknown>[]).find(
      (item) => item['action'] === 'set_ory_session_token',
    );
    const whoami = await cluster
      .frontend(B)
      .toSession({ xSessionToken: String(setToken?.['ory_session_token']) });
    expect(whoami.status).toBe(200);
    expect(whoami.data.identity?.id).toBe(user.identity.id);
    expect(whoami.data.authentication_methods).toEqual([
      expect.objectContaining({ method: 'code_recovery', aal: 'aal1' }),
    ]);
    // Every replica runs a courier worker; the mail still went out once.
    await sleep(500);
    expect(mailsTo(cluster.sink, user.email).filter((m) => /recover|access/i.test(m.subject))).toHaveLength(
      1,
    );
  });

  it('verification by code: begun on C, the code sent on A and redeemed on B, the address verified', async () => {
    const mailed = cluster.sink.messages.length;
    const user = await registerWithApi(cluster.frontend(A), uniqueEmail('verify-replicas'));
    // Signing up mailed a code of its own flow: let it arrive first, so it is not taken for ours.
    await mailTo(cluster.sink, user.email, mailed, /verif/i);
    const { data: flow } = await cluster.frontend(C).createNativeVerificationFlow();
    const before = cluster.sink.messages.length;
    const sent = await cluster.frontend(A).updateVerificationFlow({
      flow: flow.id,
      updateVerificationFlowBody: { method: 'code', email: user.email },
    });
    expect(sent.status, JSON.stringify(sent.data)).toBe(200);
    expect(sent.data.state).toBe('sent_email');
    const code = codeIn(await mailTo(cluster.sink, user.email, before, /verif/i));

    const done = await cluster.frontend(B).updateVerificationFlow({
      flow: flow.id,
      updateVerificationFlowBody: { method: 'code', code },
    });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect(done.data.state).toBe('passed_challenge');
    const identity = await cluster.identities(C).getIdentity({ id: user.identity.id });
    expect(identity.data.verifiable_addresses?.[0]).toMatchObject({
      value: user.email,
      verified: true,
      status: 'completed',
    });
  });

  it('privileged settings: a password change held on A, re-authentication on B, applied on C', async () => {
    const user = await registerWithApi(cluster.frontend(A), uniqueEmail('privileged-replicas'));
    await sleep(PRIVILEGED_MAX_AGE_MS + 300);
    const { data: flow } = await cluster.frontend(A).createNativeSettingsFlow({ xSessionToken: user.token });
    const change = (replica: number) =>
      cluster.frontend(replica).updateSettingsFlow({
        flow: flow.id,
        xSessionToken: user.token,
        updateSettingsFlowBody: { method: 'password', password: NEW_PASSWORD },
      });
    expectError(await change(A), 403, 'session_refresh_required');

    const { data: refresh } = await cluster.frontend(B).createNativeLoginFlow({
      refresh: true,
      xSessionToken: user.token,
    });
    const again = await cluster.frontend(B).updateLoginFlow({
      flow: refresh.id,
      xSessionToken: user.token,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
    });
    expect(again.status, JSON.stringify(again.data)).toBe(200);

    const saved = await change(C);
    expect(saved.status, JSON.stringify(saved.data)).toBe(200);
    expect(saved.data.state).toBe('success');
    expect((await loginWithApi(cluster.frontend(A), user.email, NEW_PASSWORD)).status).toBe(200);
    expect((await loginWithApi(cluster.frontend(B), user.email, user.password)).status).toBe(400);
  });

  it('privileged settings in a browser: the held change survives a refresh login on other replicas', async () => {
    const email = uniqueEmail('held-replicas');
    const browser = new RoundRobinBrowser(cluster);
    const { flow: registration } = await browser.startFlow<RegistrationFlow>('registration'); // A, B
    const signedUp = await browser.postForm(registration.ui.action, {
      csrf_token: csrfTokenOf(registration),
      method: 'password',
      'traits.email': email,
      password: GOOD_PASSWORD,
    }); // C
    expect(signedUp.status).toBe(303);
    await sleep(PRIVILEGED_MAX_AGE_MS + 300);

    const { flow: settings } = await browser.startFlow<SettingsFlow>('settings'); // A, B
    const settingsId = settings.id;
    const held = await browser.postForm(settings.ui.action, {
      csrf_token: csrfTokenOf(settings),
      method: 'password',
      password: NEW_PASSWORD,
    }); // C
    expect(held.status).toBe(303);
    const refreshUrl = new URL(held.headers.get('location')!);
    expect(refreshUrl.pathname).toBe('/self-service/login/browser');
    expect(refreshUrl.searchParams.get('refresh')).toBe('true');
    expect((await loginWithApi(cluster.frontend(A), email, NEW_PASSWORD)).status).toBe(400);

    const { flow: login } = await browser.startFlow<LoginFlow>('login', refreshUrl.href); // A, B
    expect(login.refresh).toBe(true);
    const reauthenticated = await browser.postForm(login.ui.action, {
      csrf_token: csrfTokenOf(login),
      method: 'password',
      identifier: email,
      password: GOOD_PASSWORD,
    }); // C
    expect(reauthenticated.status).toBe(303);
    const back = reauthenticated.headers.get('location')!;
    expect(back).toBe(`${SHARED_BASE_URL}self-service/settings?flow=${settingsId}`);

    const resumed = await browser.open(back); // A: applies the held change
    expect(resumed.status).toBe(303);
    expect(resumed.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${settingsId}`);
    const { body: done } = await browser.readJson<SettingsFlow>(
      `/self-service/settings/flows?id=${settingsId}`,
    ); // B
    expect(done.state).toBe('success');
    expect(done.ui.messages?.map((m) => m.id)).toEqual([1050001]);
    expect((await loginWithApi(cluster.frontend(C), email, NEW_PASSWORD)).status).toBe(200);
    expect((await loginWithApi(cluster.frontend(A), email, GOOD_PASSWORD)).status).toBe(400);
  });

  it('brute force: 30 wrong passwords dealt over three replicas admit exactly 10 checks, then 429 everywhere', async () => {
    const target = await registerWithApi(cluster.frontend(A), uniqueEmail('brute-replicas'));
    const attacker = freshAddress();
    const checksBefore = passwordChecks().length;
    const creator = roundRobinFrontend(cluster, A);
    const submitter = roundRobinFrontend(cluster, B);
    const flows = await Promise.all(
      Array.from({ length: 30 }, async () => (await creator.next().createNativeLoginFlow()).data),
    );
    const responses = await Promise.all(
      flows.map((flow, i) =>
        submitter.next().updateLoginFlow(
          {
            flow: flow.id,
            updateLoginFlowBody: {
              method: 'password',
              identifier: target.email,
              password: `Wrong-Guess-${i}`,
            },
          },
          { headers: { 'X-Forwarded-For': attacker } },
        ),
      ),
    );
    expect(new Set(submitter.served)).toEqual(new Set([A, B, C]));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    await until(() => passwordChecks().length >= checksBefore + 10);

    // The right password from the same address is refused by every replica, without a hash.
    for (const replica of [A, B, C]) {
      const locked = await loginWithApi(cluster.frontend(replica), target.email, target.password, {
        headers: { 'X-Forwarded-For': attacker },
      });
      expectError(locked, 429, 'too_many_requests');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    await sleep(300);
    expect(passwordChecks()).toHaveLength(checksBefore + 10);
    // The owner, from elsewhere, still signs in.
    expect(
      (
        await loginWithApi(cluster.frontend(C), target.email, target.password, {
          headers: { 'X-Forwarded-For': freshAddress() },
        })
      ).status,
    ).toBe(200);
  });

  it('passkey: the ceremony hops replicas, the challenge of one answered on another', async () => {
    const email = uniqueEmail('passkey-replicas');
    const authenticator = new SoftwareAuthenticator(TEST_RP.origins[0]!);
    const browser = new RoundRobinBrowser(cluster);
    const { flow } = await browser.startFlow<RegistrationFlow>('registration'); // A, B
    const withTraits = await browser.postJson(flow.ui.action, {
      method: 'passkey',
      csrf_token: csrfTokenOf(flow),
      traits: { email },
    }); // C
    expect(withTraits.status).toBe(400);
    const step = (await withTraits.json()) as RegistrationFlow;
    const createData = JSON.parse(String(nodeValue(step, 'passkey_create_data'))) as {
      credentialOptions: Parameters<SoftwareAuthenticator['create']>[0];
    };
    const registered = await browser.postJson(flow.ui.action, {
      method: 'passkey',
      csrf_token: csrfTokenOf(step),
      traits: { email },
      passkey_register: authenticator.create(createData.credentialOptions),
    }); // A
    expect(registered.status, await registered.clone().text()).toBe(200);
    expect(browser.jar.get('ory_kratos_session')).toBeTruthy();

    // Another browser signs in with the passkey alone: challenge from B, assertion checked on C.
    const other = new RoundRobinBrowser(cluster, A);
    const { flow: loginFlow } = await other.startFlow<LoginFlow>('login'); // A, B
    const options = JSON.parse(String(nodeValue(loginFlow, 'passkey_challenge'))) as Parameters<
      SoftwareAuthenticator['get']
    >[0];
    const assertion = authenticator.get(options);
    const signedIn = await other.postJson(loginFlow.ui.action, {
      method: 'passkey',
      csrf_token: csrfTokenOf(loginFlow),
      passkey_login: assertion,
    }); // C
    expect(signedIn.status, await signedIn.clone().text()).toBe(200);
    const whoami = await other.readJson<Session>('/sessions/whoami'); // A
    expect(whoami.status).toBe(200);
    expect(whoami.body.identity?.traits).toMatchObject({ email });
    expect(whoami.body.authentication_methods?.map((m) => m.method)).toEqual(['passkey']);

    // The same assertion again, on yet another replica and a fresh flow, does not sign anyone in.
    const third = new RoundRobinBrowser(cluster, B);
    const { flow: againFlow } = await third.startFlow<LoginFlow>('login'); // B, C
    const replayed = await third.postJson(againFlow.ui.action, {
      method: 'passkey',
      csrf_token: csrfTokenOf(againFlow),
      passkey_login: assertion,
    }); // A
    expect(replayed.status).toBe(400);
    expect(third.jar.get('ory_kratos_session')).toBeUndefined();
  });
});
