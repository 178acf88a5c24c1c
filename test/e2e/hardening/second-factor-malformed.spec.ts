import { randomBytes, randomUUID } from 'node:crypto';
import type { Identity, LoginFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  fetchFlow,
  initBrowserFlow,
  uniqueEmail,
  type Registered,
} from '../../support/self-service.js';
import { aal2Flow, enrolTotp, MFA_ENV } from '../mfa/mfa-support.js';
import { registeredUser, startMailServer, type MailServer } from '../recovery/mail-flows.js';
import {
  adminIdentity,
  allMessageIds,
  BIG,
  expectErrorAnswer,
  expectRefused,
  sendForm,
  sendJson,
  WRONG_TYPES,
  type Answer,
} from './hardening-support.js';
import { WEBAUTHN_ENV } from '../../support/webauthn-env.js';

let server: MailServer;
let user: Registered;
let before: Identity;

beforeAll(async () => {
  server = await startMailServer({
    ...MFA_ENV,
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'false',
    ...WEBAUTHN_ENV,
    SELFSERVICE_METHODS_WEBAUTHN_CONFIG_PASSWORDLESS: 'false',
  });
  user = await registeredUser(server, uniqueEmail('garbage-mfa'));
  await enrolTotp(server.frontend, user.token);
  before = await adminIdentity(server.identities, user.identity.id);
});

afterAll(async () => {
  await server?.stop();
});

const submitUrl = (id: string) => `${server.publicUrl}/self-service/login?flow=${id}`;
const VALUES: [string, unknown][] = [...WRONG_TYPES, ['a 100 KiB string', BIG]];

/** A 400 login flow carrying exactly these message ids. */
function expectLoginFlow(answer: Answer, ids: number[], what: string) {
  const body = expectRefused('loginFlow', answer, what);
  expect(answer.status, what).toBe(400);
  expect(allMessageIds(body), what).toEqual(ids);
  expect(body).not.toHaveProperty('session_token');
}

async function firstFactorFlow(): Promise<LoginFlow> {
  const response = await server.frontend.createNativeLoginFlow();
  expect(response.status).toBe(200);
  return response.data;
}

async function passwordToken(): Promise<string> {
  const flow = await firstFactorFlow();
  const answer = await sendJson(submitUrl(flow.id), {
    method: 'password',
    identifier: user.email,
    password: user.password,
  });
  expect(answer.status).toBe(200);
  return (answer.body as { session_token: string }).session_token;
}

const ASSERTIONS: [string, unknown][] = [
  ['non-JSON', 'garbage'],
  ['an empty object', '{}'],
  ['a JSON array', '[]'],
  ['JSON null', 'null'],
  [
    'base64 garbage',
    JSON.stringify({
      id: '!!!',
      rawId: '%%%',
      type: 'public-key',
      response: { clientDataJSON: '@@@', authenticatorData: '###', signature: '$$$', userHandle: 7 },
    }),
  ],
  [
    'random bytes',
    JSON.stringify({
      id: randomBytes(16).toString('base64url'),
      rawId: randomBytes(16).toString('base64url'),
      type: 'public-key',
      response: {
        clientDataJSON: randomBytes(60).toString('base64url'),
        authenticatorData: randomBytes(37).toString('base64url'),
        signature: randomBytes(70).toString('base64url'),
      },
    }),
  ],
];

describe('login by code', () => {
  it.each(['identifier', 'resend', 'address'])('answers 4000002 for %s of a wrong type', async (field) => {
    for (const [label, value] of VALUES) {
      if (field === 'identifier' && value === BIG) continue;
      const flow = await firstFactorFlow();
      const answer = await sendJson(submitUrl(flow.id), { method: 'code', [field]: value });
      expectLoginFlow(answer, [4000002], `${field} = ${label}`);
    }
  });

  it('a 100 KiB identifier is refused as too long (4000017), whoever it might name', async () => {
    const flow = await firstFactorFlow();
    const answer = await sendJson(submitUrl(flow.id), { method: 'code', identifier: BIG });
    expectLoginFlow(answer, [4000017], 'a 100 KiB identifier');
  });

  it('a code that is not a string is no code: the flow stays at sending one', async () => {
    for (const [label, value] of VALUES) {
      const flow = await firstFactorFlow();
      const answer = await sendJson(submitUrl(flow.id), {
        method: 'code',
        identifier: 'nobody@example.org',
        code: value,
      });
      expectLoginFlow(answer, [1010014], `code = ${label}`);
    }
  });
});

describe('second factors on an aal2 flow', () => {
  let aal1: string;

  beforeAll(async () => {
    aal1 = await passwordToken();
  });

  const CASES: [string, string, number][] = [
    ['totp', 'totp_code', 4000008],
    ['lookup_secret', 'lookup_secret', 4000014],
  ];

  it.each(CASES)('%s: 4000002 for %s of a wrong type, %i for 100 KiB', async (method, field, big) => {
    for (const [label, value] of VALUES) {
      const flow = await aal2Flow(server.frontend, aal1);
      const answer = await sendJson(submitUrl(flow.id), { method, [field]: value }, { token: aal1 });
      expectLoginFlow(answer, [value === BIG ? big : 4000002], `${method}.${field} = ${label}`);
    }
  });

  it('code is not a second factor here (code MFA is off): 4010002 whatever it carries', async () => {
    for (const field of ['code', 'address']) {
      for (const [label, value] of VALUES) {
        const flow = await aal2Flow(server.frontend, aal1);
        const answer = await sendJson(
          submitUrl(flow.id),
          { method: 'code', [field]: value },
          { token: aal1 },
        );
        expectLoginFlow(answer, [4010002], `code.${field} = ${label}`);
      }
    }
  });

  it('form posts with repeated keys take the first value, as in Kratos, and a wrong one is refused', async () => {
    const flow = await aal2Flow(server.frontend, aal1);
    for (const [form, ids] of [
      ['method=totp&totp_code=1&totp_code=2', [4000008]],
      ['method=lookup_secret&lookup_secret=a&lookup_secret=b', [4000014]],
    ] as const) {
      const answer = await sendForm(submitUrl(flow.id), form, { token: aal1 });
      expectLoginFlow(answer, [...ids], form);
    }
  });
});

describe('security keys and passkeys', () => {
  const GARBAGE: [string, unknown][] = [...VALUES, ...ASSERTIONS];

  it('webauthn: 4000015 (no key to sign in with) for any webauthn_login, with or without identifier', async () => {
    for (const extra of [{ identifier: user.email }, {}, { identifier: 42 }]) {
      for (const [label, value] of GARBAGE) {
        const flow = await firstFactorFlow();
        const answer = await sendJson(submitUrl(flow.id), {
          method: 'webauthn',
          webauthn_login: value,
          ...extra,
        });
        expectLoginFlow(answer, [4000015], `webauthn_login = ${label} ${JSON.stringify(extra)}`);
      }
    }
  });

  it('passkey: 4000002 for a passkey_login that is not a string, 4000006 for one that does not verify', async () => {
    for (const [label, value] of GARBAGE) {
      const flow = await firstFactorFlow();
      const answer = await sendJson(submitUrl(flow.id), { method: 'passkey', passkey_login: value });
      const wrongType = typeof value !== 'string';
      expectLoginFlow(answer, [wrongType ? 4000002 : 4000006], `passkey_login = ${label}`);
    }
  });

  it('a browser gets the same answers, and repeated form keys take their first value', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
    const { body } = await fetchFlow(jar, server.publicUrl, 'login', flowId);
    const csrf = csrfTokenOf(body as unknown as LoginFlow);
    for (const [label, value] of ASSERTIONS) {
      const passkey = { csrf_token: csrf, method: 'passkey', passkey_login: value };
      expectLoginFlow(await sendJson(submitUrl(flowId), passkey, { jar }), [4000006], `passkey ${label}`);
      const webauthn = {
        csrf_token: csrf,
        method: 'webauthn',
        webauthn_login: value,
        identifier: user.email,
      };
      expectLoginFlow(await sendJson(submitUrl(flowId), webauthn, { jar }), [4000015], `webauthn ${label}`);
    }
    for (const [form, ids] of [
      ['method=code&identifier=&identifier=a@example.org', [4000002]],
      ['method=code&code=1&code=2', [4000002]],
      ['method=passkey&passkey_login=a&passkey_login=b', [4000006]],
      ['method=webauthn&identifier=x&webauthn_login=a&webauthn_login=b', [4000015]],
      ['method=totp&totp_code=1&totp_code=2', [4010002]],
    ] as const) {
      const answer = await sendForm(submitUrl(flowId), `csrf_token=${encodeURIComponent(csrf)}&${form}`, {
        jar,
      });
      expectLoginFlow(answer, [...ids], form);
    }
    expect(jar.get('ory_kratos_session')).toBeUndefined();
  });
});

describe('flow ids', () => {
  it('answers 404 for an unknown flow and 400 for a malformed one, whatever the method', async () => {
    for (const method of ['code', 'totp', 'lookup_secret', 'webauthn', 'passkey']) {
      expectErrorAnswer(await sendJson(submitUrl(randomUUID()), { method, code: '123456' }), 404);
      expectErrorAnswer(await sendJson(submitUrl('not-a-uuid'), { method, code: '123456' }), 400);
    }
  });
});

it('leaves the identity as it was', async () => {
  const now = await adminIdentity(server.identities, user.identity.id);
  expect(now.credentials).toEqual(before.credentials);
  expect(now.traits).toEqual(before.traits);
});
