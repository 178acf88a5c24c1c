import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OidcProviderConfig } from '../../../config/index.js';
import { socialProvider } from './index.js';
import { ProviderUnavailableError } from './generic.provider.js';
import { MicrosoftProvider } from './microsoft.provider.js';
import { OidcFlowError } from './oidc-provider.js';

const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const OTHER = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** Microsoft's login host in miniature (tenant discovery, keys, a token endpoint) and Graph's `/me`. */
let server: Server;
let host: string;
let nextIdToken: JWTPayload = {};
let graphMe: { status: number; body: unknown } = { status: 200, body: {} };
const graphAuthorizations: (string | undefined)[] = [];
let sign: (claims: JWTPayload) => Promise<string>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  sign = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  server = createServer((req, res) => {
    const path = req.url ?? '';
    const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    res.setHeader('content-type', 'application/json');
    if (discovery) {
      return res.end(JSON.stringify({ issuer: `${host}/${discovery[1]}/v2.0`, jwks_uri: `${host}/keys` }));
    }
    if (path === '/keys') return res.end(JSON.stringify({ keys: [jwk] }));
    if (path === '/graph/v1.0/me' && req.method === 'GET') {
      graphAuthorizations.push(req.headers.authorization);
      res.statusCode = graphMe.status;
      return res.end(JSON.stringify(graphMe.body));
    }
    if (path === '/common/oauth2/v2.0/token' && req.method === 'POST') {
      void sign(nextIdToken).then((idToken) =>
        res.end(JSON.stringify({ access_token: 'at', id_token: idToken, token_type: 'Bearer' })),
      );
      return;
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const config = (): OidcProviderConfig => ({
  id: 'ms',
  provider: 'microsoft',
  client_id: 'app-id',
  client_secret: 'secret',
  mapper_url: 'base64://e30=',
  microsoft_tenant: 'common',
  issuer_url: host,
});

async function exchange(claims: JWTPayload, provider = socialProvider(config())) {
  nextIdToken = claims;
  return provider.exchange({
    redirectUri: 'http://127.0.0.1:1/self-service/methods/oidc/callback/ms',
    query: { code: 'c', state: 's' },
  });
}

describe("microsoft: multi-tenant (common) sign-in, issuer of the person's own tenant", () => {
  it("uses the configured tenant's endpoints and asks for openid", async () => {
    const url = new URL(
      await socialProvider({ ...config(), microsoft_tenant: 'organizations' }).authorizationUrl({
        redirectUri: 'http://127.0.0.1:1/cb',
        state: 's',
        upstream: {},
        forceLogin: false,
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${host}/organizations/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('scope')).toBe('openid profile email');
  });

  it('accepts a token whose issuer is the tenant named by its tid', async () => {
    const person = await exchange({
      iss: `${host}/${TENANT}/v2.0`,
      aud: 'app-id',
      sub: 'subject-1',
      tid: TENANT,
      email: 'a@example.org',
    });
    expect(person.claims).toMatchObject({
      sub: 'subject-1',
      iss: `${host}/${TENANT}/v2.0`,
      email: 'a@example.org',
    });
    expect(person.tokens.access_token).toBe('at');
  });

  it("refuses another tenant's issuer, a tid that is no UUID, and a wrong audience", async () => {
    const base = { aud: 'app-id', sub: 'subject-1', tid: TENANT };
    await expect(exchange({ ...base, iss: `${host}/${OTHER}/v2.0` })).rejects.toThrow(/"iss" claim/);
    await expect(exchange({ ...base, iss: `${host}/common/v2.0`, tid: 'common' })).rejects.toThrow(
      new OidcFlowError('TenantID claim is not a valid UUID'),
    );
    await expect(exchange({ ...base, iss: `${host}/${TENANT}/v2.0`, aud: 'someone-else' })).rejects.toThrow(
      /"aud" claim/,
    );
  });
});

describe('microsoft: subject_source', () => {
  const OID = '00000000-0000-0000-66f3-3332eca7ea81';
  const token = () => ({
    iss: `${host}/${TENANT}/v2.0`,
    aud: 'app-id',
    sub: 'pairwise-subject',
    tid: TENANT,
    oid: OID,
  });
  const withSource = (subject_source: OidcProviderConfig['subject_source']) =>
    new MicrosoftProvider({ ...config(), subject_source }, `${host}/graph`);

  it("keys the person by the token's sub by default and with userinfo", async () => {
    expect((await exchange(token())).claims.sub).toBe('pairwise-subject');
    expect((await exchange(token(), withSource('userinfo'))).claims.sub).toBe('pairwise-subject');
  });

  it("keys the person by the token's oid with oid, raw_claims unchanged", async () => {
    const person = await exchange(token(), withSource('oid'));
    expect(person.claims.sub).toBe(OID);
    expect(person.claims.raw_claims).toMatchObject({ sub: 'pairwise-subject', oid: OID });
  });

  it('refuses a token without oid when the subject is the oid', async () => {
    const { oid: _none, ...noOid } = token();
    await expect(exchange(noOid, withSource('oid'))).rejects.toThrow(OidcFlowError);
  });

  it("keys the person by Graph's /v1.0/me id with me, asked with the access token", async () => {
    graphMe = { status: 200, body: { id: 'graph-id-7', displayName: 'Ada' } };
    graphAuthorizations.length = 0;
    const person = await exchange(token(), withSource('me'));
    expect(person.claims.sub).toBe('graph-id-7');
    expect(person.claims.raw_claims['sub']).toBe('pairwise-subject');
    expect(graphAuthorizations).toEqual(['Bearer at']);
  });

  it('fails the sign-in when Graph refuses or gives no id', async () => {
    graphMe = { status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } };
    await expect(exchange(token(), withSource('me'))).rejects.toThrow(ProviderUnavailableError);
    graphMe = { status: 200, body: { displayName: 'Ada' } };
    await expect(exchange(token(), withSource('me'))).rejects.toThrow(OidcFlowError);
  });
});
