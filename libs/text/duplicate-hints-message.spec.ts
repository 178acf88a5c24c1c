import { describe, expect, it } from 'vitest';
import { duplicateCredentialsWithHints } from './duplicate-hints-message.js';

describe('4000028 (duplicate account with login hints)', () => {
  it('joins the methods with "or" and title-cases the providers, as Kratos', () => {
    const message = duplicateCredentialsWithHints(
      ['oidc', 'passkey', 'password'],
      ['github', 'my-idp'],
      'a@b.c',
    );
    expect(message.text).toBe(
      'You tried signing in with a@b.c which is already in use by another account. You can sign in using social sign in, your passkey, or your password. You can sign in using one of the following social sign in providers: Github, My-Idp.',
    );
    expect(message).toMatchObject({ id: 4000028, type: 'error' });
  });

  it('falls back to a generic identifier, the raw types and template-looking providers as given', () => {
    const message = duplicateCredentialsWithHints(['code'], ['{provider}'], '');
    expect(message.text).toBe(
      'You tried signing in with an email, phone, or username which is already in use by another account. You can sign in using code. You can sign in using one of the following social sign in providers: {provider}.',
    );
    expect(message.context).toEqual({
      available_credential_types: ['code'],
      available_oidc_providers: ['{provider}'],
      credential_identifier_hint: '',
    });
  });
});
