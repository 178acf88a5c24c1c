import { describe, expect, it } from 'vitest';
import { Jsonnet } from '../jsonnet/index.js';
import { buildClaims, type ClaimsInput } from './tokenizer-claims.js';

const INPUT: ClaimsInput = {
  issuer: 'https://id.example/',
  now: new Date('2026-01-01T00:00:00.750Z'),
  ttlMs: 90_000,
  subjectSource: 'id',
  sessionId: 'session-1',
  identityId: 'identity-1',
  externalId: null,
};
const NOW = Date.parse('2026-01-01T00:00:00Z') / 1000;
const jsonnet = new Jsonnet();

describe('buildClaims', () => {
  it("sets Kratos' claims in seconds, exp at now + ttl, a fresh jti each time", () => {
    const first = buildClaims(INPUT);
    const second = buildClaims(INPUT);
    expect(first).toEqual({
      ok: true,
      claims: {
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        iss: 'https://id.example/',
        sub: 'identity-1',
        sid: 'session-1',
        iat: NOW,
        nbf: NOW,
        exp: NOW + 90,
      },
    });
    expect(first.ok && second.ok && first.claims['jti'] !== second.claims['jti']).toBe(true);
  });

  it('takes sub from the external id when the template says so, and fails without one', () => {
    expect(buildClaims({ ...INPUT, subjectSource: 'external_id', externalId: 'ext-9' })).toMatchObject({
      ok: true,
      claims: { sub: 'ext-9' },
    });
    expect(buildClaims({ ...INPUT, subjectSource: 'external_id' })).toEqual({
      ok: false,
      reason:
        "The session's identity does not have an external ID set, but it is required for the subject claim.",
    });
  });

  it("lays the mapper's claims over the standard ones, except sub; the mapper sees session and claims", () => {
    const mapper = jsonnet.compile(
      `local s = std.extVar('session'); local c = std.extVar('claims');
       { claims: { email: s.identity.traits.email, sub: 'forged', iss: c.iss + 'x', copy_exp: c.exp } }`,
      'm.jsonnet',
    );
    const result = buildClaims(INPUT, mapper, { identity: { traits: { email: 'a@b.io' } } });
    expect(result).toMatchObject({
      ok: true,
      claims: { email: 'a@b.io', sub: 'identity-1', iss: 'https://id.example/x', copy_exp: NOW + 90 },
    });
  });

  it('reports a mapper that raises an error, and one that returns no claims object', () => {
    const raising = jsonnet.compile(`error 'no tokens today'`, 'raise.jsonnet');
    expect(buildClaims(INPUT, raising, {})).toEqual({
      ok: false,
      reason: 'Unable to execute tokenizer JsonNet.',
      debug: expect.stringContaining('no tokens today'),
    });
    for (const source of ['{}', '{ claims: [1] }', '"x"']) {
      expect(buildClaims(INPUT, jsonnet.compile(source, 'shape.jsonnet'), {})).toEqual({
        ok: false,
        reason: 'Expected tokenizer JsonNet to return a claims object but it did not.',
      });
    }
  });
});
