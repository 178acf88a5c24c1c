#!/usr/bin/env node
// `node scripts/ensure-built.js && node bench/jsonnet.js`: per-evaluation time of a typical OIDC
// claims mapper and a web-hook body in Tessera's Jsonnet evaluator (compile once, evaluate many).
// Numbers, not a pass/fail test.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Jsonnet } from '../dist/libs/jsonnet/index.js';
import { describeMachine } from './lib/machine.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
  },
});
const N = Number(values.iterations);
const ROUNDS = Number(values.rounds);

const MAPPER = `
local claims = { email_verified: false } + std.extVar('claims');
{
  identity: {
    traits: {
      [if 'email' in claims && claims.email_verified then 'email' else null]: claims.email,
      name: {
        first: if 'given_name' in claims then claims.given_name else null,
        last: if 'family_name' in claims then claims.family_name else null,
      },
      [if 'hd' in claims && claims.email_verified then 'hd' else null]: claims.hd,
    },
    verified_addresses: std.prune([
      if 'email' in claims && claims.email_verified then { via: 'email', value: claims.email },
    ]),
    metadata_public: { provider: 'google', locale: std.get(claims, 'locale', 'en') },
  },
}`;

const WEBHOOK = `
function(ctx) {
  identity_id: ctx.identity.id,
  email: ctx.identity.traits.email,
  flow: { id: ctx.flow.id, type: ctx.flow.type },
  agent: std.join(' ', ctx.request_headers['User-Agent']),
  greeting: 'Hello %s, welcome!' % [std.asciiLower(ctx.identity.traits.email)],
}`;

const claims = {
  iss: 'https://accounts.google.com',
  sub: '109876543210',
  email: 'jane.doe@example.com',
  email_verified: true,
  given_name: 'Jane',
  family_name: 'Doe',
  hd: 'example.com',
  locale: 'de',
  picture: 'https://lh3.example.com/a/photo.png',
  raw_claims: { aud: 'client', groups: ['staff', 'dev'], amr: ['pwd'] },
};
const ctx = {
  flow: { id: '6b2d3c4e-0000-4000-8000-000000000001', type: 'browser', ui: { nodes: [] } },
  identity: { id: '6b2d3c4e-0000-4000-8000-000000000002', traits: { email: 'Jane.Doe@example.com' } },
  request_headers: { 'User-Agent': ['Mozilla/5.0', '(X11; Linux x86_64)'] },
  request_method: 'POST',
  request_url: 'https://id.example.com/self-service/registration?flow=1',
};

function measure(label, run) {
  const result = run();
  if (!result.ok) throw new Error(`${label}: ${result.error.message}`);
  for (let i = 0; i < 2000; i++) run(); // warm up
  const times = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < N; i++) run();
    times.push(((performance.now() - start) / N) * 1000);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: median ${times[Math.floor(times.length / 2)].toFixed(1)} µs/evaluation (best ${times[0].toFixed(1)}, ${ROUNDS} rounds of ${N})`,
  );
}

console.log(JSON.stringify(describeMachine()));
const jsonnet = new Jsonnet();
const COMPILES = 1000;
const compileStart = performance.now();
for (let i = 0; i < COMPILES; i++) jsonnet.compile(MAPPER, 'mapper.jsonnet');
const compileMicros = ((performance.now() - compileStart) / COMPILES) * 1000;
console.log(`compile claims mapper: ${compileMicros.toFixed(1)} µs/compile`);
const mapper = jsonnet.compile(MAPPER, 'mapper.jsonnet');
const webhook = jsonnet.compile(WEBHOOK, 'body.jsonnet');
measure('OIDC claims mapper', () => mapper.evaluate({ claims }));
measure('web hook body (ctx top-level argument)', () => webhook.evaluate({}, { ctx }));
