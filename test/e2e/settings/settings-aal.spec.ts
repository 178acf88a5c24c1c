import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserWithSession,
  expectError,
  registerWithApi,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { initBrowserSettings, settingsFlowOf, startServerWithSecondFactors } from './settings-support.js';

// selfservice.flows.settings.required_aal: an identity with a second factor changes its settings
// only from a session that used it (highest_available, the default), unless set to aal1.

let strict: Awaited<ReturnType<typeof startServerWithSecondFactors>>;
let relaxed: Awaited<ReturnType<typeof startServerWithSecondFactors>>;

beforeAll(async () => {
  [strict, relaxed] = await Promise.all([
    startServerWithSecondFactors(),
    startServerWithSecondFactors({ SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL: 'aal1' }),
  ]);
});

afterAll(async () => {
  await Promise.all([strict?.server.stop(), relaxed?.server.stop()]);
});

function expectAal2Login(server: FlowServer, url: string, returnTo: string): void {
  const target = new URL(url);
  expect(`${target.origin}${target.pathname}`).toBe(`${server.publicUrl}/self-service/login/browser`);
  expect(target.searchParams.get('aal')).toBe('aal2');
  expect(target.searchParams.get('return_to')).toBe(returnTo);
}

describe('required_aal highest_available', () => {
  it('lets an identity without a second factor use settings at aal1', async () => {
    const user = await registerWithApi(strict.server.frontend, uniqueEmail('single'));
    const created = await strict.server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    expect(created.status).toBe(200);
  });

  it('refuses an aal1 session of an identity with TOTP: create, get and submit', async () => {
    const { frontend, publicUrl } = strict.server;
    const user = await registerWithApi(frontend, uniqueEmail('twofactor'));
    const { data: flow } = await frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    strict.addTotp(user.identity.id);

    const created = await frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const envelope = expectError(created, 403, 'session_aal2_required');
    expectAal2Login(
      strict.server,
      envelope['redirect_browser_to'] as string,
      `${publicUrl}/self-service/settings/api`,
    );
    expect((envelope.error.details as Record<string, unknown>)['redirect_browser_to']).toBe(
      envelope['redirect_browser_to'],
    );

    const read = await frontend.getSettingsFlow({ id: flow.id, xSessionToken: user.token });
    const readEnvelope = expectError(read, 403, 'session_aal2_required');
    expectAal2Login(
      strict.server,
      readEnvelope['redirect_browser_to'] as string,
      `${publicUrl}/self-service/settings?flow=${flow.id}`,
    );
    const submitted = await frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'profile', traits: { email: user.email, name: { first: 'X' } } },
    });
    expectError(submitted, 403, 'session_aal2_required');
    // whoami (session.whoami.required_aal, highest_available by default) wants aal2 as well.
    expectError(await frontend.toSession({ xSessionToken: user.token }), 403, 'session_aal2_required');
  });

  it('sends a browser to the second-factor login, and an SPA gets the 403', async () => {
    const { publicUrl } = strict.server;
    const { jar } = await browserWithSession(publicUrl, uniqueEmail('twofactor-browser'));
    const whoami = await jar.fetch(`${publicUrl}/sessions/whoami`, {
      headers: { Accept: 'application/json' },
    });
    const identityId = ((await whoami.json()) as { identity: { id: string } }).identity.id;
    strict.addTotp(identityId);

    const { response } = await initBrowserSettings(jar, publicUrl);
    expect(response.status).toBe(303);
    expectAal2Login(
      strict.server,
      response.headers.get('location')!,
      `${publicUrl}/self-service/settings/browser`,
    );
    const spa = await jar.fetch(`${publicUrl}/self-service/settings/browser`, {
      headers: { Accept: 'application/json' },
    });
    expectError(spa, 403, 'session_aal2_required', await spa.json());
  });
});

describe('required_aal aal1', () => {
  it('lets an aal1 session of an identity with TOTP change its settings', async () => {
    const { frontend } = relaxed.server;
    const user = await registerWithApi(frontend, uniqueEmail('relaxed'));
    relaxed.addTotp(user.identity.id);
    const created = await frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    expect(created.status, JSON.stringify(created.data)).toBe(200);
    const saved = await frontend.updateSettingsFlow({
      flow: created.data.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'profile', traits: { email: user.email, name: { first: 'Y' } } },
    });
    expect(saved.status, JSON.stringify(saved.data)).toBe(200);
    expect(settingsFlowOf(saved.data).state).toBe('success');
  });
});
