import { randomBytes, randomUUID } from 'node:crypto';
import type { Identity, SettingsFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  browserWithSession,
  csrfTokenOf,
  registerWithApi,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';
import { enrolTotp, MFA_ENV } from '../mfa/mfa-support.js';
import {
  browserSettingsFlow,
  fetchSettingsFlow,
  SETTINGS_UI,
  settingsFlowOf,
  startSettingsServer,
} from '../settings/settings-support.js';
import {
  adminIdentity,
  allMessageIds,
  BIG,
  expectErrorAnswer,
  expectRefused,
  sendForm,
  sendJson,
  SETTINGS_FIELDS,
  WRONG_TYPES,
  type Answer,
} from './hardening-support.js';
import { WEBAUTHN_ENV } from '../../support/webauthn-env.js';

// Whatever a client puts in a settings submission, the answer is a 4xx — the flow with a
// message, or the error envelope — and the identity stays exactly as it was.

let server: FlowServer;

beforeAll(async () => {
  server = await startSettingsServer({
    ...MFA_ENV,
    // The enrolled user's aal1 session may still submit, so garbage reaches the strategies.
    SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL: 'aal1',
    ...WEBAUTHN_ENV,
  });
});

afterAll(async () => {
  await server?.stop();
});

const FIELD_CASES = Object.entries(SETTINGS_FIELDS).flatMap(([method, fields]) =>
  fields.map((field) => [method, field] as const),
);
const VALUES: [string, unknown][] = [...WRONG_TYPES, ['a 100 KiB string', BIG]];

/** Not a WebAuthn credential, in every way a client can get it wrong. */
const BAD_CREDENTIALS: [string, string][] = [
  ['non-JSON', 'garbage'],
  ['a 100 KiB non-JSON string', BIG],
  ['JSON null', 'null'],
  ['a JSON number', '42'],
  ['a JSON array', '[1,2]'],
  ['an empty object', '{}'],
  ['an id of the wrong type', '{"id":1,"rawId":[],"type":"public-key","response":7}'],
  [
    'base64 garbage',
    JSON.stringify({
      id: '!!!not-base64!!!',
      rawId: '%%%',
      type: 'public-key',
      response: { clientDataJSON: '@@@', attestationObject: '###', authenticatorData: '$$$' },
    }),
  ],
  [
    'random bytes',
    JSON.stringify({
      id: randomBytes(16).toString('base64url'),
      rawId: randomBytes(16).toString('base64url'),
      type: 'public-key',
      response: {
        clientDataJSON: randomBytes(64).toString('base64url'),
        attestationObject: randomBytes(128).toString('base64url'),
      },
    }),
  ],
  [
    'client data of the wrong shape',
    JSON.stringify({
      id: 'AAAA',
      rawId: 'AAAA',
      type: 'public-key',
      response: {
        clientDataJSON: Buffer.from('{"type":7,"challenge":[],"origin":{}}').toString('base64url'),
        attestationObject: 'AAAA',
      },
    }),
  ],
];

const submitUrl = (flowId: string) => `${server.publicUrl}/self-service/settings?flow=${flowId}`;

async function nativeFlow(token: string): Promise<SettingsFlow> {
  const response = await server.frontend.createNativeSettingsFlow({ xSessionToken: token });
  expect(response.status, JSON.stringify(response.data)).toBe(200);
  return response.data;
}

/** A fresh native settings flow, submitted once with this body. */
async function submitNative(user: Registered, body: unknown): Promise<Answer> {
  const flow = await nativeFlow(user.token);
  return sendJson(submitUrl(flow.id), body, { token: user.token });
}

interface Subject {
  label: string;
  user: Registered;
  before: Identity;
}

/** A user whose identity must not move, with what the admin API shows of it now. */
async function subject(label: string, enrol: boolean): Promise<Subject> {
  const user = await registerWithApi(server.frontend, uniqueEmail(label));
  if (enrol) {
    await enrolTotp(server.frontend, user.token);
    const flow = await nativeFlow(user.token);
    for (const action of ['regenerate', 'confirm'])
      expect(
        (
          await sendJson(
            submitUrl(flow.id),
            { method: 'lookup_secret', [`lookup_secret_${action}`]: true },
            {
              token: user.token,
            },
          )
        ).status,
      ).toBe(200);
  }
  return { label, user, before: await adminIdentity(server.identities, user.identity.id) };
}

async function expectUnchanged(who: Subject, what: string) {
  expect(await adminIdentity(server.identities, who.user.identity.id), what).toEqual(who.before);
}

let plain: Subject;
let enrolled: Subject;

beforeAll(async () => {
  plain = await subject('settings-garbage', false);
  enrolled = await subject('settings-garbage-2fa', true);
});

/** `true` asks a boolean action to run; every other value is garbage. */
const ACTIONS = new Set([
  'totp_unlink',
  'lookup_secret_confirm',
  'lookup_secret_reveal',
  'lookup_secret_regenerate',
  'lookup_secret_disable',
]);
const garbageFor = (field: string) => VALUES.filter(([, value]) => !(ACTIONS.has(field) && value === true));

/** What a user without second factors is told (message ids), for a wrong type and a huge string. */
const EXPECTED: Record<string, { wrong: number[]; big: number[] }> = {
  traits: { wrong: [4000002], big: [4000002] },
  password: { wrong: [4000002], big: [4000033] },
  totp_code: { wrong: [4000002], big: [4000008] },
  totp_unlink: { wrong: [4000002], big: [4000002] },
  lookup_secret_confirm: { wrong: [4000001], big: [4000001] },
  lookup_secret_reveal: { wrong: [4000001], big: [4000001] },
  lookup_secret_regenerate: { wrong: [4000001], big: [4000001] },
  lookup_secret_disable: { wrong: [4000001], big: [4000001] },
  webauthn_register: { wrong: [4000002], big: [4000043] },
  webauthn_register_displayname: { wrong: [4000002], big: [4000002] },
  webauthn_remove: { wrong: [4000002], big: [4000001] },
  passkey_register: { wrong: [4000002], big: [4000002] },
  passkey_settings_register: { wrong: [4000002], big: [4000043] },
  passkey_remove: { wrong: [4000002], big: [4000001] },
};

function expectedIds(field: string, value: unknown): number[] {
  if (value === BIG) return EXPECTED[field]!.big;
  // An object of traits is checked against the schema: an unknown key and the missing address.
  if (field === 'traits' && value && typeof value === 'object' && !Array.isArray(value))
    return [4000001, 4000002];
  return EXPECTED[field]!.wrong;
}

describe('native settings: wrong types and huge strings in every field', () => {
  it.each(FIELD_CASES)('%s: %s', async (method, field) => {
    for (const who of [plain, enrolled]) {
      for (const [label, value] of garbageFor(field)) {
        const what = `${who.label} ${method}.${field} = ${label}`;
        const answer = await submitNative(who.user, { method, [field]: value });
        const body = expectRefused('settingsFlow', answer, what);
        expect(answer.status, what).toBe(400);
        if (who === plain) expect(allMessageIds(body), what).toEqual(expectedIds(field, value));
        expect(JSON.stringify(body).length, what).toBeLessThan(40 * 1024);
        await expectUnchanged(who, what);
      }
    }
  });
});

describe('native settings: credentials that are not WebAuthn credentials', () => {
  it.each(BAD_CREDENTIALS)('%s: 4000043 on the node, nothing stored', async (label, value) => {
    for (const [method, field, extra] of [
      ['webauthn', 'webauthn_register', { webauthn_register_displayname: 'key' }],
      ['passkey', 'passkey_settings_register', {}],
    ] as const) {
      for (const who of [plain, enrolled]) {
        const what = `${who.label} ${method}.${field} = ${label}`;
        const answer = await submitNative(who.user, { method, [field]: value, ...extra });
        const body = expectRefused('settingsFlow', answer, what);
        expect(answer.status, what).toBe(400);
        expect(allMessageIds(body), what).toEqual([4000043]);
        await expectUnchanged(who, what);
      }
    }
  });

  it('passkey_register is not a settings field: the missing passkey_settings_register is named', async () => {
    for (const [label, value] of BAD_CREDENTIALS) {
      const answer = await submitNative(plain.user, { method: 'passkey', passkey_register: value });
      expect(allMessageIds(expectRefused('settingsFlow', answer, label)), label).toEqual([4000002]);
    }
    await expectUnchanged(plain, 'passkey_register');
  });
});

describe('native settings: methods', () => {
  it.each([['magic'], [''], [42], [null], [['profile']], [{ a: 1 }], ['x'.repeat(1000)]])(
    'answers 4010004 for method %j',
    async (method) => {
      const answer = await submitNative(plain.user, { method, password: 'x' });
      expect(answer.status).toBe(400);
      expect(allMessageIds(expectRefused('settingsFlow', answer, 'method'))).toEqual([4010004]);
      await expectUnchanged(plain, 'method');
    },
  );

  it('answers 4010004 when the method is missing', async () => {
    for (const body of [{}, { password: 'x' }, { traits: { email: 'x@example.org' } }]) {
      const answer = await submitNative(plain.user, body);
      expect(answer.status).toBe(400);
      expect(allMessageIds(expectRefused('settingsFlow', answer, 'no method'))).toEqual([4010004]);
    }
    await expectUnchanged(plain, 'no method');
  });
});

describe('settings flow ids', () => {
  const body = { method: 'password', password: 'Quartz-Lantern-Orbit-99' };

  it('answers 404 for a flow that does not exist', async () => {
    const answer = await sendJson(submitUrl(randomUUID()), body, { token: plain.user.token });
    expectErrorAnswer(answer, 404);
    await expectUnchanged(plain, 'unknown flow');
  });

  it('answers 400 for a flow id that is not a uuid', async () => {
    for (const id of ['not-a-uuid', "' OR 1=1 --", '', `${randomUUID()}x`]) {
      const answer = await sendJson(submitUrl(encodeURIComponent(id)), body, { token: plain.user.token });
      expectErrorAnswer(answer, 400);
    }
    const repeated = await sendJson(`${submitUrl(randomUUID())}&flow=${randomUUID()}`, body, {
      token: plain.user.token,
    });
    expect(repeated.status).toBeGreaterThanOrEqual(400);
    expectErrorAnswer(repeated, repeated.status);
    await expectUnchanged(plain, 'malformed flow id');
  });

  it('answers 403 security_identity_mismatch for another identity’s flow, and changes neither', async () => {
    const theirs = await nativeFlow(enrolled.user.token);
    for (const submission of [body, { method: 'profile', traits: { email: uniqueEmail('thief') } }]) {
      const answer = await sendJson(submitUrl(theirs.id), submission, { token: plain.user.token });
      expectErrorAnswer(answer, 403, 'security_identity_mismatch');
    }
    await expectUnchanged(plain, 'other flow');
    await expectUnchanged(enrolled, 'other flow');
  });
});

describe('browser settings', () => {
  let jar: CookieJar;
  let who: Subject;

  beforeAll(async () => {
    ({ jar } = await browserWithSession(server.publicUrl));
    const whoami = await jar.fetch(`${server.publicUrl}/sessions/whoami`, {
      headers: { Accept: 'application/json' },
    });
    const id = ((await whoami.json()) as { identity: { id: string } }).identity.id;
    who = {
      label: 'browser',
      user: { identity: { id } } as Registered,
      before: await adminIdentity(server.identities, id),
    };
  });

  it.each(FIELD_CASES)('SPA, %s: %s', async (method, field) => {
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    for (const [label, value] of garbageFor(field)) {
      const what = `${method}.${field} = ${label}`;
      const answer = await sendJson(
        flow.ui.action,
        { csrf_token: csrfTokenOf(flow), method, [field]: value },
        { jar },
      );
      expect(answer.status, what).toBe(400);
      expect(allMessageIds(expectRefused('settingsFlow', answer, what)), what).toEqual(
        expectedIds(field, value),
      );
    }
    await expectUnchanged(who, method);
  });

  // A value given twice is read as Kratos' form decoder reads it: the first value, a boolean's
  // last; a bracketed name is a field of its own. Each of these is still refused.
  const FORMS: [string, number[]][] = [
    ['method=totp&totp_code=1&totp_code=2', [4000008]],
    ['method=password&password=a&password=b', [4000032]],
    ['method=profile&traits.email=not-an-address&traits.email=b@example.org', [4000040]],
    ['method=profile&method=password&password=Quartz-Lantern-Orbit-99', [4000002]],
    ['method=lookup_secret&lookup_secret_confirm=true&lookup_secret_confirm=false', [4000001]],
    ['method=totp&totp_code[]=1', [4000002]],
    ['method=profile&traits[email][x]=1', [4000002]],
    ['method=webauthn&webauthn_register=garbage&webauthn_register=%7B%7D', [4000043]],
    ['method=passkey&passkey_settings_register=garbage&passkey_settings_register=null', [4000043]],
    ['method=webauthn&webauthn_remove=a&webauthn_remove=b', [4000001]],
  ];

  it('reads repeated and bracketed keys as Kratos does and still refuses: 303 back to the form, 400 to a JSON client', async () => {
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const csrf = `csrf_token=${encodeURIComponent(csrfTokenOf(flow))}`;
    for (const [form, ids] of FORMS) {
      const html = await sendForm(flow.ui.action, `${csrf}&${form}`, { jar, accept: 'text/html' });
      expect(html.status, form).toBe(303);
      expect(html.headers.get('location'), form).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
      const json = await sendForm(flow.ui.action, `${csrf}&${form}`, { jar });
      expect(json.status, form).toBe(400);
      expect(allMessageIds(expectRefused('settingsFlow', json, form)), form).toEqual(ids);
    }
    const { body: shown } = await fetchSettingsFlow(jar, server.publicUrl, flow.id);
    expect(settingsFlowOf(shown).state).toBe('show_form');
    const forged = await sendForm(flow.ui.action, `${csrf}&csrf_token=other&method=password&password=x`, {
      jar,
    });
    expectErrorAnswer(forged, 403, 'security_csrf_violation');
    await expectUnchanged(who, 'form posts');
  });
});
