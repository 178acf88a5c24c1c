import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigService } from '../config/index.js';
import { ApiError } from '../errors/index.js';
import { Jsonnet } from '../jsonnet/index.js';
import { Clock } from '../persistence/index.js';
import { type SessionEntity } from './session.entity.js';
import { SessionTokenizer } from './session-tokenizer.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const clock = { now: () => NOW } as Clock;
const jsonnet = new Jsonnet();
const SESSION = {
  id: 'sid-1',
  identityId: 'iid-1',
  identity: { externalId: null },
} as unknown as SessionEntity;

function configWith(templates: Record<string, unknown>): ConfigService {
  return new ConfigService({
    values: {
      serve: { public: { host: '127.0.0.1', port: 4433, base_url: 'https://id.example/' } },
      session: { whoami: { tokenizer: { templates } } },
    },
    warnings: [],
    secrets: [],
  });
}

const base64 = (text: string) => `base64://${Buffer.from(text).toString('base64')}`;

async function es256() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'es' };
  return {
    jwks: JSON.stringify({ keys: [jwk] }),
    publicJwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'es' }] },
  };
}

describe('SessionTokenizer', () => {
  it('signs a JWT with the template key, the mapper claims and exp at now + ttl', async () => {
    const { jwks, publicJwks } = await es256();
    const dir = mkdtempSync(join(tmpdir(), 'tokenizer-'));
    writeFileSync(join(dir, 'jwks.json'), jwks);
    const tokenizer = await SessionTokenizer.load(
      configWith({
        short: {
          ttl: '10m',
          jwks_url: 'file://jwks.json',
          claims_mapper_url: base64(`{ claims: { aal: std.extVar('session').aal } }`),
        },
      }),
      jsonnet,
      clock,
      dir,
    );
    const jwt = await tokenizer.tokenize('short', SESSION, { aal: 'aal1' });
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(publicJwks), {
      currentDate: NOW,
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'es', typ: 'JWT' });
    expect(payload).toMatchObject({
      iss: 'https://id.example/',
      sub: 'iid-1',
      sid: 'sid-1',
      aal: 'aal1',
      iat: NOW.getTime() / 1000,
      exp: NOW.getTime() / 1000 + 600,
    });
  });

  it('answers 400 for an unknown template and for a mapper that raises an error', async () => {
    const { jwks } = await es256();
    const tokenizer = await SessionTokenizer.load(
      configWith({ raising: { jwks_url: base64(jwks), claims_mapper_url: base64(`error 'boom'`) } }),
      jsonnet,
      clock,
    );
    const unknown = await tokenizer.tokenize('nope', SESSION, {}).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ApiError);
    expect((unknown as ApiError).envelope().error).toMatchObject({
      code: 400,
      reason: 'Unable to find tokenizer template "nope".',
    });
    const raised = await tokenizer.tokenize('raising', SESSION, {}).catch((e: unknown) => e);
    expect((raised as ApiError).envelope().error).toMatchObject({
      code: 400,
      reason: 'Unable to execute tokenizer JsonNet.',
      details: { jsonnet: expect.stringContaining('boom') },
    });
  });

  it('stops the start with one line per template whose key or mapper cannot be used', async () => {
    const { jwks } = await es256();
    const error = await SessionTokenizer.load(
      configWith({
        good: { jwks_url: base64(jwks) },
        public_only: {
          jwks_url: base64(
            JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', alg: 'ES256' }] }),
          ),
        },
        missing: { jwks_url: 'file:///nonexistent/jwks.json' },
        bad_mapper: { jwks_url: base64(jwks), claims_mapper_url: base64('{ claims: ') },
      }),
      jsonnet,
      clock,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(
      'session.whoami.tokenizer.templates.public_only.jwks_url: the first key of the JWKS is not a private key',
    );
    expect(problems[1]).toMatch(
      /^session\.whoami\.tokenizer\.templates\.missing\.jwks_url: file .* does not exist$/,
    );
    expect(problems[2]).toMatch(/^session\.whoami\.tokenizer\.templates\.bad_mapper\.claims_mapper_url: /);
  });
});
