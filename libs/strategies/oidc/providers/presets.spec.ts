import { decodeProtectedHeader, decodeJwt, exportPKCS8, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { type OidcProviderConfig } from '../../../config/index.js';
import { socialProvider } from './index.js';
import { appleClientSecret, DiscordProvider, GitHubProvider } from './presets.js';

const base: OidcProviderConfig = {
  id: 'p',
  provider: 'generic',
  client_id: 'client-id',
  client_secret: 'secret',
  mapper_url: 'base64://e30=',
};

/** The authorization URL of an OAuth2 preset, which needs no discovery. */
async function authUrl(config: OidcProviderConfig): Promise<URL> {
  return new URL(
    await socialProvider(config).authorizationUrl({
      state: 'st',
      redirectUri: 'https://auth.example/cb',
      upstream: {},
      forceLogin: false,
    }),
  );
}

describe('provider presets', () => {
  it('GitHub uses its OAuth2 endpoints and asks for user:email, without openid', async () => {
    const url = await authUrl({ ...base, provider: 'github' });
    expect(`${url.origin}${url.pathname}`).toBe(GitHubProvider.ENDPOINTS.authorization);
    expect(url.searchParams.get('scope')).toBe('user:email');
    expect(url.searchParams.get('client_id')).toBe('client-id');
    expect(url.searchParams.get('state')).toBe('st');
    expect(url.searchParams.has('code_challenge')).toBe(false);
  });

  it('Discord uses its endpoints and identify + email', async () => {
    const url = await authUrl({ ...base, provider: 'discord' });
    expect(`${url.origin}${url.pathname}`).toBe(DiscordProvider.ENDPOINTS.authorization);
    expect(url.searchParams.get('scope')).toBe('identify email');
  });

  it('auth_url replaces a preset endpoint; pkce force adds a challenge', async () => {
    const url = await authUrl({
      ...base,
      provider: 'github',
      auth_url: 'https://ghe.example/login/oauth/authorize',
      pkce: 'force',
    });
    expect(`${url.origin}${url.pathname}`).toBe('https://ghe.example/login/oauth/authorize');
    expect(await socialProvider({ ...base, provider: 'github', pkce: 'force' }).usesPkce()).toBe(true);
    expect(await socialProvider({ ...base, provider: 'github' }).usesPkce()).toBe(false);
  });

  it('OIDC presets discover from their issuers', () => {
    const issuer = (config: OidcProviderConfig) =>
      (socialProvider(config) as unknown as { issuerUrl(): string }).issuerUrl();
    expect(issuer({ ...base, provider: 'google' })).toBe('https://accounts.google.com');
    expect(issuer({ ...base, provider: 'apple' })).toBe('https://appleid.apple.com');
    expect(issuer({ ...base, provider: 'gitlab' })).toBe('https://gitlab.com');
    expect(issuer({ ...base, provider: 'gitlab', issuer_url: 'https://git.example' })).toBe(
      'https://git.example',
    );
    expect(issuer({ ...base, provider: 'auth0', issuer_url: 'https://t.eu.auth0.com/' })).toBe(
      'https://t.eu.auth0.com/',
    );
  });

  it('Apple client secrets are short-lived ES256 JWTs from the team key', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const secret = await appleClientSecret(
      {
        ...base,
        provider: 'apple',
        apple_team_id: 'TEAM123',
        apple_private_key_id: 'KEY456',
        apple_private_key: await exportPKCS8(privateKey),
      },
      Date.UTC(2026, 0, 1),
    );
    expect(decodeProtectedHeader(secret)).toMatchObject({ alg: 'ES256', kid: 'KEY456' });
    const claims = decodeJwt(secret);
    expect(claims).toMatchObject({ iss: 'TEAM123', sub: 'client-id', aud: 'https://appleid.apple.com' });
    expect(claims.exp! - claims.iat!).toBe(300);
  });
});
