import { type CredentialEntity } from './credential.entity.js';
import { type IdentityEntity } from './identity.entity.js';

/** True when a credential can serve as a second factor (aal2). */
export function isSecondFactor(credential: CredentialEntity): boolean {
  switch (credential.type) {
    case 'totp':
      return true;
    case 'lookup_secret': {
      const codes = credential.config['recovery_codes'];
      return Array.isArray(codes) && codes.some((c) => !(c as { used_at?: unknown }).used_at);
    }
    case 'webauthn': {
      const list = credential.config['credentials'];
      return Array.isArray(list) && list.some((c) => !(c as { is_passwordless?: boolean }).is_passwordless);
    }
    default:
      return false;
  }
}

/** The highest assurance level an identity can reach with its credentials (loaded with it). */
export function availableAal(identity: IdentityEntity): 'aal1' | 'aal2' {
  return (identity.credentials ?? []).some(isSecondFactor) ? 'aal2' : 'aal1';
}
