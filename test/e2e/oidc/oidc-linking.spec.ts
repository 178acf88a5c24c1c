import type { LoginFlow, Session } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import {
  csrfTokenOf,
  fetchFlow,
  GOOD_PASSWORD,
  LOGIN_UI,
  postForm,
  registerWithApi,
  uniqueEmail,
} from '../../support/self-service.js';
import { clickProvider, CookieJar, type OidcWorld, startOidcWorld } from './oidc-support.js';

let world: OidcWorld;

beforeAll(async () => {
  world = await startOidcWorld([
    { id: 'acme', label: 'Acme', client: 0 },
    { id: 'other', client: 1 },
  ]);
});

afterAll(async () => {
  await world?.stop();
});

const attrs = (flow: LoginFlow, name: string) =>
  flow.ui.nodes.filter((n) => (n.attributes as { name?: string }).name === name);

async function oidcIdentifiersOf(email: string): Promise<string[]> {
  const list = await fetch(
    `${world.server.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`,
  );
  const [identity] = (await list.json()) as { id: string }[];
  const full = await fetch(`${world.server.adminUrl}/admin/identities/${identity!.id}`);
  const body = (await full.json()) as { credentials: Record<string, { identifiers: string[] }> };
  return body.credentials['oidc']?.identifiers ?? [];
}

/** An OIDC sign-up with an email a password account has: the linking login flow it ends on. */
async function conflictingSignUp(jar: CookieJar, email: string, sub: string): Promise<string> {
  world.idp.addAccount(sub, { email, email_verified: true });
  const { authorizationUrl } = await clickProvider(world, jar, 'registration', 'acme');
  const callback = await jar.fetch(await world.idp.authorize(authorizationUrl, { sub }), {
    headers: { Accept: 'text/html' },
  });
  expect(callback.status).toBe(303);
  const location = new URL(callback.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(LOGIN_UI);
  expect(location.searchParams.get('no_org_ui')).toBe('true');
  expect(jar.get('ory_kratos_session')).toBeUndefined();
  return location.searchParams.get('flow')!;
}

describe('oidc: linking to an account that has the identifier already', () => {
  it('holds the credential on a login flow (1010016) and links it once the owner signs in', async () => {
    const email = uniqueEmail('linked');
    await registerWithApi(world.server.frontend, email);
    const sub = `link-${Date.now()}`;
    const jar = new CookieJar();
    const flowId = await conflictingSignUp(jar, email, sub);

    const { body } = await fetchFlow(jar, world.publicUrl, 'login', flowId);
    assertMatchesContract('loginFlow', body);
    const flow = body as unknown as LoginFlow;
    expect(flow.ui.messages).toHaveLength(1);
    expect(flow.ui.messages![0]).toMatchObject({
      id: 1010016,
      type: 'info',
      context: expect.objectContaining({
        duplicate_identifier: email,
        duplicateIdentifier: email,
        provider: 'Acme',
        // Without `login_hints` Kratos tells nothing about how the account signs in.
        available_credential_types: [],
        available_providers: [],
      }),
    });
    expect(flow.ui.messages![0]!.text).toContain(`"${email}" at "Acme"`);
    expect(attrs(flow, 'identifier')[0]!.attributes).toMatchObject({ type: 'hidden', value: email });
    const buttons = attrs(flow, 'provider');
    expect(buttons.map((n) => (n.attributes as { value: string }).value)).toEqual(['other']);
    expect(buttons[0]!.meta.label).toMatchObject({ id: 1010018, text: 'Confirm with other' });
    const submit = attrs(flow, 'method').find(
      (n) => (n.attributes as { value?: string }).value === 'password',
    );
    expect(submit?.meta.label).toMatchObject({ id: 1010017 });

    // A wrong password links nothing.
    const wrong = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      identifier: email,
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(303);
    expect(await oidcIdentifiersOf(email)).toEqual([]);

    const right = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      identifier: email,
      password: GOOD_PASSWORD,
    });
    expect(right.status).toBe(303);
    const whoami = await jar.fetch(`${world.publicUrl}/sessions/whoami`, {
      headers: { Accept: 'application/json' },
    });
    const session = (await whoami.json()) as Session;
    expect(session.authentication_methods?.map((m) => [m.method, m.provider])).toEqual([
      ['password', undefined],
      ['oidc', 'acme'],
    ]);
    expect(await oidcIdentifiersOf(email)).toEqual([`acme:${sub}`]);

    // From now on the provider signs in to that same account.
    const next = new CookieJar();
    const again = await clickProvider(world, next, 'login', 'acme');
    const callback = await next.fetch(await world.idp.authorize(again.authorizationUrl, { sub }), {
      headers: { Accept: 'text/html' },
    });
    expect(callback.status).toBe(303);
    const second = await next.fetch(`${world.publicUrl}/sessions/whoami`, {
      headers: { Accept: 'application/json' },
    });
    expect(((await second.json()) as Session).identity?.id).toBe(session.identity?.id);
  });

  it('another account signing in on the linking flow gets 4010009 and links nothing', async () => {
    const email = uniqueEmail('victim');
    const intruder = uniqueEmail('intruder');
    await registerWithApi(world.server.frontend, email);
    await registerWithApi(world.server.frontend, intruder);
    const jar = new CookieJar();
    const flowId = await conflictingSignUp(jar, email, `mismatch-${Date.now()}`);
    const { body } = await fetchFlow(jar, world.publicUrl, 'login', flowId);
    const flow = body as unknown as LoginFlow;
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      identifier: intruder,
      password: GOOD_PASSWORD,
    });
    expect(response.status).toBe(303);
    expect(jar.get('ory_kratos_session')).toBeUndefined();
    const { body: after } = await fetchFlow(jar, world.publicUrl, 'login', flowId);
    expect((after as unknown as LoginFlow).ui.messages?.map((m) => m.id)).toContain(4010009);
    expect(await oidcIdentifiersOf(intruder)).toEqual([]);
    expect(await oidcIdentifiersOf(email)).toEqual([]);
  });
});
