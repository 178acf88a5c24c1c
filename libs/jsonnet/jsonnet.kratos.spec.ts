import { describe, expect, it } from 'vitest';
import { Jsonnet } from './jsonnet.js';

// Programs as Kratos' documentation and configuration examples write them.
const GITHUB_MAPPER = `
local claims = {
  email_verified: false,
} + std.extVar('claims');

{
  identity: {
    traits: {
      // Only return the email if it exists and is marked verified by GitHub.
      [if 'email' in claims && claims.email_verified then 'email' else null]: claims.email,
    },
  },
}
`;

const GOOGLE_MAPPER = `
local claims = {
  email_verified: true,
} + std.extVar('claims');

{
  identity: {
    traits: {
      [if 'email' in claims && claims.email_verified then 'email' else null]: claims.email,
      first_name: claims.given_name,
      last_name: claims.family_name,
      [if 'hd' in claims && claims.email_verified then 'hd' else null]: claims.hd,
    },
  },
}
`;

const VERIFIED_MAPPER = `
local claims = std.extVar('claims');
{
  identity: {
    traits: {
      email: claims.email,
      [if 'name' in claims then 'name' else null]: { first: claims.given_name, last: claims.family_name },
    },
    verified_addresses: std.prune([
      // Carry over verified status from the social sign-in provider.
      if 'email' in claims && claims.email_verified then { via: 'email', value: claims.email },
    ]),
    metadata_public: { provider_subject: claims.sub },
    metadata_admin: { groups: std.get(claims.raw_claims, 'groups', []) },
  },
}
`;

const WEBHOOK_BODY = `
function(ctx) {
  user_id: ctx.identity.id,
  email: ctx.identity.traits.email,
  method: ctx.request_method,
  agent: ctx.request_headers['User-Agent'][0],
}
`;

const CANCELLING_WEBHOOK = `
function(ctx)
  if ctx.identity.traits.email == 'test@example.com' then error 'cancel'
  else { email: ctx.identity.traits.email }
`;

const COURIER_BODY = `
function(ctx) {
  recipient: ctx.recipient,
  template_type: ctx.template_type,
  to: if 'template_data' in ctx && 'to' in ctx.template_data then ctx.template_data.to else null,
  code: ctx.template_data.verification_code,
}
`;

const TOKENIZER_CLAIMS = `
local claims = std.extVar('claims');
local session = std.extVar('session');
{
  claims: {
    iss: claims.iss,
    sub: session.identity.id,
    email: session.identity.traits.email,
    aal: session.authenticator_assurance_level,
  },
}
`;

const jsonnet = new Jsonnet();

describe('Kratos Jsonnet programs', () => {
  it('maps GitHub claims, dropping an unverified email', () => {
    const p = jsonnet.compile(GITHUB_MAPPER, 'github.jsonnet');
    expect(p.evaluate({ claims: { sub: '1', email: 'a@example.com', email_verified: true } })).toEqual({
      ok: true,
      value: { identity: { traits: { email: 'a@example.com' } } },
    });
    expect(p.evaluate({ claims: { sub: '1', email: 'a@example.com' } })).toEqual({
      ok: true,
      value: { identity: { traits: {} } },
    });
  });

  it('maps Google claims with the hosted domain guard', () => {
    const p = jsonnet.compile(GOOGLE_MAPPER, 'google.jsonnet');
    const claims = { email: 'j@corp.example', given_name: 'Jane', family_name: 'Doe', hd: 'corp.example' };
    expect(p.evaluate({ claims })).toEqual({
      ok: true,
      value: {
        identity: {
          traits: { email: 'j@corp.example', first_name: 'Jane', hd: 'corp.example', last_name: 'Doe' },
        },
      },
    });
    expect(p.evaluate({ claims: { ...claims, email_verified: false } })).toEqual({
      ok: true,
      value: { identity: { traits: { first_name: 'Jane', last_name: 'Doe' } } },
    });
  });

  it('fails a mapper whose claim is missing, naming the place', () => {
    const p = jsonnet.compile(GOOGLE_MAPPER, 'google.jsonnet');
    expect(p.evaluate({ claims: { email: 'x@example.com' } })).toEqual({
      ok: false,
      error: { kind: 'runtime', message: 'google.jsonnet:10:25: field does not exist: given_name' },
    });
  });

  it('produces verified addresses and metadata', () => {
    const p = jsonnet.compile(VERIFIED_MAPPER, 'mapper.jsonnet');
    const claims = {
      sub: 'abc',
      email: 'v@example.com',
      email_verified: true,
      raw_claims: { groups: ['admin'] },
    };
    expect(p.evaluate({ claims })).toEqual({
      ok: true,
      value: {
        identity: {
          traits: { email: 'v@example.com' },
          verified_addresses: [{ via: 'email', value: 'v@example.com' }],
          metadata_public: { provider_subject: 'abc' },
          metadata_admin: { groups: ['admin'] },
        },
      },
    });
    const unverified = p.evaluate({ claims: { ...claims, email_verified: false, raw_claims: {} } });
    expect(unverified.ok && (unverified.value as { identity: object }).identity).toMatchObject({
      verified_addresses: [],
      metadata_admin: { groups: [] },
    });
  });

  it('builds a web hook body from the ctx top-level argument', () => {
    const ctx = {
      identity: { id: 'id-1', traits: { email: 'u@example.com' } },
      request_method: 'POST',
      request_headers: { 'User-Agent': ['curl/8'] },
    };
    const p = jsonnet.compile(WEBHOOK_BODY, 'body.jsonnet');
    expect(p.evaluate({}, { ctx })).toEqual({
      ok: true,
      value: { agent: 'curl/8', email: 'u@example.com', method: 'POST', user_id: 'id-1' },
    });
  });

  it('lets a plain value body ignore ctx', () => {
    expect(jsonnet.compile('{ static: true }', 'body.jsonnet').evaluate({}, { ctx: { a: 1 } })).toEqual({
      ok: true,
      value: { static: true },
    });
  });

  it('reports error "cancel" as raised', () => {
    const p = jsonnet.compile(CANCELLING_WEBHOOK, 'cancel.jsonnet');
    expect(p.evaluate({}, { ctx: { identity: { traits: { email: 'test@example.com' } } } })).toEqual({
      ok: false,
      error: { kind: 'runtime', message: 'cancel.jsonnet:3:59: cancel', raised: 'cancel' },
    });
    expect(p.evaluate({}, { ctx: { identity: { traits: { email: 'b@example.com' } } } })).toEqual({
      ok: true,
      value: { email: 'b@example.com' },
    });
  });

  it('builds a courier HTTP body', () => {
    const ctx = {
      recipient: 'r@example.com',
      template_type: 'verification_code_valid',
      template_data: { to: 'r@example.com', verification_code: '123456' },
    };
    expect(jsonnet.compile(COURIER_BODY, 'courier.jsonnet').evaluate({}, { ctx })).toEqual({
      ok: true,
      value: {
        code: '123456',
        recipient: 'r@example.com',
        template_type: 'verification_code_valid',
        to: 'r@example.com',
      },
    });
  });

  it('builds session tokenizer claims from ext vars', () => {
    const p = jsonnet.compile(TOKENIZER_CLAIMS, 'tokenizer.jsonnet');
    const session = {
      authenticator_assurance_level: 'aal1',
      identity: { id: 'i-1', traits: { email: 'e@x.io' } },
    };
    expect(p.evaluate({ claims: { iss: 'https://issuer' }, session })).toEqual({
      ok: true,
      value: { claims: { aal: 'aal1', email: 'e@x.io', iss: 'https://issuer', sub: 'i-1' } },
    });
  });

  it('refuses a top-level argument the function does not take', () => {
    expect(jsonnet.compile('function(x) x', 'f.jsonnet').evaluate({}, { ctx: 1 })).toMatchObject({
      ok: false,
      error: { kind: 'runtime', message: expect.stringContaining('no parameter ctx') },
    });
  });
});
