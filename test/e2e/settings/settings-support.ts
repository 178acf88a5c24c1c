import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SettingsFlow } from '@ory/kratos-client';
import Sqlite from 'better-sqlite3';
import { expect } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { type CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  fetchFlow,
  postForm,
  startFlowServer,
  UI_BASE,
  type FlowServer,
} from '../../support/self-service.js';

export const SETTINGS_UI = `${UI_BASE}/settings`;

/** A FlowServer with the settings UI configured; `env` adds or overrides settings. */
export function startSettingsServer(env: Record<string, string> = {}): Promise<FlowServer> {
  return startFlowServer({ SELFSERVICE_FLOWS_SETTINGS_UI_URL: SETTINGS_UI, ...env });
}

/** A settings flow body as the contract describes it; returned typed. */
export function settingsFlowOf(body: unknown): SettingsFlow {
  assertMatchesContract('settingsFlow', body);
  return body as SettingsFlow;
}

/** A browser following a link to /self-service/settings/browser: the 303 and the new flow id. */
export async function initBrowserSettings(
  jar: CookieJar,
  publicUrl: string,
  query: Record<string, string> = {},
): Promise<{ response: Response; flowId: string }> {
  const url = new URL(`${publicUrl}/self-service/settings/browser`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const response = await jar.fetch(url, { headers: { Accept: 'text/html' } });
  const location = response.headers.get('location') ?? '';
  return { response, flowId: new URL(location, publicUrl).searchParams.get('flow') ?? '' };
}

/** What the settings UI does: fetch the flow with the browser's cookies. */
export async function fetchSettingsFlow(
  jar: CookieJar,
  publicUrl: string,
  id: string,
): Promise<{ response: Response; body: Record<string, unknown> }> {
  const response = await jar.fetch(`${publicUrl}/self-service/settings/flows?id=${encodeURIComponent(id)}`, {
    headers: { Accept: 'application/json' },
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

/** A browser's settings flow, read the way its UI reads it. */
export async function browserSettingsFlow(jar: CookieJar, publicUrl: string): Promise<SettingsFlow> {
  const { response, flowId } = await initBrowserSettings(jar, publicUrl);
  expect(response.status).toBe(303);
  const { response: read, body } = await fetchSettingsFlow(jar, publicUrl, flowId);
  expect(read.status, JSON.stringify(body)).toBe(200);
  return settingsFlowOf(body);
}

/**
 * A settings server on an SQLite file the test can write to, and a way to give an identity a
 * second factor behind the server's back: TOTP credentials cannot be imported through the admin
 * API, so a `totp` credential row is inserted directly (its secret is never used here). The
 * server cannot see that write, so its session cache (which holds the identity's second factors
 * and is told of every change made through Tessera) is off.
 */
export async function startServerWithSecondFactors(
  env: Record<string, string> = {},
): Promise<{ server: FlowServer; addTotp(identityId: string): void }> {
  const file = join(mkdtempSync(join(tmpdir(), 'tessera-settings-')), 'db.sqlite');
  const server = await startSettingsServer({
    DSN: `sqlite://${file}`,
    SESSION_WHOAMI_CACHE_TTL: '0s',
    ...env,
  });
  return {
    server,
    addTotp(identityId: string) {
      const db = new Sqlite(file);
      try {
        const inserted = db
          .prepare(
            `INSERT INTO identity_credentials (id, identity_id, type, config, version, created_at, updated_at)
             SELECT ?, identity_id, 'totp', ?, 0, created_at, updated_at
             FROM identity_credentials WHERE identity_id = ? AND type = 'password'`,
          )
          .run(
            randomUUID(),
            JSON.stringify({
              totp_url: 'otpauth://totp/Tessera:test?secret=JBSWY3DPEHPK3PXP&issuer=Tessera',
            }),
            identityId,
          );
        expect(inserted.changes).toBe(1);
      } finally {
        db.close();
      }
    },
  };
}

/**
 * Signs in again on the refresh login flow `loginId` (it must say `refresh`) with the password:
 * the 303's location, where the browser is sent back to.
 */
export async function signInOnRefreshLogin(
  jar: CookieJar,
  publicUrl: string,
  loginId: string,
  email: string,
  password: string,
): Promise<string> {
  const { body: login } = await fetchFlow(jar, publicUrl, 'login', loginId);
  expect(login['refresh']).toBe(true);
  const signedIn = await postForm(jar, (login as { ui: { action: string } }).ui.action, {
    csrf_token: csrfTokenOf(login as never),
    method: 'password',
    identifier: email,
    password,
  });
  expect(signedIn.status).toBe(303);
  return signedIn.headers.get('location')!;
}

/** A browser's profile change to a new address through a new settings flow: that flow and the 303. */
export async function changeAddressInSettings(
  jar: CookieJar,
  publicUrl: string,
  email: string,
): Promise<{ flow: SettingsFlow; response: Response }> {
  const flow = await browserSettingsFlow(jar, publicUrl);
  const response = await postForm(jar, flow.ui.action, {
    csrf_token: csrfTokenOf(flow),
    method: 'profile',
    'traits.email': email,
  });
  expect(response.status).toBe(303);
  return { flow, response };
}
