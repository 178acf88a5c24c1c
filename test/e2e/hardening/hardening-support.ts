import type { Identity, IdentityApi } from '@ory/kratos-client';
import { expect } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import type { CookieJar } from '../../support/cookie-jar.js';

// What the hardening specs share: raw submissions and the one rule every answer keeps.

export const BIG = 'x'.repeat(100 * 1024);

/** Wrong types a client may put in any field. */
export const WRONG_TYPES: [string, unknown][] = [
  ['a number', 42],
  ['an array', ['a', 'b']],
  ['an object', { $ne: null }],
  ['null', null],
  ['true', true],
  ['false', false],
];

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface SendOptions {
  contentType?: string;
  token?: string;
  jar?: CookieJar;
  method?: string;
  accept?: string;
}

/** Sends raw bytes (JSON by default) and reads the answer, JSON where it parses. */
export async function send(
  url: string,
  body: string | undefined,
  options: SendOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  if (options.token) headers['X-Session-Token'] = options.token;
  const init: RequestInit = {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: 'manual',
  };
  const response = options.jar ? await options.jar.fetch(url, init) : await fetch(url, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text, and refused by the checks below
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export const sendJson = (url: string, body: unknown, options: SendOptions = {}) =>
  send(url, JSON.stringify(body), options);

export const sendForm = (url: string, body: string, options: SendOptions = {}) =>
  send(url, body, { ...options, contentType: 'application/x-www-form-urlencoded' });

type FlowBody = { ui: { messages?: { id: number }[]; nodes: { messages: { id: number }[] }[] } };

/** Every message id a flow carries, on the form and on its nodes. */
export const allMessageIds = (flow: unknown): number[] => {
  const { ui } = flow as FlowBody;
  return [...(ui.messages ?? []), ...ui.nodes.flatMap((n) => n.messages)].map((m) => m.id);
};

/**
 * The rule: a 4xx, never a 5xx; a flow (valid against `flowSchema`) that carries a message when
 * it comes with a 400, or else the contract's error envelope with the status as its code.
 */
export function expectRefused(flowSchema: string, answer: Answer, what: string): Record<string, unknown> {
  const shown = `${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 600)}`;
  expect(answer.status, shown).toBeGreaterThanOrEqual(400);
  expect(answer.status, shown).toBeLessThan(500);
  const body = answer.body as Record<string, unknown>;
  expect(typeof body, shown).toBe('object');
  if (body && 'ui' in body) {
    assertMatchesContract(flowSchema, body);
    if (answer.status === 400) expect(allMessageIds(body).length, shown).toBeGreaterThan(0);
  } else {
    assertErrorEnvelope(body, answer.status);
  }
  return body;
}

/** The error envelope; siblings such as `redirect_browser_to` are checked apart (reference §4.2). */
export function assertErrorEnvelope(body: Record<string, unknown>, status: number): void {
  assertMatchesContract('errorGeneric', { error: body['error'] });
  expect((body['error'] as { code: number }).code).toBe(status);
}

/** A 400 flow with exactly these message ids (form and nodes together). */
export function expectFlowMessages(flowSchema: string, answer: Answer, ids: number[], what = ''): void {
  const body = expectRefused(flowSchema, answer, what);
  expect(answer.status, what).toBe(400);
  expect(allMessageIds(body), what).toEqual(ids);
}

/** An error envelope with this status and id. */
export function expectErrorAnswer(answer: Answer, status: number, id?: string): Record<string, unknown> {
  const body = answer.body as Record<string, unknown>;
  expect(answer.status, JSON.stringify(body).slice(0, 600)).toBe(status);
  assertErrorEnvelope(body, status);
  if (id !== undefined) expect((body['error'] as { id?: string }).id).toBe(id);
  return body;
}

const ALL_CREDENTIALS = ['password', 'totp', 'lookup_secret', 'webauthn', 'passkey', 'code'] as const;

/** The identity as the admin API shows it, credentials included. */
export async function adminIdentity(identities: IdentityApi, id: string): Promise<Identity> {
  const response = await identities.getIdentity({ id, includeCredential: [...ALL_CREDENTIALS] });
  expect(response.status).toBe(200);
  return response.data;
}

/** A browser form post's 303: to the UI with the flow id, or to the error UI. */
export function locationOf(answer: Answer): URL {
  expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(303);
  return new URL(answer.headers.get('location')!);
}

/** Every field each settings method reads. */
export const SETTINGS_FIELDS: Record<string, string[]> = {
  profile: ['traits'],
  password: ['password'],
  totp: ['totp_code', 'totp_unlink'],
  lookup_secret: [
    'lookup_secret_confirm',
    'lookup_secret_reveal',
    'lookup_secret_regenerate',
    'lookup_secret_disable',
  ],
  webauthn: ['webauthn_register', 'webauthn_register_displayname', 'webauthn_remove'],
  passkey: ['passkey_register', 'passkey_settings_register', 'passkey_remove'],
};
