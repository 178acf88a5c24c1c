import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretCipher } from '../../../libs/hash/index.js';
import { OidcStateCipher } from '../../../libs/strategies/oidc/index.js';
import { assertMatchesContract } from '../../support/contract.js';
import {
  ALLOWED_RETURN_URL,
  assertSuccessfulNativeLogin,
  ERROR_UI,
  registerWithApi,
  uniqueEmail,
} from '../../support/self-service.js';
import { type OidcWorld, startOidcWorld } from './oidc-support.js';

const CIPHER_SECRET = 'e2e-exchange-cipher-0123456789ab';

let world: OidcWorld;

beforeAll(async () => {
  world = await startOidcWorld(undefined, { SECRETS_CIPHER: JSON.stringify([CIPHER_SECRET]) });
});

afterAll(async () => {
  await world?.stop();
});

type Kind = 'login' | 'registration';

interface NativeFlow {
  id: string;
  initCode: string;
  body: Record<string, unknown>;
}

/** The app opens an API flow asking for an exchange code, with its own return URL. */
async function nativeFlow(kind: Kind, exchange = true): Promise<NativeFlow> {
  const query = new URLSearchParams({ return_to: ALLOWED_RETURN_URL });
  if (exchange) query.set('return_session_token_exchange_code', 'true');
  const response = await fetch(`${world.publicUrl}/self-service/${kind}/api?${query.toString()}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as Record<string, unknown>;
  assertMatchesContract(kind === 'login' ? 'loginFlow' : 'registrationFlow', body);
  return { id: body['id'] as string, initCode: body['session_token_exchange_code'] as string, body };
}

/** The app submits `oidc` as JSON: 422 with the URL to open in the system browser. */
async function startOidc(kind: Kind, flowId: string, provider = 'acme'): Promise<string> {
  const response = await fetch(`${world.publicUrl}/self-service/${kind}?flow=${flowId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ method: 'oidc', provider }),
  });
  expect(response.status).toBe(422);
  const body = (await response.json()) as { error: { id: string }; redirect_browser_to: string };
  expect(body.error.id).toBe('browser_location_change_required');
  return body.redirect_browser_to;
}

/** The system browser: sign in at the provider, then open the callback without any Tessera cookie. */
async function systemBrowser(authorizationUrl: string, sub: string): Promise<Response> {
  const callbackUrl = await world.idp.authorize(authorizationUrl, { sub });
  return fetch(callbackUrl, { redirect: 'manual', headers: { accept: 'text/html' } });
}

function exchange(query: Record<string, string>): Promise<Response> {
  return fetch(`${world.publicUrl}/sessions/token-exchange?${new URLSearchParams(query).toString()}`);
}

/** The whole native round trip up to the redirect to the app; returns the flow and the redirect. */
async function nativeSignIn(kind: Kind, sub: string): Promise<{ flow: NativeFlow; location: URL }> {
  const flow = await nativeFlow(kind);
  const callback = await systemBrowser(await startOidc(kind, flow.id), sub);
  expect(callback.status).toBe(303);
  expect(callback.headers.getSetCookie().some((c) => c.startsWith('ory_kratos_session='))).toBe(false);
  return { flow, location: new URL(callback.headers.get('location')!) };
}

const appUrl = (location: URL) => `${location.origin}${location.pathname}`;

describe('oidc: the native app session-token exchange', () => {
  it('shows the init code only when asked, only on the API flow it creates', async () => {
    const flow = await nativeFlow('login');
    expect(flow.initCode).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const plain = await nativeFlow('registration', false);
    expect(plain.body).not.toHaveProperty('session_token_exchange_code');
    const again = await fetch(`${world.publicUrl}/self-service/login/flows?id=${flow.id}`);
    expect(await again.json()).not.toHaveProperty('session_token_exchange_code');
  });

  it('signs a new user up from a native login flow and hands the session token over once', async () => {
    const sub = `native-${Date.now()}`;
    const email = uniqueEmail('native');
    world.idp.addAccount(sub, { email, email_verified: true });
    // Unknown subject: the login flow converts into a registration flow, the exchange moves along.
    const { flow, location } = await nativeSignIn('login', sub);
    expect(appUrl(location)).toBe(ALLOWED_RETURN_URL);
    const code = location.searchParams.get('code');
    expect(code).toBeTruthy();

    const exchanged = await exchange({ init_code: flow.initCode, return_to_code: code! });
    expect(exchanged.status).toBe(200);
    const body = (await exchanged.json()) as {
      session_token: string;
      session: { identity: { traits: { email: string } } };
    };
    assertSuccessfulNativeLogin(body);
    expect(body.session.identity.traits.email).toBe(email);
    const whoami = await fetch(`${world.publicUrl}/sessions/whoami`, {
      headers: { 'X-Session-Token': body.session_token },
    });
    expect(whoami.status).toBe(200);

    const twice = await exchange({ init_code: flow.initCode, return_to_code: code! });
    expect(twice.status).toBe(404);
    expect(((await twice.json()) as { error: { code: number } }).error.code).toBe(404);
  });

  it('signs a known user in from a native registration flow (registration → login), via the SDK', async () => {
    const sub = `known-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('known'), email_verified: true });
    const first = await nativeSignIn('registration', sub);
    const firstCode = first.location.searchParams.get('code')!;
    const signedUp = await world.server.frontend.exchangeSessionToken({
      initCode: first.flow.initCode,
      returnToCode: firstCode,
    });
    expect(signedUp.status).toBe(200);

    const { flow, location } = await nativeSignIn('registration', sub);
    const code = location.searchParams.get('code')!;
    expect(code).not.toBe(firstCode);
    const signedIn = await world.server.frontend.exchangeSessionToken({
      initCode: flow.initCode,
      returnToCode: code,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.data.session.identity!.id).toBe(signedUp.data.session.identity!.id);
    expect(signedIn.data.session_token).not.toBe(signedUp.data.session_token);
  });

  it('refuses a wrong init code (404) without spending the exchange', async () => {
    const sub = `wrong-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('wrong') });
    const { flow, location } = await nativeSignIn('login', sub);
    const code = location.searchParams.get('code')!;
    const other = await nativeFlow('login');
    expect((await exchange({ init_code: other.initCode, return_to_code: code })).status).toBe(404);
    expect((await exchange({ init_code: flow.initCode, return_to_code: `${code}x` })).status).toBe(404);
    expect((await exchange({ init_code: code, return_to_code: flow.initCode })).status).toBe(404);
    expect((await exchange({ init_code: flow.initCode, return_to_code: code })).status).toBe(200);
  });

  it('needs both parameters (400)', async () => {
    const queries: Record<string, string>[] = [
      { init_code: 'a' },
      { return_to_code: 'b' },
      {},
      { init_code: '', return_to_code: 'b' },
      { 'init_code[a]': 'x', return_to_code: 'b' },
    ];
    for (const query of queries) {
      const response = await exchange(query);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: number } };
      expect(body.error.code).toBe(400);
    }
  });

  it('has no session to give before the callback (404)', async () => {
    const flow = await nativeFlow('login');
    await startOidc('login', flow.id);
    const early = await exchange({
      init_code: flow.initCode,
      return_to_code: randomBytes(32).toString('base64url'),
    });
    expect(early.status).toBe(404);
  });

  it("refuses a state whose init-code hash is another flow's: an error, never a session", async () => {
    const victim = await nativeFlow('login');
    const attacker = await nativeFlow('login');
    const authorizationUrl = new URL(await startOidc('login', victim.id));
    // Re-seal the victim's state with the attacker's init-code hash (possible only with the key).
    const cipher = new OidcStateCipher(new SecretCipher([CIPHER_SECRET]));
    const state = cipher.open(authorizationUrl.searchParams.get('state')!)!;
    expect(state.flowId).toBe(victim.id);
    const forged = {
      ...state,
      initCodeHash: createHash('sha512').update(attacker.initCode).digest('base64url'),
    };
    authorizationUrl.searchParams.set('state', cipher.seal(forged));
    const sub = `forged-${Date.now()}`;
    const email = uniqueEmail('forged');
    world.idp.addAccount(sub, { email });
    const callback = await systemBrowser(authorizationUrl.href, sub);
    expect(callback.status).toBe(303);
    const location = new URL(callback.headers.get('location')!);
    expect(appUrl(location)).toBe(ERROR_UI);
    expect(location.searchParams.has('code')).toBe(false);
    expect(callback.headers.getSetCookie().some((c) => c.startsWith('ory_kratos_session='))).toBe(false);
    const error = await fetch(`${world.publicUrl}/self-service/errors?id=${location.searchParams.get('id')}`);
    const stored = (await error.json()) as { error: { code: number; reason: string } };
    expect(stored.error.code).toBe(400);
    expect(stored.error.reason).toMatch(/session token exchange/);
    const identities = await fetch(
      `${world.server.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`,
    );
    expect(await identities.json()).toEqual([]);
  });

  it('sends the app back to return_to with the login flow when the account needs linking', async () => {
    const email = uniqueEmail('linking');
    await registerWithApi(world.server.frontend, email);
    const sub = `linking-${Date.now()}`;
    world.idp.addAccount(sub, { email, email_verified: true });
    const { flow, location } = await nativeSignIn('registration', sub);
    expect(appUrl(location)).toBe(ALLOWED_RETURN_URL);
    expect(location.searchParams.has('code')).toBe(false);
    const loginId = location.searchParams.get('flow')!;
    const login = await fetch(`${world.publicUrl}/self-service/login/flows?id=${loginId}`);
    expect(
      ((await login.json()) as { ui: { messages: { id: number }[] } }).ui.messages.map((m) => m.id),
    ).toContain(1010016);
    expect((await exchange({ init_code: flow.initCode, return_to_code: 'none' })).status).toBe(404);
  });

  it('sends a provider error back to return_to, without a code', async () => {
    const flow = await nativeFlow('login');
    const callbackUrl = await world.idp.authorize(await startOidc('login', flow.id), { deny: true });
    const callback = await fetch(callbackUrl, { redirect: 'manual' });
    expect(callback.status).toBe(303);
    const location = new URL(callback.headers.get('location')!);
    expect(appUrl(location)).toBe(ALLOWED_RETURN_URL);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('keeps the cookie continuity for API flows without an exchange code', async () => {
    const flow = await nativeFlow('login', false);
    const sub = `plain-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('plain') });
    const callback = await systemBrowser(await startOidc('login', flow.id), sub);
    expect(callback.status).toBe(303);
    const location = new URL(callback.headers.get('location')!);
    expect(appUrl(location)).toBe(ERROR_UI);
    const error = await fetch(`${world.publicUrl}/self-service/errors?id=${location.searchParams.get('id')}`);
    expect(((await error.json()) as { error: { reason: string } }).error.reason).toBe(
      'no resumable session found',
    );
  });
});
