import { SignJWT, importPKCS8 } from 'jose';
import * as client from 'openid-client';
import { type OidcProviderConfig } from '../../../config/index.js';
import { GenericProvider } from './generic.provider.js';
import { OAuth2Provider, type OAuth2Endpoints, type OAuth2Tokens } from './oauth2.provider.js';

/** Google: OpenID Connect at accounts.google.com. */
export class GoogleProvider extends GenericProvider {
  static readonly ISSUER = 'https://accounts.google.com';
  protected override issuerUrl(): string {
    return GoogleProvider.ISSUER;
  }
  protected override defaultScopes(): string[] {
    return ['email', 'profile'];
  }
}

/** GitLab: gitlab.com, or a self-managed instance at `issuer_url`. */
export class GitLabProvider extends GenericProvider {
  protected override issuerUrl(): string {
    return this.config.issuer_url || 'https://gitlab.com';
  }
  protected override defaultScopes(): string[] {
    return ['email', 'profile'];
  }
}

/** Auth0: OpenID Connect at the tenant's `issuer_url`. */
export class Auth0Provider extends GenericProvider {}

/**
 * Sign in with Apple: the client secret is an ES256 JWT signed with the team's key (valid for a
 * few minutes, made per request), and Apple posts the answer back (`response_mode=form_post`)
 * whenever name or email are asked for.
 */
export class AppleProvider extends GenericProvider {
  static readonly ISSUER = 'https://appleid.apple.com';
  protected override issuerUrl(): string {
    return AppleProvider.ISSUER;
  }
  protected override defaultScopes(): string[] {
    return ['email', 'name'];
  }
  protected override extraAuthorizationParameters(): Record<string, string> {
    return { response_mode: 'form_post' };
  }
  protected override async clientAuthentication(): Promise<client.ClientAuth> {
    return client.ClientSecretPost(await appleClientSecret(this.config));
  }
}

export async function appleClientSecret(config: OidcProviderConfig, now = Date.now()): Promise<string> {
  const key = await importPKCS8(config.apple_private_key ?? '', 'ES256');
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: config.apple_private_key_id ?? '' })
    .setIssuer(config.apple_team_id ?? '')
    .setSubject(config.client_id)
    .setAudience(AppleProvider.ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 300)
    .sign(key);
}

/** GitHub: OAuth2 only; the person comes from the REST API (`/user`, `/user/emails`). */
export class GitHubProvider extends OAuth2Provider {
  static readonly ENDPOINTS: OAuth2Endpoints = {
    issuer: 'https://github.com/login/oauth/access_token',
    authorization: 'https://github.com/login/oauth/authorize',
    token: 'https://github.com/login/oauth/access_token',
  };
  protected override endpoints(): OAuth2Endpoints {
    return GitHubProvider.ENDPOINTS;
  }
  protected override defaultScopes(): string[] {
    return ['user:email'];
  }
  protected override async rawClaims({
    access_token: accessToken,
  }: OAuth2Tokens): Promise<Record<string, unknown>> {
    const user = await this.getJson('https://api.github.com/user', accessToken);
    const raw: Record<string, unknown> = {
      iss: GitHubProvider.ENDPOINTS.issuer,
      sub: String(user['id']),
      name: user['name'],
      nickname: user['login'],
      preferred_username: user['login'],
      picture: user['avatar_url'],
      profile: user['html_url'],
      website: user['blog'],
    };
    if (this.scopes().includes('user:email') || this.scopes().includes('user')) {
      const emails = (await this.getJson('https://api.github.com/user/emails', accessToken)) as unknown;
      const primary = Array.isArray(emails)
        ? (emails as { email: string; primary: boolean; verified: boolean }[]).find((e) => e.primary)
        : undefined;
      if (primary) Object.assign(raw, { email: primary.email, email_verified: primary.verified });
    }
    return raw;
  }
}

/** Discord: OAuth2 only; the person comes from `/users/@me`. */
export class DiscordProvider extends OAuth2Provider {
  static readonly ENDPOINTS: OAuth2Endpoints = {
    issuer: 'https://discord.com/api/v6/oauth2/',
    authorization: 'https://discord.com/api/oauth2/authorize',
    token: 'https://discord.com/api/oauth2/token',
  };
  protected override endpoints(): OAuth2Endpoints {
    return DiscordProvider.ENDPOINTS;
  }
  protected override defaultScopes(): string[] {
    return ['identify', 'email'];
  }
  protected override async rawClaims({
    access_token: accessToken,
  }: OAuth2Tokens): Promise<Record<string, unknown>> {
    const user = await this.getJson('https://discord.com/api/users/@me', accessToken);
    const id = String(user['id']);
    return {
      iss: DiscordProvider.ENDPOINTS.issuer,
      sub: id,
      name: user['username'],
      nickname: user['username'],
      preferred_username: user['username'],
      picture: user['avatar'] ? `https://cdn.discordapp.com/avatars/${id}/${String(user['avatar'])}.png` : '',
      email: user['email'],
      email_verified: user['verified'],
      locale: user['locale'],
    };
  }
}
