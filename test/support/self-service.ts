import { randomBytes } from 'node:crypto';
import {
  Configuration,
  FrontendApi,
  IdentityApi,
  type Identity,
  type LoginFlow,
  type RegistrationFlow,
  type Session,
  type UiNode,
  type UiText,
} from '@ory/kratos-client';
import type { AxiosResponse } from 'axios';
import { expect } from 'vitest';
import { assertMatchesContract } from './contract.js';
import { CookieJar } from './cookie-jar.js';
import { startPwnedRangeServer, type PwnedRangeServer } from './pwned-range-server.js';
import { startTessera, type TesseraProcess } from './tessera-process.js';

export const UI_BASE = 'http://127.0.0.1:4455';
export const LOGIN_UI = `${UI_BASE}/login`;
export const REGISTRATION_UI = `${UI_BASE}/registration`;
export const ERROR_UI = `${UI_BASE}/error`;
export const DEFAULT_RETURN_URL = 'https://app.example/welcome';
export const ALLOWED_RETURN_URL = 'https://app.example/ok';

/** A password no range answer lists and unlike any test e-mail address. */
export const GOOD_PASSWORD = 'Quartz-Lantern-Orbit-73';
/** Listed by every FlowServer's range server, 3861 times. */
export const BREACHED_PASSWORD = 'Sunflower-Breach-2019';
export const BREACH_COUNT = 3861;

export interface FlowServer {
  tessera: TesseraProcess;
  pwned: PwnedRangeServer;
  publicUrl: string;
  adminUrl: string;
  frontend: FrontendApi;
  identities: IdentityApi;
  stop(): Promise<void>;
}

/**
 * A real Tessera with UI URLs, return-URL rules and a local breach database configured the way
 * the self-service tests expect; `env` adds or overrides settings.
 */
export async function startFlowServer(env: Record<string, string> = {}): Promise<FlowServer> {
  const pwned = await startPwnedRangeServer({ [BREACHED_PASSWORD]: BREACH_COUNT });
  let tessera: TesseraProcess;
  try {
    tessera = await startTessera({
      env: {
        SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_HOST: pwned.host,
        SELFSERVICE_FLOWS_LOGIN_UI_URL: LOGIN_UI,
        SELFSERVICE_FLOWS_REGISTRATION_UI_URL: REGISTRATION_UI,
        SELFSERVICE_FLOWS_ERROR_UI_URL: ERROR_UI,
        SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: DEFAULT_RETURN_URL,
        SELFSERVICE_ALLOWED_RETURN_URLS: ALLOWED_RETURN_URL,
        ...env,
      },
    });
  } catch (error) {
    await pwned.close();
    throw error;
  }
  return {
    tessera,
    pwned,
    publicUrl: tessera.publicUrl,
    adminUrl: tessera.adminUrl,
    frontend: frontendApi(tessera.publicUrl),
    identities: identityApi(tessera.adminUrl),
    async stop() {
      await tessera.stop();
      await pwned.close();
    },
  };
}

/** The SDK as an app uses it, except that no status throws: tests assert every status. */
export function frontendApi(basePath: string): FrontendApi {
  return new FrontendApi(
    new Configuration({ basePath, baseOptions: { validateStatus: () => true, maxRedirects: 0 } }),
  );
}

export function identityApi(basePath: string): IdentityApi {
  return new IdentityApi(
    new Configuration({ basePath, baseOptions: { validateStatus: () => true, maxRedirects: 0 } }),
  );
}

export const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.org`;

/** An axios body typed as what the test expects it to be (error bodies are not the success type). */
export const bodyOf = <T = Record<string, unknown>>(response: AxiosResponse<unknown>): T =>
  response.data as T;

export interface ErrorEnvelope {
  error: { id?: string; code: number; status?: string; reason?: string; message: string; details?: unknown };
  [sibling: string]: unknown;
}

/** Asserts status and the contract's error envelope; returns the envelope. */
export function expectError(
  response: { status: number; data?: unknown },
  status: number,
  id?: string,
  body?: unknown,
): ErrorEnvelope {
  const data = (body ?? response.data) as ErrorEnvelope;
  expect(response.status, JSON.stringify(data)).toBe(status);
  assertMatchesContract('errorGeneric', data);
  expect(data.error.code).toBe(status);
  if (id !== undefined) expect(data.error.id).toBe(id);
  return data;
}

export interface Registered {
  email: string;
  password: string;
  token: string;
  session: Session;
  identity: Identity;
}

/**
 * `successfulNativeLogin`, also in the form Kratos itself sends: its API login answer may carry
 * `continue_with: null` (a nil Go slice, reference §3.5) where the contract declares an array.
 */
export function assertSuccessfulNativeLogin(body: unknown): void {
  const { continue_with, ...rest } = body as Record<string, unknown>;
  assertMatchesContract('successfulNativeLogin', continue_with === null ? rest : body);
}

/** Signs a new user up through a native registration flow. */
export async function registerWithApi(
  frontend: FrontendApi,
  email = uniqueEmail('user'),
  password = GOOD_PASSWORD,
): Promise<Registered> {
  const { data: flow } = await frontend.createNativeRegistrationFlow();
  const response = await frontend.updateRegistrationFlow({
    flow: flow.id,
    updateRegistrationFlowBody: { method: 'password', traits: { email }, password },
  });
  expect(response.status, JSON.stringify(response.data)).toBe(200);
  const { session_token, session, identity } = response.data;
  return { email, password, token: session_token!, session: session!, identity };
}

/** A native login; the response as it came, whatever its status. */
export async function loginWithApi(
  frontend: FrontendApi,
  identifier: unknown,
  password: unknown,
  options: { sessionToken?: string; headers?: Record<string, string> } = {},
): Promise<AxiosResponse<unknown>> {
  const { data: flow } = await frontend.createNativeLoginFlow();
  return frontend.updateLoginFlow(
    {
      flow: flow.id,
      updateLoginFlowBody: { method: 'password', identifier, password } as never,
      xSessionToken: options.sessionToken,
    },
    { headers: options.headers },
  );
}

type AnyFlow = Pick<LoginFlow | RegistrationFlow, 'ui'>;

export function nodeNamed(flow: AnyFlow, name: string): UiNode {
  const node = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === name);
  if (!node) throw new Error(`flow has no node named ${name}`);
  return node;
}

export const nodeValue = (flow: AnyFlow, name: string): unknown =>
  (nodeNamed(flow, name).attributes as { value?: unknown }).value;

export const nodeMessages = (flow: AnyFlow, name: string): UiText[] => nodeNamed(flow, name).messages;

export const uiMessageIds = (flow: AnyFlow): number[] => (flow.ui.messages ?? []).map((m) => m.id);

export const csrfTokenOf = (flow: AnyFlow) => String(nodeValue(flow, 'csrf_token'));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;

/**
 * A copy with what differs between runs replaced by placeholders — uuids, times, ports,
 * CSRF values, generated e-mail suffixes — so snapshots catch only wire drift.
 */
export function normalised<T>(value: T, publicUrl: string): T {
  const walk = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item));
    if (node && typeof node === 'object') {
      const object = node as Record<string, unknown>;
      const csrf = object['name'] === 'csrf_token' && typeof object['value'] === 'string';
      return Object.fromEntries(
        Object.entries(object).map(([k, v]) => [
          k,
          csrf && k === 'value' && v !== '' ? '<csrf_token>' : walk(v, k),
        ]),
      );
    }
    if (typeof node === 'string') {
      return node
        .replaceAll(publicUrl, '<public>')
        .replace(UUID, '<uuid>')
        .replace(TIMESTAMP, '<time>')
        .replace(/-[0-9a-f]{8}@example\.org/g, '-<random>@example.org');
    }
    if (typeof node === 'number' && key === 'expired_at_unix') return '<unix>';
    return node;
  };
  return walk(value) as T;
}

// ---- browsers -------------------------------------------------------------------------------

export type FlowKind = 'login' | 'registration';

/** A browser following a link to a flow's init endpoint; returns the 303 and the new flow id. */
export async function initBrowserFlow(
  jar: CookieJar,
  publicUrl: string,
  kind: FlowKind,
  query: Record<string, string> = {},
): Promise<{ response: Response; flowId: string }> {
  const url = new URL(`${publicUrl}/self-service/${kind}/browser`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const response = await jar.fetch(url, { headers: { Accept: 'text/html' } });
  const location = response.headers.get('location') ?? '';
  return { response, flowId: new URL(location, publicUrl).searchParams.get('flow') ?? '' };
}

/** What the login/registration UI does: fetch the flow JSON with the browser's cookies. */
export async function fetchFlow(
  jar: CookieJar,
  publicUrl: string,
  kind: FlowKind,
  id: string,
): Promise<{ response: Response; body: Record<string, unknown> }> {
  const response = await jar.fetch(`${publicUrl}/self-service/${kind}/flows?id=${encodeURIComponent(id)}`, {
    headers: { Accept: 'application/json' },
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

/** An HTML form post (application/x-www-form-urlencoded), as a server-rendered UI submits it. */
export function postForm(jar: CookieJar, action: string, fields: Record<string, string>): Promise<Response> {
  return jar.fetch(action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A SPA's fetch: JSON in, JSON out, with the browser's cookies. */
export function postJson(jar: CookieJar, action: string, body: unknown): Promise<Response> {
  return jar.fetch(action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A browser that signed up through the HTML form and now holds a session cookie. */
export async function browserWithSession(
  publicUrl: string,
  email = uniqueEmail('browser'),
  password = GOOD_PASSWORD,
): Promise<{ jar: CookieJar; email: string; password: string }> {
  const jar = new CookieJar();
  const { flowId } = await initBrowserFlow(jar, publicUrl, 'registration');
  const { body: flow } = await fetchFlow(jar, publicUrl, 'registration', flowId);
  const response = await postForm(jar, (flow as unknown as RegistrationFlow).ui.action, {
    csrf_token: csrfTokenOf(flow as unknown as RegistrationFlow),
    method: 'password',
    'traits.email': email,
    password,
  });
  expect(response.status).toBe(303);
  expect(jar.get('ory_kratos_session')).toBeTruthy();
  return { jar, email, password };
}

/**
 * Client addresses for X-Forwarded-For, a new one on every call (198.18.0.0/15, the benchmarking
 * range), so the per-address budget one test spends never leaks into another.
 */
export function clientAddresses(): () => string {
  let next = 0;
  return () => `198.18.${Math.floor(next / 250)}.${(next++ % 250) + 1}`;
}
