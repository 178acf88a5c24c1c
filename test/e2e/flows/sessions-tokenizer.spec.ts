import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JWK,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTessera } from '../../support/tessera-process.js';
import {
  expectError,
  registerWithApi,
  startFlowServer,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';

// whoami?tokenize_as=<template>: the session as a JWT signed with the template's JWKS.

const base64 = (text: string) => `base64://${Buffer.from(text).toString('base64')}`;

const MAPPER = `
local session = std.extVar('session');
local claims = std.extVar('claims');
{
  claims: {
    email: session.identity.traits.email,
    schema_id: session.identity.schema_id,
    aal: session.authenticator_assurance_level,
    sub: 'the mapper cannot change the subject',
    copied_exp: claims.exp,
  },
}`;

let server: FlowServer;
let publicJwks: { keys: JWK[] };
let privateJwks: string;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  privateJwks = JSON.stringify({
    keys: [{ ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'e2e-es256' }],
  });
  publicJwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'e2e-es256' }] };
  server = await startFlowServer({
    SESSION_WHOAMI_TOKENIZER_TEMPLATES: JSON.stringify({
      es: { ttl: '5m', jwks_url: base64(privateJwks), claims_mapper_url: base64(MAPPER) },
      plain: { jwks_url: base64(privateJwks) },
      raising: { jwks_url: base64(privateJwks), claims_mapper_url: base64(`error 'no tokens for you'`) },
    }),
  });
});

afterAll(async () => {
  await server?.stop();
});

describe('whoami?tokenize_as', () => {
  it('answers the session and a JWT that verifies against the public JWKS, with the mapper claims', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('tokenizer'));
    const before = Math.floor(Date.now() / 1000);
    const response = await server.frontend.toSession({ xSessionToken: user.token, tokenizeAs: 'es' });
    expect(response.status).toBe(200);
    expect(response.headers['x-kratos-authenticated-identity-id']).toBe(user.identity.id);
    expect(response.data.id).toBe(user.session.id);
    expect(response.data.identity?.id).toBe(user.identity.id);
    const jwt = response.data.tokenized!;
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: 'e2e-es256', typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(publicJwks), {
      issuer: `${server.publicUrl}/`,
      subject: user.identity.id,
    });
    expect(payload).toMatchObject({
      sid: user.session.id,
      email: user.email,
      schema_id: 'default',
      aal: 'aal1',
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.exp).toBe(payload.iat! + 300);
    expect(payload['copied_exp']).toBe(payload.exp);
  });

  it('without a mapper, the standard claims with the default ttl of one minute', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('tokenizer'));
    const response = await server.frontend.toSession({ xSessionToken: user.token, tokenizeAs: 'plain' });
    expect(response.status).toBe(200);
    const { payload } = await jwtVerify(response.data.tokenized!, createLocalJWKSet(publicJwks));
    expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'iss', 'jti', 'nbf', 'sid', 'sub']);
    expect(payload.exp).toBe(payload.iat! + 60);
    // Repeated, the first value counts, as with Go's Query().Get.
    const repeated = await fetch(
      `${server.publicUrl}/sessions/whoami?tokenize_as=plain&tokenize_as=unknown`,
      {
        headers: { 'X-Session-Token': user.token },
      },
    );
    expect(repeated.status).toBe(200);
    expect(((await repeated.json()) as { tokenized?: string }).tokenized).toMatch(/^ey/);
  });

  it('answers no tokenized field when tokenize_as is absent or empty', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('tokenizer'));
    for (const tokenizeAs of [undefined, '']) {
      const response = await server.frontend.toSession({ xSessionToken: user.token, tokenizeAs });
      expect(response.status).toBe(200);
      expect(response.data).not.toHaveProperty('tokenized');
    }
  });

  it('answers 400 for an unknown template', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('tokenizer'));
    const response = await server.frontend.toSession({ xSessionToken: user.token, tokenizeAs: 'unknown' });
    const envelope = expectError(response, 400);
    expect(envelope.error.reason).toBe('Unable to find tokenizer template "unknown".');
    expect(response.headers['x-kratos-authenticated-identity-id']).toBeUndefined();
  });

  it('answers 401 as usual without a session, whatever the template', async () => {
    const response = await server.frontend.toSession({ tokenizeAs: 'es' });
    const envelope = expectError(response, 401);
    const usual = expectError(await server.frontend.toSession({}), 401);
    expect(envelope.error.reason).toBe(usual.error.reason);
    expect(envelope.error.message).toBe(usual.error.message);
  });

  it('answers a clean 400 when the mapper raises an error', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('tokenizer'));
    const response = await server.frontend.toSession({ xSessionToken: user.token, tokenizeAs: 'raising' });
    const envelope = expectError(response, 400);
    expect(envelope.error.reason).toBe('Unable to execute tokenizer JsonNet.');
    expect(JSON.stringify(envelope)).toContain('no tokens for you');
    expect(JSON.stringify(envelope)).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('tokenizer templates at start', () => {
  it('stop the start with one line naming the key of a JWKS without a private key', async () => {
    const publicOnly = base64(JSON.stringify(publicJwks));
    const start = startTessera({
      env: { SESSION_WHOAMI_TOKENIZER_TEMPLATES: JSON.stringify({ broken: { jwks_url: publicOnly } }) },
    });
    await expect(start).rejects.toThrow(
      /tessera exited with 1:\n(.*\n)*config: session\.whoami\.tokenizer\.templates\.broken\.jwks_url: the first key of the JWKS is not a private key\n/,
    );
  });
});
