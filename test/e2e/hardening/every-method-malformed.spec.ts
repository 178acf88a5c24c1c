import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerWithApi,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';
import { MFA_ENV } from '../mfa/mfa-support.js';
import { SETTINGS_FIELDS } from './hardening-support.js';
import { startSettingsServer } from '../settings/settings-support.js';
import { WEBAUTHN_ENV } from '../../support/webauthn-env.js';

// Every method of every flow, fed values of the wrong type, huge, empty or half-written: the answer
// is the flow with messages or the error envelope, never a 5xx, and a garbage settings submission
// changes nothing. (Password login and registration have their own, finer cases in
// flows/malformed-input.spec.ts, and settings, recovery and second factors in this folder.)

const JUNK: unknown[] = [null, 7, true, [], ['a'], {}, { a: 1 }, 'x'.repeat(100_000), '', '{"a":'];

let server: FlowServer;
let user: Registered;

beforeAll(async () => {
  server = await startSettingsServer({
    ...MFA_ENV,
    ...WEBAUTHN_ENV,
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    SELFSERVICE_METHODS_LINK_ENABLED: 'true',
    SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
    // Every request must reach the method's own code, not stop at a rate limit.
    SECURITY_BRUTE_FORCE_ENABLED: 'false',
  });
  user = await registerWithApi(server.frontend, uniqueEmail('junk'));
});

afterAll(async () => {
  await server?.stop();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function getJson(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ ui: { action: string } }> {
  const response = await fetch(`${server.publicUrl}${path}`, {
    headers: { Accept: 'application/json', ...headers },
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as { ui: { action: string } };
}

async function submit(action: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What is wrong with an answer to garbage: a 5xx, or a 4xx that is neither a flow nor an error. */
function problemWith(answer: Answer, sent: unknown): string | null {
  const described = `${JSON.stringify(sent).slice(0, 80)} → ${answer.status}`;
  if (answer.status >= 500) return `${described} ${JSON.stringify(answer.body).slice(0, 200)}`;
  if (answer.status >= 400 && !('ui' in answer.body) && !('error' in answer.body)) return described;
  return null;
}

async function feed(
  flowPath: string,
  base: Record<string, unknown>,
  fields: string[],
  headers: Record<string, string> = {},
): Promise<string[]> {
  const problems: string[] = [];
  for (const field of fields) {
    for (const value of JUNK) {
      const flow = await getJson(flowPath, headers);
      const body = { ...base, [field]: value };
      const problem = problemWith(await submit(flow.ui.action, body, headers), body);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

describe('garbage in every method', () => {
  it('settings: profile, password, totp, lookup_secret, webauthn, passkey; nothing changes', async () => {
    const token = { 'X-Session-Token': user.token };
    const before = await (await fetch(`${server.adminUrl}/admin/identities/${user.identity.id}`)).json();
    const problems: string[] = [];
    for (const [method, names] of Object.entries(SETTINGS_FIELDS)) {
      problems.push(...(await feed('/self-service/settings/api', { method }, names, token)));
    }
    problems.push(...(await feed('/self-service/settings/api', {}, ['method'], token)));
    expect(problems).toEqual([]);
    const after = await (await fetch(`${server.adminUrl}/admin/identities/${user.identity.id}`)).json();
    expect(after).toEqual(before);
  });

  it('recovery and verification, by code and by link', async () => {
    const problems: string[] = [];
    for (const kind of ['recovery', 'verification']) {
      for (const method of ['code', 'link']) {
        problems.push(...(await feed(`/self-service/${kind}/api`, { method }, ['email', 'code'])));
      }
      const flow = await getJson(`/self-service/${kind}/api`);
      const id = new URL(flow.ui.action).searchParams.get('flow');
      for (const query of ['token=x', 'token=%00', `token=${'a'.repeat(5000)}`, 'code=abc']) {
        const response = await fetch(`${server.publicUrl}/self-service/${kind}?flow=${id}&${query}`, {
          redirect: 'manual',
        });
        if (response.status >= 500) problems.push(`${kind} link ${query.slice(0, 20)} → ${response.status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('recovery: an address that is none, or too long to be one, is refused on the email field', async () => {
    const messagesOnEmail = async (email: string) => {
      const flow = await getJson('/self-service/recovery/api');
      const answer = await submit(flow.ui.action, { method: 'code', email });
      expect(answer.status).toBe(400);
      const nodes = (
        answer.body['ui'] as { nodes: { attributes: { name?: string }; messages: { id: number }[] }[] }
      ).nodes;
      return nodes.find((n) => n.attributes.name === 'email')?.messages.map((m) => m.id);
    };
    expect(await messagesOnEmail('not-an-address')).toEqual([4000040]);
    expect(await messagesOnEmail(`${'x'.repeat(100_000)}@example.org`)).toEqual([4000017]);
  });

  it('login: code, passkey and webauthn at aal1; totp, lookup_secret, webauthn and code at aal2', async () => {
    const token = { 'X-Session-Token': user.token };
    const problems = [
      ...(await feed('/self-service/login/api', { method: 'code' }, ['identifier', 'code', 'resend'])),
      ...(await feed('/self-service/login/api', { method: 'passkey' }, ['passkey_login'])),
      ...(await feed('/self-service/login/api', { method: 'webauthn' }, ['identifier', 'webauthn_login'])),
      ...(await feed('/self-service/login/api?aal=aal2', { method: 'totp' }, ['totp_code'], token)),
      ...(await feed(
        '/self-service/login/api?aal=aal2',
        { method: 'lookup_secret' },
        ['lookup_secret'],
        token,
      )),
      ...(await feed('/self-service/login/api?aal=aal2', { method: 'webauthn' }, ['webauthn_login'], token)),
      ...(await feed('/self-service/login/api?aal=aal2', { method: 'code' }, ['address', 'code'], token)),
    ];
    expect(problems).toEqual([]);
  });

  it('registration: code and passkey', async () => {
    const traits = { email: uniqueEmail('junk-registration') };
    const problems = [
      ...(await feed('/self-service/registration/api', { method: 'code' }, ['traits'])),
      ...(await feed('/self-service/registration/api', { method: 'code', traits }, ['code', 'resend'])),
      ...(await feed('/self-service/registration/api', { method: 'passkey' }, ['traits'])),
      ...(await feed('/self-service/registration/api', { method: 'passkey', traits }, ['passkey_register'])),
    ];
    expect(problems).toEqual([]);
  });
});
