import type { LoginFlow, UiNode, UiNodeInputAttributes } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  fetchFlow,
  initBrowserFlow,
  postForm,
  postJson,
  registerWithApi,
  startFlowServer,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';
import { serverDurations } from '../../support/server-timing.js';

// identifier_first with security.account_enumeration.mitigate: step two looks the same, answers
// with the same status and takes the same time whether or not the account exists (Kratos: every
// configured method is offered, and the wrong one fails later with the generic 4000006).

const ROUNDS = 200;
const MAPPER = 'local claims = std.extVar("claims"); { identity: { traits: { email: claims.email } } }';

let server: FlowServer;
let user: Registered;

beforeAll(async () => {
  server = await startFlowServer({
    SELFSERVICE_FLOWS_LOGIN_STYLE: 'identifier_first',
    SECURITY_ACCOUNT_ENUMERATION_MITIGATE: 'true',
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    SELFSERVICE_METHODS_PASSKEY_ENABLED: 'true',
    SELFSERVICE_METHODS_PASSKEY_CONFIG_RP: JSON.stringify({
      id: 'localhost',
      display_name: 'Tessera',
      origins: ['http://localhost:4455'],
    }),
    SELFSERVICE_METHODS_OIDC_ENABLED: 'true',
    SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS: JSON.stringify([
      {
        id: 'google',
        provider: 'google',
        client_id: 'a',
        client_secret: 'b',
        mapper_url: `base64://${Buffer.from(MAPPER).toString('base64')}`,
      },
    ]),
    SECURITY_BRUTE_FORCE_PER_IDENTIFIER_LIMIT: '1000',
    SECURITY_BRUTE_FORCE_PER_IP_LIMIT: '10000',
  });
  user = await registerWithApi(server.frontend, uniqueEmail('mitigated'));
});

afterAll(async () => {
  await server?.stop();
});

/** The nodes with what differs between two flows anyway (CSRF, challenge, nonce, identifier) blanked. */
function shape(flow: LoginFlow): unknown {
  return {
    state: flow.state,
    active: flow.active,
    messages: flow.ui.messages ?? [],
    nodes: flow.ui.nodes.map((node: UiNode) => {
      const attributes = node.attributes as UiNodeInputAttributes;
      const blank = ['csrf_token', 'identifier', 'passkey_challenge'].includes(attributes.name);
      const blanked = blank ? { ...attributes, value: '<blank>' } : attributes;
      return { ...node, attributes: 'nonce' in blanked ? { ...blanked, nonce: '<blank>' } : blanked };
    }),
  };
}

const submits = (flow: LoginFlow) =>
  flow.ui.nodes
    .map((n) => n.attributes as UiNodeInputAttributes)
    .filter((a) => a.type === 'submit' || a.type === 'button')
    .map((a) => `${a.name}=${String(a.value ?? '')}`);

async function apiStepTwo(identifier: string, requestId?: string) {
  const { data: flow } = await server.frontend.createNativeLoginFlow();
  const response = await server.frontend.updateLoginFlow(
    { flow: flow.id, updateLoginFlowBody: { method: 'identifier_first', identifier } as never },
    requestId ? { headers: { 'X-Request-ID': requestId } } : {},
  );
  return { status: response.status, flow: response.data as unknown as LoginFlow };
}

describe('identifier_first with account enumeration mitigated, API client', () => {
  it('answers an unknown identifier exactly as a known one: password, code and social sign-in', async () => {
    const known = await apiStepTwo(user.email);
    const unknown = await apiStepTwo(uniqueEmail('nobody'));
    expect(known.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(shape(unknown.flow)).toEqual(shape(known.flow));
    expect(submits(known.flow)).toEqual(['provider=google', 'method=password', 'method=code']);
    const identifier = known.flow.ui.nodes.find(
      (n) => (n.attributes as UiNodeInputAttributes).name === 'identifier',
    );
    expect(identifier?.attributes).toMatchObject({ type: 'hidden', value: user.email });
  });

  it('fails the password of an unknown account and a wrong one alike, with 4000006', async () => {
    const tryPassword = async (identifier: string) => {
      const { flow } = await apiStepTwo(identifier);
      const response = await server.frontend.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: 'password', identifier, password: 'Not-The-Password-9' },
      });
      return {
        status: response.status,
        ids: (response.data as unknown as LoginFlow).ui.messages?.map((m) => m.id),
      };
    };
    expect(await tryPassword(uniqueEmail('nobody'))).toEqual({ status: 400, ids: [4000006] });
    expect(await tryPassword(user.email)).toEqual({ status: 400, ids: [4000006] });
  });

  it(`takes the same time for both (median and p90 of ${ROUNDS} each, server side)`, async () => {
    const known: string[] = [];
    const unknown: string[] = [];
    // Interleaved, so any noise on the shared machine hits both alike; ten rounds warm up.
    for (let round = 0; round < ROUNDS + 10; round++) {
      const a = `idfirst-known-${round}`;
      const b = `idfirst-unknown-${round}`;
      await apiStepTwo(user.email, a);
      await apiStepTwo(uniqueEmail('nobody'), b);
      if (round < 10) continue;
      known.push(a);
      unknown.push(b);
    }
    const stats = async (ids: string[]) => {
      const sorted = (await serverDurations(server.tessera, '/self-service/login', ids)).sort(
        (x, y) => x - y,
      );
      return {
        median: sorted[Math.floor(sorted.length / 2)]!,
        p90: sorted[Math.floor(sorted.length * 0.9)]!,
      };
    };
    const k = await stats(known);
    const u = await stats(unknown);
    const report = `known median ${k.median} ms p90 ${k.p90} ms; unknown median ${u.median} ms p90 ${u.p90} ms`;
    console.info(`identifier_first step two, mitigated: ${report}`);
    // Within 20%, or within a millisecond for answers this quick.
    const close = (x: number, y: number) => Math.abs(x - y) <= Math.max(1, 0.2 * Math.max(x, y));
    expect(close(k.median, u.median), report).toBe(true);
    expect(close(k.p90, u.p90), report).toBe(true);
  });
});

describe('identifier_first with account enumeration mitigated, browsers', () => {
  async function browserStepTwo(identifier: string, json: boolean) {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
    const flow = (await fetchFlow(jar, server.publicUrl, 'login', flowId)).body as unknown as LoginFlow;
    const fields = { csrf_token: csrfTokenOf(flow), method: 'identifier_first', identifier };
    const response = json
      ? await postJson(jar, flow.ui.action, fields)
      : await postForm(jar, flow.ui.action, fields);
    const next = json
      ? ((await response.json()) as LoginFlow)
      : ((await fetchFlow(jar, server.publicUrl, 'login', flowId)).body as unknown as LoginFlow);
    return { status: response.status, flow: next };
  }

  for (const [client, json, status] of [
    ['HTML form', false, 303],
    ['single-page app', true, 400],
  ] as const) {
    it(`${client}: the same step two for both, the passkey button included`, async () => {
      const known = await browserStepTwo(user.email, json);
      const unknown = await browserStepTwo(uniqueEmail('nobody'), json);
      expect([known.status, unknown.status]).toEqual([status, status]);
      expect(shape(unknown.flow)).toEqual(shape(known.flow));
      expect(submits(known.flow)).toEqual([
        'provider=google',
        'method=password',
        'method=code',
        'passkey_login_trigger=',
      ]);
    });
  }
});
