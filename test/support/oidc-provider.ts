import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import Provider from 'oidc-provider';
import { CookieJar } from './cookie-jar.js';

/** A client registered at the test provider: Tessera signs in with it. */
export interface OidcClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

/** What the provider's account store knows about a person; `sub` is the key. */
export type AccountClaims = Record<string, unknown>;

/**
 * How the next ID tokens from the token endpoint are altered before Tessera sees them (the
 * provider's own token is decoded, changed and signed again): `claims` overrides payload claims
 * (`aud`, `iss`, `exp`); `foreignKey` signs with a key the provider never published, under the
 * provider's key id, as a forger would.
 */
export interface IdTokenTampering {
  claims?: JWTPayload;
  foreignKey?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clients: OidcClient[];
  /** Adds or replaces a person the provider can sign in. */
  addAccount(sub: string, claims: AccountClaims): void;
  /** Alters the ID tokens of later code exchanges; `null` stops it. */
  tamperIdTokens(tampering: IdTokenTampering | null): void;
  /** Every token request body seen (form fields), oldest first. */
  tokenRequests: URLSearchParams[];
  /**
   * Plays the person at the provider: opens Tessera's authorization URL, then signs in as `sub`
   * and consents, or refuses (`deny`). Returns the URL the provider sends the browser back to
   * (Tessera's callback), without opening it. The provider's cookies live in `jar` (one per
   * browser; a fresh one when omitted).
   */
  authorize(
    authorizationUrl: string,
    action: { sub: string } | { deny: true; description?: string },
    jar?: CookieJar,
  ): Promise<string>;
  close(): Promise<void>;
}

export interface StartOidcProviderOptions {
  /** Client ids and redirect URIs; secrets are generated. */
  clients: { client_id: string; redirect_uris: string[] }[];
  /** Require PKCE from every client (default true). */
  pkce?: boolean;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

async function signingKey(kid: string): Promise<{ privateJwk: JWK; privateKey: PrivateKey }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateJwk, privateKey };
}

/**
 * A real OpenID provider (`oidc-provider`) on a loopback port: authorization code flow with PKCE,
 * client_secret_basic at the token endpoint, RS256 ID tokens carrying the scope's claims, an
 * in-memory account store and a scripted login/consent/deny step instead of HTML pages.
 */
export async function startOidcProvider(options: StartOidcProviderOptions): Promise<TestOidcProvider> {
  const kid = randomBytes(6).toString('hex');
  const real = await signingKey(kid);
  const foreign = await signingKey(kid);
  const accounts = new Map<string, AccountClaims>();
  const tokenRequests: URLSearchParams[] = [];
  let tampering: IdTokenTampering | null = null;
  const clients: OidcClient[] = options.clients.map((c) => ({
    ...c,
    client_secret: randomBytes(24).toString('base64url'),
  }));

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      ...c,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    })),
    jwks: { keys: [real.privateJwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'picture', 'locale'],
      phone: ['phone_number', 'phone_number_verified'],
    },
    // Scope claims go into the ID token itself, as Google and most providers do.
    conformIdTokenClaims: false,
    scopes: ['openid', 'offline_access', 'email', 'profile', 'phone'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { required: () => options.pkce !== false },
    findAccount: (_ctx: unknown, sub: string) => {
      const claims = accounts.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: () => ({ ...claims, sub }) };
    },
  });
  provider.on('server_error', (...args: unknown[]) => console.error('oidc-provider server_error', args[1]));
  const handle = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const details = await provider.interactionDetails(req, res);
    if (form.get('deny')) {
      return provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: form.get('description') ?? 'The resource owner denied the request.',
      });
    }
    if (details.prompt.name === 'login') {
      return provider.interactionFinished(req, res, { login: { accountId: form.get('sub') ?? '' } });
    }
    const grant = new provider.Grant({
      accountId: details.session?.accountId ?? '',
      clientId: String(details.params['client_id']),
    });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } });
  }

  /** The token endpoint, with its ID token altered as the test asked. */
  async function tamperedToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const upstream = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': req.headers['content-type'] ?? '',
        authorization: req.headers['authorization'] ?? '',
        'x-harness-pass': '1',
      },
      body,
    });
    const json = (await upstream.json()) as Record<string, unknown>;
    if (typeof json['id_token'] === 'string' && tampering) {
      const payload = { ...decodeJwt(json['id_token']), ...tampering.claims };
      json['id_token'] = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .sign(tampering.foreignKey ? foreign.privateKey : real.privateKey);
    }
    res.writeHead(upstream.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === '/token' && req.method === 'POST' && !req.headers['x-harness-pass']) {
      if (tampering) {
        void tamperedToken(req, res).catch(() => res.writeHead(502).end());
        return;
      }
      // Record the form (a copy of the stream) while the provider reads it.
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => tokenRequests.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    }
    if (path.startsWith('/interaction/') && req.method === 'POST') {
      void interaction(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
      return;
    }
    handle(req, res);
  });

  async function authorize(
    authorizationUrl: string,
    action: { sub: string } | { deny: true; description?: string },
    jar = new CookieJar(),
  ): Promise<string> {
    let response = await jar.fetch(authorizationUrl);
    for (let hop = 0; hop < 12; hop++) {
      const location = response.headers.get('location');
      if (!location) throw new Error(`provider answered ${response.status}: ${await response.text()}`);
      const next = new URL(location, issuer);
      if (next.origin !== issuer) return next.href;
      if (next.pathname.startsWith('/interaction/')) {
        const fields: Record<string, string> =
          'deny' in action
            ? { deny: '1', ...(action.description ? { description: action.description } : {}) }
            : { sub: action.sub };
        response = await jar.fetch(next, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        });
      } else {
        response = await jar.fetch(next);
      }
    }
    throw new Error('the provider redirected too many times');
  }

  return {
    issuer,
    clients,
    tokenRequests,
    addAccount: (sub, claims) => accounts.set(sub, claims),
    tamperIdTokens: (next) => (tampering = next),
    authorize,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
