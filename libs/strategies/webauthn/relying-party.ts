import { ConfigService } from '../../config/index.js';

export type WebAuthnMethod = 'webauthn' | 'passkey';

/** The relying party of one method, from `selfservice.methods.<method>.config.rp`. */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

interface RpConfig {
  id?: string;
  display_name?: string;
  origin?: string;
  origins?: string[];
}

/**
 * Kratos requires `rp.id` and `rp.display_name` once the method is enabled; Tessera falls back to
 * the public URL's host and origin so a dev setup works without them.
 */
export function relyingParty(config: ConfigService, method: WebAuthnMethod): RelyingParty {
  const rp = config.get<RpConfig>(`selfservice.methods.${method}.config.rp`) ?? {};
  const publicUrl = new URL(config.url('public', '/'));
  const origins = rp.origins?.length ? rp.origins : rp.origin ? [rp.origin] : [publicUrl.origin];
  return {
    id: rp.id || publicUrl.hostname,
    name: rp.display_name || rp.id || publicUrl.hostname,
    origins: origins.map((o) => o.replace(/\/+$/, '')),
  };
}

export function methodEnabled(config: ConfigService, method: WebAuthnMethod): boolean {
  return config.get<boolean>(`selfservice.methods.${method}.enabled`) === true;
}

export type UserVerification = 'required' | 'preferred' | 'discouraged';

/** `selfservice.methods.passkey.config.authenticator_selection.user_verification` (Kratos: preferred). */
export function passkeyUserVerification(config: ConfigService): UserVerification {
  return (
    config.get<UserVerification>(
      'selfservice.methods.passkey.config.authenticator_selection.user_verification',
    ) ?? 'preferred'
  );
}
