// A real OpenID provider (`oidc-provider`) in the benchmark's own process, so that its CPU is never
// counted as Tessera's: authorization code flow with PKCE, RS256 ID tokens, and one account that
// signs in and consents on its own (every interaction is finished as soon as it is opened). The
// time it spends answering Tessera (token endpoint, JWKS) is counted, to be taken off wall times.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** Listens first (the issuer is known), takes the client once Tessera's redirect URI is known. */
export async function listenOidcProvider() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const client = { client_id: 'tessera-bench', client_secret: randomBytes(24).toString('base64url') };
  /** Milliseconds spent answering server-to-server requests (token endpoint, JWKS, discovery). */
  const busy = { ms: 0 };

  /** `account` is read at every sign-in: change its `sub` and `email` to sign in someone else. */
  async function start(redirectUri, account) {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
    const provider = new Provider(issuer, {
      clients: [
        {
          ...client,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
          id_token_signed_response_alg: 'RS256',
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: [randomBytes(16).toString('hex')] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      conformIdTokenClaims: false,
      scopes: ['openid', 'email'],
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      pkce: { required: () => true },
      // Fixed lifetimes: the defaults are functions that print a notice on stdout, where the JSON goes.
      ttl: {
        AccessToken: 600,
        AuthorizationCode: 60,
        Grant: 3600,
        IdToken: 600,
        Interaction: 600,
        Session: 3600,
      },
      findAccount: (_ctx, sub) =>
        sub === account.sub
          ? { accountId: sub, claims: () => ({ ...account, email_verified: true }) }
          : undefined,
    });
    const handle = provider.callback();

    async function interaction(req, res) {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        return provider.interactionFinished(req, res, { login: { accountId: account.sub } });
      }
      const grant = new provider.Grant({ accountId: account.sub, clientId: client.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } });
    }

    server.on('request', (req, res) => {
      if (!(req.url ?? '').startsWith('/auth') && !(req.url ?? '').startsWith('/interaction/')) {
        const started = performance.now();
        res.once('finish', () => (busy.ms += performance.now() - started));
      }
      if ((req.url ?? '').startsWith('/interaction/')) {
        interaction(req, res).catch((error) => res.writeHead(500).end(String(error)));
        return;
      }
      handle(req, res);
    });
  }

  return {
    issuer,
    client,
    busy,
    start,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
