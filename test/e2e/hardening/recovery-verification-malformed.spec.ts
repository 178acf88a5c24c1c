import { randomUUID } from 'node:crypto';
import type { Identity, RecoveryFlow, VerificationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { csrfTokenOf, ERROR_UI, sleep, uniqueEmail, type Registered } from '../../support/self-service.js';
import {
  CookieJar,
  mailTo,
  RECOVERY_UI,
  registeredUser,
  startMailServer,
  VERIFICATION_UI,
  type MailServer,
} from '../recovery/mail-flows.js';
import {
  adminIdentity,
  allMessageIds,
  BIG,
  expectErrorAnswer,
  expectRefused,
  send,
  sendForm,
  sendJson,
  type Answer,
} from './hardening-support.js';

let server: MailServer;
let user: Registered;
let before: Identity;

beforeAll(async () => {
  server = await startMailServer({ SELFSERVICE_METHODS_LINK_ENABLED: 'true' });
  user = await registeredUser(server, uniqueEmail('garbage-recovery'));
  before = await adminIdentity(server.identities, user.identity.id);
});

afterAll(async () => {
  await server?.stop();
});

type Kind = 'recovery' | 'verification';
const KINDS: Kind[] = ['recovery', 'verification'];
const schemaOf = { recovery: 'recoveryFlow', verification: 'verificationFlow' } as const;
const submitUrl = (kind: Kind, id: string) => `${server.publicUrl}/self-service/${kind}?flow=${id}`;

async function nativeFlow(kind: Kind): Promise<RecoveryFlow | VerificationFlow> {
  const response =
    kind === 'recovery'
      ? await server.frontend.createNativeRecoveryFlow()
      : await server.frontend.createNativeVerificationFlow();
  expect(response.status).toBe(200);
  return response.data;
}

async function sentFlow(kind: Kind) {
  const flow = await nativeFlow(kind);
  const before = server.sink.messages.length;
  const sent = await sendJson(submitUrl(kind, flow.id), { method: 'code', email: user.email });
  expect(sent.status).toBe(200);
  await mailTo(server.sink, user.email, before);
  return flow;
}

const EMAILS: [string, unknown][] = [
  ['a number', 42],
  ['an array', ['a@example.org', 'b@example.org']],
  ['an object', { $ne: null }],
  ['null', null],
  ['true', true],
  ['a 100 KiB address', `${BIG}@example.org`],
  ['a 100 KiB string', BIG],
];
const CODES: [string, unknown][] = [
  ['a number', 123456],
  ['an array', ['123456', '654321']],
  ['an object', { $gt: '' }],
  ['null', null],
  ['letters', 'abcdef'],
  ['letters and digits', '12ab56'],
  ['a 100 KiB string', BIG],
];

const INVALID_CODE = { recovery: 4060006, verification: 4070006 } as const;
const UNKNOWN_METHOD = { recovery: 4010005, verification: 4010006 } as const;
const UI = { recovery: RECOVERY_UI, verification: VERIFICATION_UI } as const;

/** A 4xx flow with these message ids, or (for answers Kratos sends with 200) the flow with them. */
function expectFlow(kind: Kind, answer: Answer, status: number, ids: number[], what: string) {
  expect(answer.status, `${what}: ${JSON.stringify(answer.body).slice(0, 400)}`).toBe(status);
  const body = answer.body as Record<string, unknown>;
  if (status >= 400) expectRefused(schemaOf[kind], answer, what);
  else assertMatchesContract(schemaOf[kind], body);
  expect(allMessageIds(body), what).toEqual(ids);
  return body as unknown as RecoveryFlow;
}

async function browserFlow(kind: Kind) {
  const jar = new CookieJar();
  const init = await jar.fetch(`${server.publicUrl}/self-service/${kind}/browser`, {
    headers: { Accept: 'application/json' },
  });
  expect(init.status).toBe(200);
  const flow = (await init.json()) as RecoveryFlow;
  return { jar, flow, csrf: csrfTokenOf(flow) };
}

describe.each(KINDS)('%s', (kind) => {
  it('answers 4000002 on the email node for an address that is not a string', async () => {
    for (const [label, email] of EMAILS.filter(([, e]) => typeof e !== 'string')) {
      const flow = await nativeFlow(kind);
      const answer = await sendJson(submitUrl(kind, flow.id), { method: 'code', email });
      expect(expectFlow(kind, answer, 400, [4000002], label).state).toBe('choose_method');
    }
  });

  it('refuses a 100 KiB address (4000017), and one that is no address (4000040), and mails nobody', async () => {
    const before = server.sink.messages.length;
    for (const [label, email] of EMAILS.filter(([, e]) => typeof e === 'string')) {
      const flow = await nativeFlow(kind);
      const answer = await sendJson(submitUrl(kind, flow.id), { method: 'code', email });
      expectFlow(kind, answer, 400, [4000017], label);
      // The value is not echoed back: the answer stays small.
      expect(JSON.stringify(answer.body).length, label).toBeLessThan(20_000);
    }
    const flow = await nativeFlow(kind);
    const answer = await sendJson(submitUrl(kind, flow.id), { method: 'code', email: 'not-an-address' });
    expectFlow(kind, answer, 400, [4000040], 'not an address');
    await sleep(300);
    expect(server.sink.messages.slice(before).filter((m) => m.to.some((to) => to.includes('xxxxx')))).toEqual(
      [],
    );
  });

  it('answers 4000002 for a code that is not a string, and the invalid-code message for letters', async () => {
    const flow = await sentFlow(kind);
    for (const [label, code] of CODES) {
      const answer = await sendJson(submitUrl(kind, flow.id), { method: 'code', code });
      if (typeof code === 'string') expectFlow(kind, answer, 200, [INVALID_CODE[kind]], label);
      else expectFlow(kind, answer, 400, [4000002], label);
    }
  });

  it('names the unknown method for any method it does not know', async () => {
    for (const method of ['magic', '', 42, null, ['code'], { a: 1 }, undefined, 'link', 'password']) {
      const flow = await nativeFlow(kind);
      const answer = await sendJson(submitUrl(kind, flow.id), { method, email: user.email });
      expectFlow(kind, answer, 400, [UNKNOWN_METHOD[kind]], JSON.stringify(method) ?? 'no method');
    }
  });

  it('refuses a garbage link token on an emailed flow without a 5xx', async () => {
    for (const token of ['garbage', '', 'x'.repeat(5000), "' OR 1=1 --", '\u0000', randomUUID()]) {
      for (const accept of ['text/html', 'application/json']) {
        const { jar, flow } = await browserFlow(kind);
        const what = `token ${JSON.stringify(token.slice(0, 12))} (${accept})`;
        const answer = await send(
          `${submitUrl(kind, flow.id)}&token=${encodeURIComponent(token)}`,
          undefined,
          {
            jar,
            accept,
          },
        );
        expect(answer.status, what).toBeLessThan(500);
        if (answer.status === 303) {
          const to = new URL(answer.headers.get('location')!);
          expect([UI[kind], ERROR_UI], what).toContain(`${to.origin}${to.pathname}`);
        } else {
          const body = expectRefused(
            schemaOf[kind],
            { ...answer, status: Math.max(answer.status, 400) },
            what,
          );
          expect(allMessageIds(body).length, what).toBeGreaterThan(0);
        }
        expect(jar.get('ory_kratos_session'), what).toBeUndefined();
      }
    }
    const native = await sentFlow(kind);
    for (const token of ['garbage', '', 'x'.repeat(5000)]) {
      const answer = await send(
        `${submitUrl(kind, native.id)}&token=${encodeURIComponent(token)}`,
        undefined,
      );
      expect(answer.status, token.slice(0, 12)).toBeLessThan(500);
    }
  });

  it('answers 404 for a token on an unknown flow, 400 for a malformed flow id', async () => {
    expectErrorAnswer(await send(`${submitUrl(kind, randomUUID())}&token=garbage`, undefined), 404);
    expectErrorAnswer(
      await sendJson(submitUrl(kind, randomUUID()), { method: 'code', email: user.email }),
      404,
    );
    for (const id of ['not-a-uuid', '', "' OR 1=1 --"]) {
      const answer = await sendJson(submitUrl(kind, encodeURIComponent(id)), {
        method: 'code',
        email: user.email,
      });
      expectErrorAnswer(answer, 400);
    }
    const noFlow = await send(`${server.publicUrl}/self-service/${kind}?token=garbage`, undefined, {
      accept: 'text/html',
    });
    expect(noFlow.status).toBe(303);
    expect(noFlow.headers.get('location')).toMatch(new RegExp(`^${ERROR_UI}\\?id=`));
  });

  it('SPA: the same answers as a native app', async () => {
    const { jar, flow, csrf } = await browserFlow(kind);
    for (const [label, email] of EMAILS.filter(([, e]) => typeof e !== 'string')) {
      const answer = await sendJson(flow.ui.action, { csrf_token: csrf, method: 'code', email }, { jar });
      expectFlow(kind, answer, 400, [4000002], label);
    }
    const unknown = await sendJson(
      flow.ui.action,
      { csrf_token: csrf, method: 'magic', email: user.email },
      { jar },
    );
    expectFlow(kind, unknown, 400, [UNKNOWN_METHOD[kind]], 'magic');
  });

  it('form posts with repeated and bracketed keys, read as Kratos reads them: 303 back to the UI, the message as JSON', async () => {
    const { jar, flow, csrf } = await browserFlow(kind);
    // A repeated field takes its first value; a bracketed name is a field of its own.
    const FORMS: [string, number, number[]][] = [
      ['method=code&email=not-an-address&email=a@example.org', 400, [4000040]],
      ['method=code&code=1&code=2', 200, [kind === 'recovery' ? 4060006 : 4070006]],
      ['method=code&email[]=a', 400, [4000002]],
      ['method=code&email[x]=1', 400, [4000002]],
      ['method=link&method=code&email=a@example.org', 400, [UNKNOWN_METHOD[kind]]],
    ];
    for (const [form, status, ids] of FORMS) {
      const body = `csrf_token=${encodeURIComponent(csrf)}&${form}`;
      const html = await sendForm(flow.ui.action, body, { jar, accept: 'text/html' });
      expect(html.status, form).toBe(303);
      expect(html.headers.get('location'), form).toBe(`${UI[kind]}?flow=${flow.id}`);
      expectFlow(kind, await sendForm(flow.ui.action, body, { jar }), status, ids, form);
    }
    const strangers = ['a@example.org', 'b@example.org'];
    expect(server.sink.messages.filter((m) => m.to.some((to) => strangers.includes(to)))).toEqual([]);
  });
});

it('leaves the user as it was', async () => {
  const now = await adminIdentity(server.identities, user.identity.id);
  expect(now.credentials).toEqual(before.credentials);
  expect(now.traits).toEqual(before.traits);
  expect(now.state).toBe(before.state);
});
