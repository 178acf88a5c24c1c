import { Injectable } from '@nestjs/common';
import { ConfigService, type OidcProviderConfig } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { socialProvider, type SocialProvider } from './providers/index.js';

const CALLBACK_PATH = 'self-service/methods/oidc/callback';

/** The configured social sign-in providers, built once, and their redirect URIs. */
@Injectable()
export class OidcProviders {
  private readonly byId = new Map<string, SocialProvider>();

  constructor(private readonly config: ConfigService) {
    for (const entry of this.configs()) this.byId.set(entry.id, socialProvider(entry));
  }

  get enabled(): boolean {
    return this.config.get<boolean>('selfservice.methods.oidc.enabled') === true;
  }

  private configs(): OidcProviderConfig[] {
    return this.config.get<OidcProviderConfig[]>('selfservice.methods.oidc.config.providers') ?? [];
  }

  /** Every provider, in configured order. */
  all(): SocialProvider[] {
    return [...this.byId.values()];
  }

  /** The provider, or Kratos' 404 for an id nobody configured. */
  get(id: string): SocialProvider {
    const provider = this.byId.get(id);
    if (!provider) {
      throw new ApiError(404, {
        reason: `OpenID Connect Provider "${id}" is unknown or has not been configured`,
      });
    }
    return provider;
  }

  /** `<base>/self-service/methods/oidc/callback/<id>`; without the id when PKCE is forced. */
  redirectUri(provider: SocialProvider): string {
    const base = this.config.get<string>('selfservice.methods.oidc.config.base_redirect_uri');
    const path = provider.config.pkce === 'force' ? CALLBACK_PATH : `${CALLBACK_PATH}/${provider.config.id}`;
    if (!base) return this.config.url('public', path);
    return new URL(path, base.endsWith('/') ? base : `${base}/`).href;
  }

  labelOf(provider: SocialProvider): string {
    return provider.config.label || provider.config.id;
  }
}
