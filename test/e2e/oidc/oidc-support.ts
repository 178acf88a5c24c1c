import { expect } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc-provider.js';
import {
  csrfTokenOf,
  fetchFlow,
  type FlowKind,
  type FlowServer,
  initBrowserFlow,
  postForm,
  startFlowServer,
} from '../../support/self-service.js';
import { freePort } from '../../support/tessera-process.js';

/** Email from the claims, verified only when the provider says so. */
export const MAPPER = `
local claims = std.extVar('claims');
{
  identity: {
    traits: {
      [if 'email' in claims then 'email' else null]: claims.email,
      [if 'given_name' in claims then 'name' else null]: { first: claims.given_name },
    },
    verified_addresses: if 'email' in claims && 'email_verified' in claims && claims.email_verified
      then [{ via: 'email', value: claims.email }] else [],
    metadata_public: { idp: claims.iss },
  },
}
`;

export const mapperUrl = (source = MAPPER) => `base64://${Buffer.from(source).toString('base64')}`;

export interface OidcWorld {
  server: FlowServer;
  /** Provider `acme` (client 0) and `other` (client 1) at the same issuer. */
  idp: TestOidcProvider;
  publicUrl: string;
  stop(): Promise<void>;
}

export interface ProviderEntry {
  id: string;
  provider?: string;
  label?: string;
  client: number;
  mapper?: string;
  pkce?: 'auto' | 'force' | 'never';
  claims_source?: 'id_token' | 'userinfo';
  issuer_url?: string;
}

/** A real Tessera with social sign-in through a real OpenID provider on loopback. */
export async function startOidcWorld(
  entries: ProviderEntry[] = [
    { id: 'acme', label: 'Acme', client: 0 },
    { id: 'other', client: 1 },
  ],
  env: Record<string, string> = {},
): Promise<OidcWorld> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const callback = (id: string, pkce?: string) =>
    `${publicUrl}/self-service/methods/oidc/callback${pkce === 'force' ? '' : `/${id}`}`;
  const idp = await startOidcProvider({
    clients: [0, 1].map((i) => ({
      client_id: `tessera-${i}`,
      redirect_uris: entries.filter((e) => e.client === i).map((e) => callback(e.id, e.pkce)),
    })),
  });
  const providers = entries.map((e) => ({
    id: e.id,
    provider: e.provider ?? 'generic',
    ...(e.label ? { label: e.label } : {}),
    client_id: idp.clients[e.client]!.client_id,
    client_secret: idp.clients[e.client]!.client_secret,
    issuer_url: e.issuer_url ?? idp.issuer,
    scope: ['email', 'profile'],
    mapper_url: mapperUrl(e.mapper),
    ...(e.pkce ? { pkce: e.pkce } : {}),
    ...(e.claims_source ? { claims_source: e.claims_source } : {}),
  }));
  let server: FlowServer;
  try {
    server = await startFlowServer({
      SERVE_PUBLIC_PORT: String(port),
      SELFSERVICE_METHODS_OIDC_ENABLED: 'true',
      SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS: JSON.stringify(providers),
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_OIDC_HOOKS: '[{"hook":"session"}]',
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS: '[{"hook":"session"}]',
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
    async stop() {
      await server.stop();
      await idp.close();
    },
  };
}

/** A browser opens a flow and clicks a provider's button; returns the 303 to the provider. */
export async function clickProvider(
  world: OidcWorld,
  jar: CookieJar,
  kind: FlowKind,
  provider: string,
  extra: Record<string, string> = {},
): Promise<{ flowId: string; response: Response; authorizationUrl: string }> {
  const { flowId } = await initBrowserFlow(jar, world.publicUrl, kind);
  const { body: flow } = await fetchFlow(jar, world.publicUrl, kind, flowId);
  const response = await postForm(jar, (flow as { ui: { action: string } }).ui.action, {
    csrf_token: csrfTokenOf(flow as never),
    method: 'oidc',
    provider,
    ...extra,
  });
  return { flowId, response, authorizationUrl: response.headers.get('location') ?? '' };
}

/** The whole browser round trip: click, sign in at the provider as `sub`, open the callback. */
export async function signInThroughProvider(
  world: OidcWorld,
  jar: CookieJar,
  kind: FlowKind,
  provider: string,
  sub: string,
): Promise<{ flowId: string; callback: Response; callbackUrl: string }> {
  const { flowId, response, authorizationUrl } = await clickProvider(world, jar, kind, provider);
  expect(response.status).toBe(303);
  const callbackUrl = await world.idp.authorize(authorizationUrl, { sub });
  const callback = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
  return { flowId, callback, callbackUrl };
}

export { CookieJar };
