import { type SecretCipher } from '../../../hash/index.js';

const CONTEXT = 'tessera:fedcm-nonce';

/** What a FedCM nonce stands for: the login flow it was issued for and the provider. */
export interface FedcmNonce {
  flowId: string;
  provider: string;
}

/**
 * FedCM nonces are sealed (AES-GCM under `secrets.cipher`): unguessable, unique per issue (random
 * IV), and they name the login flow the browser got with them, which the token submission has no
 * other way to say. Whatever the client changes no longer opens.
 */
export function sealFedcmNonce(cipher: SecretCipher, nonce: FedcmNonce): string {
  return Buffer.from(cipher.encrypt(JSON.stringify([nonce.flowId, nonce.provider]), CONTEXT)).toString(
    'base64url',
  );
}

export function openFedcmNonce(cipher: SecretCipher, sealed: string): FedcmNonce | null {
  try {
    const parsed: unknown = JSON.parse(cipher.decrypt(Buffer.from(sealed, 'base64url').toString(), CONTEXT));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [flowId, provider] = parsed as unknown[];
    if (typeof flowId !== 'string' || typeof provider !== 'string') return null;
    return { flowId, provider };
  } catch {
    return null;
  }
}
