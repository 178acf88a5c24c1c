import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  browserWithSession,
  csrfTokenOf,
  loginWithApi,
  postForm,
  sleep,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import {
  browserSettingsFlow,
  SETTINGS_UI,
  signInOnRefreshLogin,
  startSettingsServer,
} from './settings-support.js';

// A privileged change held across a refresh login is bound to the browser that submitted it by
// Kratos' `ory_kratos_continuity` cookie: another browser with the same session cookie (an
// attacker's copy, or the victim the attacker sends the refresh link to) never applies it.

const MAX_AGE_MS = 2_000;
// The short-lived server's flows (and so what they hold) lapse before a fresh sign-in does.
const SHORT_LIFESPAN_S = 3;
const SHORT_MAX_AGE_MS = 5_000;
const ATTACKER_PASSWORD = 'Copper-Kettle-Window-91';
const SECOND_PASSWORD = 'Granite-Meadow-Violin-27';
const CONTINUITY = 'ory_kratos_continuity';

let server: FlowServer;
let shortLived: FlowServer;

beforeAll(async () => {
  [server, shortLived] = await Promise.all([
    startSettingsServer({ SELFSERVICE_FLOWS_SETTINGS_PRIVILEGED_SESSION_MAX_AGE: `${MAX_AGE_MS}ms` }),
    startSettingsServer({
      SELFSERVICE_FLOWS_SETTINGS_PRIVILEGED_SESSION_MAX_AGE: `${SHORT_MAX_AGE_MS}ms`,
      SELFSERVICE_FLOWS_SETTINGS_LIFESPAN: `${SHORT_LIFESPAN_S}s`,
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.stop(), shortLived?.stop()]);
});

const waitOutPrivilege = () => sleep(MAX_AGE_MS + 300);
const html = { Accept: 'text/html' };

async function passwordWorks(on: FlowServer, email: string, password: string): Promise<boolean> {
  return (await loginWithApi(on.frontend, email, password)).status === 200;
}

/** Submits a new password on an old session: the refresh-login URL it is sent to. */
async function submitHeld(jar: CookieJar, action: string, csrf: string, password: string): Promise<string> {
  const refused = await postForm(jar, action, { csrf_token: csrf, method: 'password', password });
  expect(refused.status).toBe(303);
  const target = new URL(refused.headers.get('location')!);
  expect(target.searchParams.get('refresh')).toBe('true');
  return target.href;
}

/** Follows a refresh-login URL and signs in again: the resume URL it is sent back to. */
async function signInAgain(
  on: FlowServer,
  jar: CookieJar,
  refreshUrl: string,
  email: string,
  password: string,
) {
  const toLogin = await jar.fetch(refreshUrl, { headers: html });
  expect(toLogin.status).toBe(303);
  const loginId = new URL(toLogin.headers.get('location')!).searchParams.get('flow')!;
  return signInOnRefreshLogin(jar, on.publicUrl, loginId, email, password);
}

/** A browser coming back to the flow: always on to the settings UI, with or without a change applied. */
async function comeBack(jar: CookieJar, resumeUrl: string, flowId: string, cookie?: string): Promise<void> {
  const back = await jar.fetch(resumeUrl, { headers: cookie ? { ...html, cookie } : html });
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flowId}`);
}

describe('a settings change held for a refresh login', () => {
  it('submitted with a stolen session cookie, is not applied when the victim signs in again', async () => {
    const {
      jar: victim,
      email,
      password,
    } = await browserWithSession(server.publicUrl, uniqueEmail('victim'));
    const attacker = new CookieJar();
    attacker.store([`ory_kratos_session=${victim.get('ory_kratos_session')}`]);
    await waitOutPrivilege();

    const flow = await browserSettingsFlow(attacker, server.publicUrl);
    const refreshUrl = await submitHeld(attacker, flow.ui.action, csrfTokenOf(flow), ATTACKER_PASSWORD);
    expect(attacker.get(CONTINUITY)).toBeTruthy();
    const cookie = attacker.lastSetCookie(CONTINUITY)!;
    expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    expect(Number(cookie.attributes['max-age'])).toBeGreaterThan(0);
    expect(Number(cookie.attributes['max-age'])).toBeLessThanOrEqual(15 * 60);

    // The attacker sends the refresh link to the victim, who signs in again in their own browser.
    const resumeUrl = await signInAgain(server, victim, refreshUrl, email, password);
    expect(victim.get(CONTINUITY)).toBeUndefined();
    await comeBack(victim, resumeUrl, flow.id);
    expect(await passwordWorks(server, email, password)).toBe(true);
    expect(await passwordWorks(server, email, ATTACKER_PASSWORD)).toBe(false);

    // The victim's return spent the held change: the attacker's cookie now applies nothing either.
    await comeBack(attacker, resumeUrl, flow.id);
    expect(await passwordWorks(server, email, password)).toBe(true);
    expect(await passwordWorks(server, email, ATTACKER_PASSWORD)).toBe(false);
  });

  it('is applied once in the browser that submitted it; its cookie replayed later applies nothing', async () => {
    const { jar, email, password } = await browserWithSession(server.publicUrl, uniqueEmail('held-once'));
    await waitOutPrivilege();
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const refreshUrl = await submitHeld(jar, flow.ui.action, csrfTokenOf(flow), ATTACKER_PASSWORD);
    const replay = jar.copy();
    const resumeUrl = await signInAgain(server, jar, refreshUrl, email, password);
    await comeBack(jar, resumeUrl, flow.id);
    expect(jar.get(CONTINUITY)).toBeUndefined();
    expect(await passwordWorks(server, email, ATTACKER_PASSWORD)).toBe(true);

    // A second change held on the same flow; the first change's cookie does not unlock it.
    await waitOutPrivilege();
    const secondRefresh = await submitHeld(jar, flow.ui.action, csrfTokenOf(flow), SECOND_PASSWORD);
    await signInAgain(server, replay, secondRefresh, email, ATTACKER_PASSWORD);
    expect(replay.get(CONTINUITY)).toBeTruthy();
    await comeBack(replay, resumeUrl, flow.id);
    expect(await passwordWorks(server, email, ATTACKER_PASSWORD)).toBe(true);
    expect(await passwordWorks(server, email, SECOND_PASSWORD)).toBe(false);
  });

  it('expires: a browser back after its continuity lapsed applies nothing', async () => {
    const on = shortLived;
    const { jar, email, password } = await browserWithSession(on.publicUrl, uniqueEmail('held-expired'));
    await sleep(SHORT_MAX_AGE_MS + 300);
    const flow = await browserSettingsFlow(jar, on.publicUrl);
    const refreshUrl = await submitHeld(jar, flow.ui.action, csrfTokenOf(flow), ATTACKER_PASSWORD);
    const maxAge = Number(jar.lastSetCookie(CONTINUITY)!.attributes['max-age']);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(SHORT_LIFESPAN_S);
    const stale = `${CONTINUITY}=${jar.get(CONTINUITY)}`;
    const resumeUrl = await signInAgain(on, jar, refreshUrl, email, password);
    await sleep(Math.max(maxAge * 1000, Date.parse(flow.expires_at) - Date.now()) + 300);
    expect(jar.get(CONTINUITY)).toBeUndefined();
    // Even a browser that keeps the cookie past its Max-Age gets nothing applied.
    await comeBack(jar, resumeUrl, flow.id, `${jar.header()}; ${stale}`);
    expect(await passwordWorks(on, email, password)).toBe(true);
    expect(await passwordWorks(on, email, ATTACKER_PASSWORD)).toBe(false);
  });
});
