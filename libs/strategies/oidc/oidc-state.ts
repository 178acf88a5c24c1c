import { createHash, randomBytes } from 'node:crypto';
import { SecretCipher } from '../../hash/index.js';

export type OidcFlowKind = 'login' | 'registration' | 'settings';

/** What the `state` parameter carries through the provider, sealed: nothing readable or forgeable. */
export interface OidcState {
  flowId: string;
  kind: OidcFlowKind;
  provider: string;
  /** The PKCE verifier, '' when the request used no PKCE. */
  codeVerifier: string;
  /** SHA-512 of the native app's init code (random when there is none). */
  initCodeHash: string;
}

const CONTEXT = 'oidc-state';
const KINDS: readonly string[] = ['login', 'registration', 'settings'];

export function initCodeHash(initCode?: string): string {
  return createHash('sha512')
    .update(initCode ?? randomBytes(32))
    .digest('base64url');
}

/** Seals and opens the state with `secrets.cipher` (AES-256-GCM, authenticated). */
export class OidcStateCipher {
  constructor(private readonly cipher: SecretCipher) {}

  seal(state: OidcState): string {
    const packed = [state.flowId, state.kind, state.provider, state.codeVerifier, state.initCodeHash];
    return this.cipher.encrypt(JSON.stringify(packed), CONTEXT);
  }

  /** The state, or null when it was not made here (tampered, another key, garbage). */
  open(sealed: string): OidcState | null {
    try {
      const packed = JSON.parse(this.cipher.decrypt(sealed, CONTEXT)) as unknown;
      if (!Array.isArray(packed) || packed.length !== 5 || !packed.every((v) => typeof v === 'string'))
        return null;
      const [flowId, kind, provider, codeVerifier, hash] = packed as string[];
      if (!KINDS.includes(kind!)) return null;
      return {
        flowId: flowId!,
        kind: kind as OidcFlowKind,
        provider: provider!,
        codeVerifier: codeVerifier!,
        initCodeHash: hash!,
      };
    } catch {
      return null;
    }
  }
}
