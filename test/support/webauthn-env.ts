/** The relying party the e2e suites use: no browser ever checks it, so localhost will do. */
export const TEST_RP = { id: 'localhost', display_name: 'Tessera Test', origins: ['http://localhost:4455'] };

/** Security keys and passkeys on, for TEST_RP. */
export const WEBAUTHN_ENV = {
  SELFSERVICE_METHODS_PASSKEY_ENABLED: 'true',
  SELFSERVICE_METHODS_PASSKEY_CONFIG_RP: JSON.stringify(TEST_RP),
  SELFSERVICE_METHODS_WEBAUTHN_ENABLED: 'true',
  SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP: JSON.stringify(TEST_RP),
};
