import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  browserWithSession,
  GOOD_PASSWORD,
  loginWithApi,
  registerWithApi,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { WEBAUTHN_ENV } from '../../support/webauthn-env.js';
import { MFA_ENV } from '../mfa/mfa-support.js';
import { startSettingsServer } from '../settings/settings-support.js';
import { contractOperations, type Operation, type Seeded } from './route-fuzz-arbitraries.js';
import {
  adminSpelling,
  assertProperty,
  checkExchange,
  describeExchange,
  publicPattern,
  requestOf,
  sendRaw,
} from './route-fuzz-support.js';

// Property-based fuzzing of every operation in the contract, on its own port, against a server
// holding real identities, sessions, flows and messages: mutated path parameters, queries,
// headers and bodies never get a 5xx, a stack trace or an admin answer from the public port; and
// no random spelling of an admin path reaches an admin handler on the public port.
// FUZZ_SEED replays a run; FUZZ_RUNS scales the number of requests per operation.

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_203);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1);
const database = TEST_DATABASES.at(-1)!.dialect;

let server: FlowServer;
let seeded: Seeded;

const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

async function apiFlow(kind: string, headers: Record<string, string> = {}, query = '') {
  const response = await fetch(`${server.publicUrl}/self-service/${kind}/api${query}`, {
    headers: { Accept: 'application/json', ...headers },
  });
  expect(response.status, kind).toBe(200);
  return json(response);
}

async function browserFlow(jar: CookieJar, kind: string) {
  const init = await jar.fetch(`${server.publicUrl}/self-service/${kind}/browser`, {
    headers: { Accept: 'application/json' },
  });
  expect(init.status, kind).toBe(200);
  return json(init);
}

const csrfOf = (flow: Record<string, unknown>): string[] =>
  (flow['ui'] as { nodes: { attributes: { name?: string; value?: unknown } }[] }).nodes
    .filter((n) => n.attributes.name === 'csrf_token')
    .map((n) => String(n.attributes.value));

/** A user with two sessions and a browser, an identity for the admin API, flows and a message. */
async function seed(): Promise<Seeded> {
  const user = await registerWithApi(server.frontend, uniqueEmail('fuzz'));
  const spare = (await loginWithApi(server.frontend, user.email, GOOD_PASSWORD)).data as {
    session_token: string;
    session: { id: string };
  };
  const targetEmail = uniqueEmail('fuzz-admin');
  const { data: target } = await server.identities.createIdentity({
    createIdentityBody: {
      schema_id: 'default',
      external_id: 'fuzz-external-1',
      traits: { email: targetEmail },
      credentials: { password: { config: { password: GOOD_PASSWORD } } },
    },
  });
  const targetLogin = (await loginWithApi(server.frontend, targetEmail, GOOD_PASSWORD)).data as {
    session: { id: string };
  };
  const browser = await browserWithSession(server.publicUrl, uniqueEmail('fuzz-browser'));
  const anonymous = new CookieJar();

  const flows = [
    ...(await Promise.all(['login', 'registration', 'recovery', 'verification'].map((k) => apiFlow(k)))),
    await apiFlow('settings', { 'X-Session-Token': user.token }),
    await apiFlow('login', { 'X-Session-Token': user.token }, '?aal=aal2'),
    ...(await Promise.all(
      ['login', 'registration', 'recovery', 'verification'].map((k) => browserFlow(anonymous, k)),
    )),
    await browserFlow(browser.jar, 'settings'),
  ];
  const verification = flows[3]!;
  await fetch(`${server.publicUrl}/self-service/verification?flow=${String(verification['id'])}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ method: 'code', email: user.email }),
  });
  const messages = (await (await fetch(`${server.adminUrl}/admin/courier/messages`)).json()) as {
    id: string;
  }[];
  expect(messages.length).toBeGreaterThan(0);

  return {
    ids: {
      identity: [target.id],
      session: [targetLogin.session.id, spare.session.id],
      message: messages.map((m) => m.id),
      external: ['fuzz-external-1'],
      schema: ['default', 'preset://email'],
    },
    strings: [
      ...flows.map((flow) => String(flow['id'])),
      ...flows.flatMap(csrfOf),
      user.email,
      targetEmail,
      GOOD_PASSWORD,
      target.id,
      user.identity.id,
      spare.session.id,
      spare.session_token,
      'default',
      ...['password', 'code', 'totp', 'lookup_secret', 'webauthn', 'passkey', 'profile', 'link', 'oidc'],
      ...['aal1', 'aal2', 'active', 'inactive', 'stub:500', 'stub:404', 'google'],
      ...['https://app.example/ok', 'http://127.0.0.1:4455/x', 'javascript:alert(1)', '//evil.example'],
    ],
    tokens: [user.token, spare.session_token, 'ory_st_notatoken'],
    cookies: [browser.jar.header(), anonymous.header(), 'ory_kratos_session=MTY5; csrf_token_x=abc'],
  };
}

beforeAll(async () => {
  server = await startSettingsServer({
    ...MFA_ENV,
    ...WEBAUTHN_ENV,
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    SELFSERVICE_METHODS_LINK_ENABLED: 'true',
    SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
    // Every request must reach the route's own code, not stop at a rate limit.
    SECURITY_BRUTE_FORCE_ENABLED: 'false',
    LOG_LEVEL: 'warning',
  });
  seeded = await seed();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** Public operations first; on the admin port, destructive ones last, so the seeded data lives long. */
const OPERATIONS: Operation[] = contractOperations().sort(
  (a, b) =>
    Number(a.port === 'admin') - Number(b.port === 'admin') ||
    Number(a.method === 'DELETE') - Number(b.method === 'DELETE'),
);

/** Bodies and parameters open more paths through the code than a bare GET: they get more runs. */
const runsFor = (operation: Operation) =>
  operation.body ? 300 : operation.parameters.some((p) => p.in !== 'header') ? 120 : 40;

const seedOf = (operation: Operation) =>
  [...`${operation.method} ${operation.template}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, SEED);

describe(`route fuzz on ${database} (seed ${SEED})`, () => {
  // First, while the seeded identity exists: its id must not come back.
  it('no random spelling of an admin path reaches an admin handler on the public port', async () => {
    const isPublic = publicPattern(OPERATIONS);
    const targets = OPERATIONS.filter((op) => op.port === 'admin').map((op) => ({
      method: op.method,
      path: op.template
        .replace('{id}', seeded.ids['identity']![0]!)
        .replace('{type}', 'password')
        .replace('{externalID}', 'fuzz-external-1'),
    }));
    const request = fc
      .constantFrom(...targets)
      .chain(({ method, path }) => adminSpelling(path).map((spelling) => ({ method, path: spelling })))
      .filter(({ method, path }) => !isPublic(method, path));
    await assertProperty(
      fc.asyncProperty(request, async ({ method, path }) => {
        const fuzz = { method, path, headers: { accept: 'application/json' } };
        const answer = await sendRaw(server.publicUrl, fuzz);
        const location = String(answer.headers['location'] ?? '');
        const forwarded = answer.status === 307 && location.startsWith(`${server.adminUrl}/admin/`);
        const leaked = answer.body.includes(seeded.ids['identity']![0]!) || answer.body.includes('recovery_');
        if (!(forwarded || answer.status === 404) || leaked) {
          throw new Error(
            `an admin answer on the public port\n${describeExchange(fuzz, answer, server.tessera)}`,
          );
        }
      }),
      { seed: SEED, numRuns: Math.ceil(600 * RUNS) },
    );
  }, 120_000);

  it.each(OPERATIONS.map((op) => [`${op.method} ${op.template}`, op] as const))(
    '%s: never a 5xx, a stack trace or an admin answer on the public port',
    async (_name, operation) => {
      await assertProperty(
        fc.asyncProperty(
          fc.constant(null).chain(() => requestOf(operation, seeded)),
          async (fuzz) => {
            await checkExchange(server.tessera, operation.port, fuzz);
          },
        ),
        { seed: seedOf(operation), numRuns: Math.ceil(runsFor(operation) * RUNS) },
      );
    },
    120_000,
  );

  it('still serves after all that', async () => {
    for (const url of [server.publicUrl, server.adminUrl]) {
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    }
  });
});
