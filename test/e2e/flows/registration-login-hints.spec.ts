import type { RegistrationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  fetchFlow,
  GOOD_PASSWORD,
  initBrowserFlow,
  nodeValue,
  postJson,
  registerWithApi,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { SoftwareAuthenticator } from '../../support/software-authenticator.js';
import { TEST_RP, WEBAUTHN_ENV } from '../../support/webauthn-env.js';

// `selfservice.flows.registration.login_hints` for the passkey sign-up, on the one-step form and
// as profile_first's second screen: a taken identifier is answered with 4000028 (how the account
// signs in) when on, with 4000007 when off. The password and code sign-ups are covered by
// test/e2e/oidc/oidc-conversion-hints.spec.ts and their own specs.

const HINTS = { SELFSERVICE_FLOWS_REGISTRATION_LOGIN_HINTS: 'true' };
const UNIFIED = { SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified' };

let unified: FlowServer;
let profileFirst: FlowServer;
let quiet: FlowServer;

beforeAll(async () => {
  [unified, profileFirst, quiet] = await Promise.all([
    startFlowServer({ ...WEBAUTHN_ENV, ...HINTS, ...UNIFIED }),
    startFlowServer({ ...WEBAUTHN_ENV, ...HINTS }),
    startFlowServer({ ...WEBAUTHN_ENV, ...UNIFIED }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([unified?.stop(), profileFirst?.stop(), quiet?.stop()]);
});

type CreationOptions = Parameters<SoftwareAuthenticator['create']>[0];

const creationOptions = (flow: RegistrationFlow): CreationOptions =>
  (JSON.parse(String(nodeValue(flow, 'passkey_create_data'))) as { credentialOptions: CreationOptions })
    .credentialOptions;

/** A browser (JSON with cookies) at a registration flow, posting to it. */
async function browser(server: FlowServer) {
  const jar = new CookieJar();
  const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'registration');
  const flow = (await fetchFlow(jar, server.publicUrl, 'registration', flowId))
    .body as unknown as RegistrationFlow;
  const post = async (body: Record<string, unknown>) => {
    const response = await postJson(jar, flow.ui.action, { csrf_token: csrfTokenOf(flow), ...body });
    return { status: response.status, flow: (await response.json()) as RegistrationFlow, jar };
  };
  return { post };
}

/** A passkey sign-up on the one-step form: the traits, then the attestation. */
async function passkeySignUp(server: FlowServer, email: string) {
  const { post } = await browser(server);
  const options = await post({ method: 'passkey', traits: { email } });
  expect(options.status).toBe(400);
  const attestation = new SoftwareAuthenticator(TEST_RP.origins[0]!).create(creationOptions(options.flow));
  return post({ method: 'passkey', traits: { email }, passkey_register: attestation });
}

async function identitiesWith(server: FlowServer, email: string): Promise<number> {
  const { data } = await server.identities.listIdentities({ credentialsIdentifier: email });
  return data.length;
}

/** 4000028 naming `method` ("password", "passkey") for an account with these credential types. */
const hint = (email: string, method: string, types: string[]) => ({
  id: 4000028,
  type: 'error',
  text: `You tried signing in with ${email} which is already in use by another account. You can sign in using your ${method}.`,
  context: {
    available_credential_types: types,
    available_oidc_providers: [],
    credential_identifier_hint: email,
  },
});

// The schema makes the email a `code` identifier too, so the account has both.
const passwordHint = (email: string) => hint(email, 'password', ['code', 'password']);

describe('login_hints on: a passkey sign-up with a taken identifier (one-step form)', () => {
  it("names the identifier and the account's password, and creates nobody", async () => {
    const { email } = await registerWithApi(unified.frontend, uniqueEmail('passkey-hint'));
    const refused = await passkeySignUp(unified, email);
    expect(refused.status).toBe(400);
    assertMatchesContract('registrationFlow', refused.flow);
    expect(refused.flow.ui.messages).toEqual([passwordHint(email)]);
    expect(refused.jar.get('ory_kratos_session')).toBeUndefined();
    expect(await identitiesWith(unified, email)).toBe(1);
  });

  it('names the passkey of an account that signed up with one', async () => {
    const email = uniqueEmail('passkey-owner');
    expect((await passkeySignUp(unified, email)).status).toBe(200);
    const refused = await passkeySignUp(unified, email);
    expect(refused.status).toBe(400);
    expect(refused.flow.ui.messages).toEqual([hint(email, 'passkey', ['code', 'passkey'])]);
  });
});

describe('login_hints on: profile_first', () => {
  it('takes the taken identifier on the first screen and says so on the second, for a passkey', async () => {
    const { email } = await registerWithApi(profileFirst.frontend, uniqueEmail('two-step-hint'));
    const { post } = await browser(profileFirst);
    // As in Kratos, the profile screen validates the traits only: the collision shows when the
    // chosen credential creates the identity.
    const methods = await post({ method: 'profile', traits: { email } });
    expect(methods.status).toBe(400);
    expect(uiMessageIds(methods.flow)).toEqual([1040009]);

    const attestation = new SoftwareAuthenticator(TEST_RP.origins[0]!).create(creationOptions(methods.flow));
    const refused = await post({ traits: { email }, passkey_register: attestation });
    expect(refused.status).toBe(400);
    assertMatchesContract('registrationFlow', refused.flow);
    expect(refused.flow.ui.messages).toEqual([passwordHint(email)]);

    // The password on the same screen is answered alike.
    const password = await post({ method: 'password', traits: { email }, password: GOOD_PASSWORD });
    expect(password.status).toBe(400);
    expect(password.flow.ui.messages).toEqual([passwordHint(email)]);
    expect(await identitiesWith(profileFirst, email)).toBe(1);
  });
});

describe('login_hints off (the default)', () => {
  it('answers a passkey sign-up with a taken identifier with 4000007 only', async () => {
    const { email } = await registerWithApi(quiet.frontend, uniqueEmail('passkey-quiet'));
    const refused = await passkeySignUp(quiet, email);
    expect(refused.status).toBe(400);
    expect(refused.flow.ui.messages).toEqual([
      {
        id: 4000007,
        type: 'error',
        text: 'An account with the same identifier (email, phone, username, ...) exists already.',
      },
    ]);
    expect(await identitiesWith(quiet, email)).toBe(1);
  });
});
