import { describe, expect, it } from 'vitest';
import { SecretCipher } from '../../../hash/index.js';
import { openFedcmNonce, sealFedcmNonce } from '../fedcm/fedcm-nonce.js';
import { nonceProblem, sameSecret } from './id-token-nonce.js';

const MISSING = 'No nonce was included in the id_token but is required by the provider';
const NOT_SUBMITTED = 'No nonce was provided but is required by the provider';
const MISMATCH = 'The supplied nonce does not match the nonce from the id_token';

describe("Kratos' nonce rule for submitted ID tokens", () => {
  it('accepts the nonce submitted as it is in the token, and nothing else', () => {
    expect(nonceProblem({ nonce: 'n-1' }, 'n-1', 'required')).toBeNull();
    expect(nonceProblem({ nonce: 'n-1' }, 'n-2', 'required')).toBe(MISMATCH);
    expect(nonceProblem({ nonce: 'n-1' }, 'n-1 ', 'optional')).toBe(MISMATCH);
    // No hashing on the server: a hash of the submitted value is not the value.
    expect(nonceProblem({ nonce: 'abc' }, 'ABC', 'apple')).toBe(MISMATCH);
  });

  it('needs the nonce submitted when the token has one, whatever the provider', () => {
    for (const policy of ['required', 'optional', 'apple'] as const) {
      expect(nonceProblem({ nonce: 'n-1' }, '', policy)).toBe(NOT_SUBMITTED);
    }
  });

  it('lets a token without a nonce through only where Kratos does', () => {
    expect(nonceProblem({}, '', 'required')).toBe(MISSING);
    expect(nonceProblem({}, 'n-1', 'required')).toBe(MISSING);
    expect(nonceProblem({ nonce: '' }, '', 'required')).toBe(MISSING);
    // Google: not every SDK sets a nonce.
    expect(nonceProblem({}, '', 'optional')).toBeNull();
    // Apple: only with nonce_supported (a boolean, or the string Apple sometimes sends).
    expect(nonceProblem({}, '', 'apple')).toBe(MISSING);
    expect(nonceProblem({ nonce_supported: false }, '', 'apple')).toBe(MISSING);
    expect(nonceProblem({ nonce_supported: true }, '', 'apple')).toBeNull();
    expect(nonceProblem({ nonce_supported: 'true' }, '', 'apple')).toBeNull();
  });

  it('ignores a nonce claim that is not a string', () => {
    expect(nonceProblem({ nonce: 42 }, '42', 'required')).toBe(MISSING);
  });

  it('compares secrets by value only', () => {
    expect(sameSecret('a', 'a')).toBe(true);
    expect(sameSecret('a', 'b')).toBe(false);
    expect(sameSecret('a', 'aa')).toBe(false);
    expect(sameSecret('', '')).toBe(true);
  });
});

describe('FedCM nonces', () => {
  const cipher = new SecretCipher(['a-cipher-secret-of-32-characters']);

  it('name the flow and provider they were issued for, and differ on every issue', () => {
    const a = sealFedcmNonce(cipher, { flowId: 'f-1', provider: 'google' });
    const b = sealFedcmNonce(cipher, { flowId: 'f-1', provider: 'google' });
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(openFedcmNonce(cipher, a)).toEqual({ flowId: 'f-1', provider: 'google' });
    expect(openFedcmNonce(cipher, b)).toEqual({ flowId: 'f-1', provider: 'google' });
  });

  it('do not open when changed, made up, or sealed with another secret', () => {
    const sealed = sealFedcmNonce(cipher, { flowId: 'f-1', provider: 'google' });
    const flipped = `${sealed.slice(0, 10)}${sealed[10] === 'A' ? 'B' : 'A'}${sealed.slice(11)}`;
    expect(openFedcmNonce(cipher, flipped)).toBeNull();
    expect(openFedcmNonce(cipher, 'not-a-nonce')).toBeNull();
    expect(openFedcmNonce(cipher, '')).toBeNull();
    const other = new SecretCipher(['another-cipher-secret-32-chars!!']);
    expect(openFedcmNonce(other, sealed)).toBeNull();
  });
});
