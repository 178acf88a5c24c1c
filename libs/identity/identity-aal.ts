import { type CredentialEntity } from './credential.entity.js';
import { type IdentityEntity } from './identity.entity.js';

/**
 * True when a credential can serve as a second factor (aal2). A `code` credential does when code
 * MFA is on (`selfservice.methods.code.mfa_enabled`) and it has an address to send to.
 */
export function isSecondFactor(
  credential: Pick<CredentialEntity, 'type' | 'config'>,
  codeMfa = false,
): boolean {
  switch (credential.type) {
    case 'code': {
      const addresses = credential.config['addresses'];
      return codeMfa && Array.isArray(addresses) && addresses.length > 0;
    }
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
export function availableAal(identity: IdentityEntity, codeMfa = false): 'aal1' | 'aal2' {
  return (identity.credentials ?? []).some((c) => isSecondFactor(c, codeMfa)) ? 'aal2' : 'aal1';
}
