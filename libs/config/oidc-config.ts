/** The providers Tessera implements (Kratos knows more; they stop the start rather than fail later). */
export const OIDC_PROVIDER_KINDS = [
  'generic',
  'google',
  'github',
  'microsoft',
  'apple',
  'gitlab',
  'discord',
  'auth0',
] as const;

export type OidcProviderKind = (typeof OIDC_PROVIDER_KINDS)[number];

/** One entry of `selfservice.methods.oidc.config.providers` (already schema-checked). */
export interface OidcProviderConfig {
  id: string;
  provider: OidcProviderKind;
  label?: string;
  client_id: string;
  client_secret?: string;
  issuer_url?: string;
  auth_url?: string;
  token_url?: string;
  scope?: string[];
  mapper_url: string;
  claims_source?: 'id_token' | 'userinfo';
  pkce?: 'auto' | 'force' | 'never';
  requested_claims?: Record<string, unknown>;
  microsoft_tenant?: string;
  /** Microsoft only: `userinfo` (the token's `sub`), `me` (Graph's `/v1.0/me` id) or `oid`. */
  subject_source?: 'userinfo' | 'me' | 'oid';
  apple_team_id?: string;
  apple_private_key_id?: string;
  apple_private_key?: string;
  organization_id?: string;
}

/** Providers that need `issuer_url` because they have no fixed one. */
const NEEDS_ISSUER: readonly string[] = ['generic', 'auth0'];
/** A provider id is a path segment of the callback URL and the prefix of credential identifiers. */
const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** What the JSON Schema cannot say about `selfservice.methods.oidc`, one line per key. */
export function oidcConfigProblems(values: Record<string, unknown>): string[] {
  const oidc = (values['selfservice'] as { methods?: Record<string, unknown> } | undefined)?.methods?.[
    'oidc'
  ] as { enabled?: boolean; config?: { providers?: OidcProviderConfig[] } } | undefined;
  const providers = oidc?.config?.providers ?? [];
  const problems: string[] = [];
  const seen = new Set<string>();
  providers.forEach((provider, index) => {
    const key = `selfservice.methods.oidc.config.providers.${index}`;
    if (!ID_PATTERN.test(provider.id)) {
      problems.push(
        `${key}.id: must be 1-64 letters, digits, ".", "_" or "-" (got ${JSON.stringify(provider.id)})`,
      );
    } else if (seen.has(provider.id)) {
      problems.push(`${key}.id: "${provider.id}" is listed twice`);
    }
    seen.add(provider.id);
    if (!(OIDC_PROVIDER_KINDS as readonly string[]).includes(provider.provider)) {
      problems.push(
        `${key}.provider: "${provider.provider}" is not supported by Tessera (one of ${OIDC_PROVIDER_KINDS.join(', ')})`,
      );
    }
    if (NEEDS_ISSUER.includes(provider.provider) && !provider.issuer_url) {
      problems.push(`${key}.issuer_url: is required for provider "${provider.provider}"`);
    }
    if (!/^(file|base64|https?):\/\//i.test(provider.mapper_url)) {
      problems.push(`${key}.mapper_url: must start with file://, base64://, http:// or https://`);
    }
  });
  return problems;
}
