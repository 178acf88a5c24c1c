import { ApiError } from '../errors/index.js';
import { type SecretCipher } from '../hash/index.js';
import { type CredentialEntity, type CredentialsType } from './credential.entity.js';

/**
 * The authenticated context a credential's secrets are sealed under at rest (TOTP seeds, backup
 * codes): `<type>:<identity id>`, so a ciphertext copied to another identity does not open.
 */
export const credentialSecretContext = (type: CredentialsType, identityId: string) => `${type}:${identityId}`;

const OIDC_TOKENS = ['initial_id_token', 'initial_access_token', 'initial_refresh_token'] as const;

function open(cipher: SecretCipher, sealed: unknown, credential: CredentialEntity): string {
  try {
    return cipher.decrypt(String(sealed), credentialSecretContext(credential.type, credential.identityId));
  } catch {
    throw new ApiError(500, {
      reason: `The stored ${credential.type} secret cannot be decrypted with the configured secrets.cipher.`,
    });
  }
}

function providers(credential: CredentialEntity, cipher: SecretCipher) {
  const list = (credential.config['providers'] as Record<string, unknown>[] | undefined) ?? [];
  return list.map((p) => ({
    // Kratos publishes the initial OIDC tokens decrypted, and "" where there is none or it fails.
    ...(credential.type === 'oidc'
      ? Object.fromEntries(
          OIDC_TOKENS.map((token) => {
            if (typeof p[token] !== 'string' || p[token] === '') return [token, ''];
            try {
              return [token, open(cipher, p[token], credential)];
            } catch {
              return [token, ''];
            }
          }),
        )
      : {}),
    subject: p['subject'],
    provider: p['provider'],
    ...(p['organization'] ? { organization: p['organization'] } : {}),
    ...(p['use_auto_link'] ? { use_auto_link: true } : {}),
  }));
}

/**
 * A credential's config as Kratos' `WithDeclassifiedCredentials` publishes it for a type named in
 * `include_credential`: everything it holds, the password hash included, so an identity can be
 * exported and imported elsewhere. Secrets Tessera seals at rest (TOTP seed, backup codes) are
 * opened only here, only for the types asked for.
 */
export function exportedCredentialConfig(
  credential: CredentialEntity,
  cipher: SecretCipher,
): Record<string, unknown> {
  const config = credential.config;
  switch (credential.type) {
    case 'oidc':
    case 'saml':
      return { providers: providers(credential, cipher) };
    case 'totp':
      return typeof config['totp_url'] === 'string'
        ? { ...config, totp_url: open(cipher, config['totp_url'], credential) }
        : config;
    case 'lookup_secret': {
      const codes = (config['recovery_codes'] as { code: string; used_at?: string }[] | undefined) ?? [];
      return {
        ...config,
        recovery_codes: codes.map((c) => ({ ...c, code: open(cipher, c.code, credential) })),
      };
    }
    default:
      return config;
  }
}
