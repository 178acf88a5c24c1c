import { createHash, randomBytes } from 'node:crypto';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc-provider.js';
import { type FlowServer, startFlowServer } from '../../support/self-service.js';
import { freePort } from '../../support/tessera-process.js';
import { mapperUrl } from './oidc-support.js';

/** Where the test, playing a native app, receives the provider's code (never opened). */
const APP_REDIRECT = 'http://127.0.0.1:9/app-callback';

export interface IdTokenWorld {
  server: FlowServer;
  idp: TestOidcProvider;
  publicUrl: string;
  fedcmConfigUrl: string;
  stop(): Promise<void>;
}

/**
 * Tessera with four providers at one real OpenID provider: `gsdk` (Google preset, client 0, with
 * a FedCM config URL), `gnofedcm` (Google preset, client 1, no FedCM), `plain` (generic, client 0:
 * takes no ID tokens) and `acme` (generic, used by nobody here).
 */
export async function startIdTokenWorld(env: Record<string, string> = {}): Promise<IdTokenWorld> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const idp = await startOidcProvider({
    clients: [0, 1].map((i) => ({ client_id: `tessera-${i}`, redirect_uris: [APP_REDIRECT] })),
  });
  const fedcmConfigUrl = `${idp.issuer}/fedcm/config.json`;
  const entry = (id: string, provider: string, client: number, extra: Record<string, unknown> = {}) => ({
    id,
    provider,
    client_id: idp.clients[client]!.client_id,
    client_secret: idp.clients[client]!.client_secret,
    issuer_url: idp.issuer,
    scope: ['email', 'profile'],
    mapper_url: mapperUrl(),
    ...extra,
  });
  let server: FlowServer;
  try {
    server = await startFlowServer({
      SERVE_PUBLIC_PORT: String(port),
      SELFSERVICE_METHODS_OIDC_ENABLED: 'true',
      SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS: JSON.stringify([
        entry('gsdk', 'google', 0, { fedcm_config_url: fedcmConfigUrl }),
        entry('gnofedcm', 'google', 1),
        entry('plain', 'generic', 0, { fedcm_config_url: fedcmConfigUrl }),
      ]),
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_OIDC_HOOKS: '[{"hook":"session"}]',
      ...env,
    });
  } catch (error) {
    await idp.close();
    throw error;
  }
  return {
    server,
    idp,
    publicUrl,
    fedcmConfigUrl,
    async stop() {
      await server.stop();
      await idp.close();
    },
  };
}

/**
 * A real ID token from the provider, as a native SDK gets one: the authorization code flow with
 * PKCE and `nonce` for client `client`, signed in as `sub`, then the token endpoint.
 */
export async function idTokenFor(
  idp: TestOidcProvider,
  sub: string,
  nonce: string | undefined,
  client = 0,
): Promise<string> {
  const { client_id, client_secret } = idp.clients[client]!;
  const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id,
    response_type: 'code',
    redirect_uri: APP_REDIRECT,
    scope: 'openid email profile',
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(nonce !== undefined ? { nonce } : {}),
  }).toString();
  const back = new URL(await idp.authorize(authorize.href, { sub }));
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code from the provider: ${back.href}`);
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: APP_REDIRECT,
      code_verifier: verifier,
    }).toString(),
  });
  const json = (await response.json()) as { id_token?: string };
  if (!json.id_token) throw new Error(`no id_token: ${JSON.stringify(json)}`);
  return json.id_token;
}
