import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exposition, parseExposition, sampleValue } from '../../support/prometheus-text.js';
import {
  bodyOf,
  loginWithApi,
  registerWithApi,
  startFlowServer,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const FLOW_OUTCOMES = 'tessera_selfservice_flow_outcomes_total';
const LATENCY = 'http_request_duration_seconds';

let server: FlowServer;
let user: Registered;
let failedLoginFlowId: string;
let before: Exposition;
let after: Exposition;

async function scrape(base: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${base}/metrics/prometheus`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const outcome = (e: Exposition, flow: string, outcome: string) =>
  sampleValue(e, FLOW_OUTCOMES, { flow, method: 'password', outcome }) ?? 0;

beforeAll(async () => {
  // Two wrong guesses per identifier and address: the refusal test below reaches the limit quickly.
  server = await startFlowServer({ SECURITY_BRUTE_FORCE_PER_IDENTIFIER_LIMIT: '2' });
  before = parseExposition((await scrape(server.adminUrl)).text);
  user = await registerWithApi(server.frontend, uniqueEmail('metrics'));
  const failed = await loginWithApi(server.frontend, user.email, 'not-the-password-at-all');
  expect(failed.status).toBe(400);
  failedLoginFlowId = bodyOf<{ id: string }>(failed).id;
  const signedIn = await loginWithApi(server.frontend, user.email, user.password);
  expect(signedIn.status).toBe(200);
  after = parseExposition((await scrape(server.adminUrl)).text);
});

afterAll(async () => {
  await server?.stop();
});

describe('GET /metrics/prometheus', () => {
  it('is served on the admin port in the text exposition format, every sample in a typed family', async () => {
    const { status, type, text } = await scrape(server.adminUrl);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    const parsed = parseExposition(text);
    for (const { name } of parsed.samples) {
      const family = parsed.types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
      expect(parsed.types.has(family), name).toBe(true);
    }
    expect(parsed.types.get(LATENCY)).toBe('histogram');
    expect(parsed.types.get(FLOW_OUTCOMES)).toBe('counter');
    expect(sampleValue(parsed, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(parsed, 'tessera_hash_gate_queue_length')).toBe(0);
    expect(sampleValue(parsed, 'tessera_hash_gate_shed_total')).toBe(0);
    expect(sampleValue(parsed, 'tessera_brute_force_refusals_total', { scope: 'identifier_address' })).toBe(
      0,
    );
    expect(sampleValue(parsed, 'tessera_courier_messages', { status: 'abandoned' })).toBe(0);
  });

  it('shows the PostgreSQL pool, and no pool for SQLite', () => {
    const inUse = sampleValue(after, 'tessera_db_pool_connections', { state: 'in_use' });
    const idle = sampleValue(after, 'tessera_db_pool_connections', { state: 'idle' });
    if (process.env['TEST_DATABASE_POSTGRES']) {
      expect(inUse).toBeGreaterThanOrEqual(0);
      expect(inUse! + idle!).toBeGreaterThanOrEqual(1);
      expect(sampleValue(after, 'tessera_db_pool_waiting')).toBe(0);
    } else {
      expect([inUse, idle, after.types.get('tessera_db_pool_connections')]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    }
  });

  it('times the login route by its pattern, with the statuses the client got', () => {
    const count = (status: string) =>
      sampleValue(after, `${LATENCY}_count`, {
        route: '/self-service/login',
        method: 'POST',
        status_code: status,
      });
    expect(count('400')).toBe(1);
    expect(count('200')).toBe(1);
    const buckets = after.samples.filter(
      (s) =>
        s.name === `${LATENCY}_bucket` &&
        s.labels['route'] === '/self-service/login' &&
        s.labels['status_code'] === '200',
    );
    expect(buckets.map((b) => b.labels['le'])).toEqual([
      '0.001',
      '0.0025',
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.5',
      '1',
      '2.5',
      '5',
      '10',
      '+Inf',
    ]);
    expect(buckets.at(-1)!.value).toBe(1);
  });

  it('counts each finished flow exactly once, by flow, method and outcome', () => {
    expect(outcome(after, 'registration', 'success') - outcome(before, 'registration', 'success')).toBe(1);
    expect(outcome(after, 'login', 'failure') - outcome(before, 'login', 'failure')).toBe(1);
    expect(outcome(after, 'login', 'success') - outcome(before, 'login', 'success')).toBe(1);
    const total = (e: Exposition) =>
      e.samples.filter((s) => s.name === FLOW_OUTCOMES).reduce((sum, s) => sum + s.value, 0);
    expect(total(after) - total(before)).toBe(3);
  });

  it('puts no flow id, identity id, email or query string in any label', () => {
    const values = after.samples.flatMap((s) => Object.values(s.labels));
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      expect(value).not.toMatch(UUID);
      expect(value).not.toContain('@');
      expect(value).not.toContain('?');
    }
    const labels = JSON.stringify(values);
    for (const secret of [failedLoginFlowId, user.identity.id, user.session.id, user.email]) {
      expect(labels).not.toContain(secret);
    }
  });

  it('counts a guess over the brute-force budget as refused, by flow, method and scope', async () => {
    const guesser = await registerWithApi(server.frontend, uniqueEmail('guessed'));
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await loginWithApi(server.frontend, guesser.email, 'wrong-guess')).status);
    expect(statuses).toEqual([400, 400, 429]);
    const now = parseExposition((await scrape(server.adminUrl)).text);
    expect(outcome(now, 'login', 'failure') - outcome(after, 'login', 'failure')).toBe(2);
    expect(outcome(now, 'login', 'refused') - outcome(after, 'login', 'refused')).toBe(1);
    expect(sampleValue(now, 'tessera_brute_force_refusals_total', { scope: 'identifier_address' })).toBe(1);
    expect(
      sampleValue(now, `${LATENCY}_count`, {
        route: '/self-service/login',
        method: 'POST',
        status_code: '429',
      }),
    ).toBe(1);
  });

  it('is not served on the public port, under either spelling', async () => {
    expect((await scrape(server.publicUrl)).status).toBe(404);
    const prefixed = await fetch(`${server.publicUrl}/admin/metrics/prometheus`);
    expect(prefixed.status).toBe(404);
    expect(await prefixed.text()).not.toContain('# TYPE');
  });

  it('stays out of the served OpenAPI document', async () => {
    const document = (await (await fetch(`${server.adminUrl}/admin/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths).length).toBeGreaterThan(10);
    expect(Object.keys(document.paths).filter((path) => path.includes('metrics'))).toEqual([]);
  });
});
