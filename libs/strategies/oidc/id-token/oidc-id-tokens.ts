import { Injectable } from '@nestjs/common';
import { OidcProviders } from '../oidc-providers.js';
import { type OidcResume } from '../oidc-resume.js';
import {
  type IdTokenProviderConfig,
  IdTokenRefusedError,
  IdTokenVerifier,
  supportsIdToken,
} from './id-token-verifier.js';

/** The `id_token` of a submission, when there is one: the native-SDK path, no redirect. */
export function submittedIdToken(body: Record<string, unknown>): { token: string; nonce: string } | null {
  const token = body['id_token'];
  if (typeof token !== 'string' || token === '') return null;
  const nonce = body['id_token_nonce'];
  return { token, nonce: typeof nonce === 'string' ? nonce : '' };
}

/** One verifier per configured provider that takes ID tokens (keys are cached per provider). */
@Injectable()
export class OidcIdTokens {
  private readonly verifiers = new Map<string, IdTokenVerifier>();

  constructor(private readonly providers: OidcProviders) {
    for (const provider of providers.all()) {
      if (supportsIdToken(provider.config)) {
        this.verifiers.set(provider.config.id, new IdTokenVerifier(provider.config as IdTokenProviderConfig));
      }
    }
  }

  /** Providers a FedCM client may use: they take ID tokens and name a FedCM config URL. */
  fedcmProviders(): IdTokenProviderConfig[] {
    return [...this.verifiers.values()]
      .map((v) => v.config)
      .filter(
        (c) => !c.organization_id && typeof c.fedcm_config_url === 'string' && c.fedcm_config_url !== '',
      );
  }

  /**
   * Verifies `token` as an ID token of `providerId` (unknown provider → Kratos' 404 ApiError;
   * a provider without ID token support or a refused token → IdTokenRefusedError).
   */
  async verify(providerId: string, token: string, nonce: string): Promise<OidcResume> {
    const provider = this.providers.get(providerId);
    const verifier = this.verifiers.get(providerId);
    if (!verifier) {
      throw new IdTokenRefusedError(
        `The provider ${provider.config.provider} does not support id_token verification`,
      );
    }
    return { provider: providerId, person: await verifier.verify(token, nonce) };
  }
}
