import { createHash } from 'node:crypto';

/**
 * The browser half of WebAuthn and passkeys, as Kratos serves it at `/.well-known/ory/webauthn.js`.
 * Each function reads the options the flow put into a node (`webauthn_register_trigger`,
 * `webauthn_login_trigger`, `passkey_create_data`, `passkey_challenge`), asks the authenticator,
 * writes the result as JSON (binary fields base64url) into the hidden input and submits its form.
 * Plain ES5-era syntax on purpose: it runs unbundled in any UI.
 */
export const WEBAUTHN_SCRIPT = `(function () {
  if (window.__oryWebAuthnInitialized) return;
  window.__oryWebAuthnInitialized = true;

  var pending = null;

  function decode(value) {
    var s = String(value).replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    var raw = atob(s);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function encode(buffer) {
    if (!buffer) return undefined;
    var bytes = new Uint8Array(buffer);
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }

  function byName(name) {
    return document.querySelector('[name="' + name + '"]');
  }

  function options(given, nodeName) {
    if (given && typeof given === 'object') return JSON.parse(JSON.stringify(given));
    if (typeof given === 'string' && given !== '') return JSON.parse(given);
    var node = byName(nodeName);
    if (!node || !node.value) throw new Error('WebAuthn options are missing from node ' + nodeName);
    return JSON.parse(node.value);
  }

  function creation(publicKey) {
    publicKey.challenge = decode(publicKey.challenge);
    publicKey.user.id = decode(publicKey.user.id);
    (publicKey.excludeCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return publicKey;
  }

  function request(publicKey) {
    publicKey.challenge = decode(publicKey.challenge);
    (publicKey.allowCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return publicKey;
  }

  function extensions(credential) {
    return typeof credential.getClientExtensionResults === 'function'
      ? credential.getClientExtensionResults()
      : {};
  }

  function attestation(credential) {
    var response = credential.response;
    return JSON.stringify({
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response: {
        attestationObject: encode(response.attestationObject),
        clientDataJSON: encode(response.clientDataJSON),
        transports: typeof response.getTransports === 'function' ? response.getTransports() : undefined
      },
      clientExtensionResults: extensions(credential)
    });
  }

  function assertion(credential) {
    var response = credential.response;
    return JSON.stringify({
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: encode(response.authenticatorData),
        clientDataJSON: encode(response.clientDataJSON),
        signature: encode(response.signature),
        userHandle: encode(response.userHandle)
      },
      clientExtensionResults: extensions(credential)
    });
  }

  function submit(resultName, value) {
    var input = byName(resultName);
    if (!input) throw new Error('The form has no input named ' + resultName);
    input.value = value;
    var form = input.closest('form');
    if (form) form.submit();
  }

  function supported() {
    if (window.PublicKeyCredential) return true;
    alert('This browser does not support WebAuthn!');
    return false;
  }

  function failed(error) {
    if (error && error.name === 'AbortError') return;
    console.error(error);
    alert(error && error.message ? error.message : String(error));
  }

  function abortPending() {
    if (pending) pending.abort();
    pending = null;
  }

  function oryWebAuthnRegistration(given) {
    if (!supported()) return;
    var opt = options(given, 'webauthn_register_trigger');
    return navigator.credentials.create({ publicKey: creation(opt.publicKey) }).then(function (credential) {
      submit('webauthn_register', attestation(credential));
    }).catch(failed);
  }

  function oryWebAuthnLogin(given) {
    if (!supported()) return;
    var opt = options(given, 'webauthn_login_trigger');
    return navigator.credentials.get({ publicKey: request(opt.publicKey) }).then(function (credential) {
      submit('webauthn_login', assertion(credential));
    }).catch(failed);
  }

  function oryPasskeyLogin() {
    if (!supported()) return;
    abortPending();
    var opt = options(null, 'passkey_challenge');
    return navigator.credentials.get({ publicKey: request(opt.publicKey) }).then(function (credential) {
      submit('passkey_login', assertion(credential));
    }).catch(failed);
  }

  function oryPasskeyLoginAutocompleteInit() {
    if (!window.PublicKeyCredential || !PublicKeyCredential.isConditionalMediationAvailable) return;
    return PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
      if (!available) return;
      abortPending();
      pending = new AbortController();
      var opt = options(null, 'passkey_challenge');
      return navigator.credentials.get({
        publicKey: request(opt.publicKey),
        mediation: 'conditional',
        signal: pending.signal
      }).then(function (credential) {
        submit('passkey_login', assertion(credential));
      });
    }).catch(failed);
  }

  function passkeyCreation(resultName, withDisplayName) {
    if (!supported()) return;
    abortPending();
    var data = options(null, 'passkey_create_data');
    var publicKey = data.credentialOptions.publicKey;
    if (withDisplayName && data.displayNameFieldName) {
      var field = byName(data.displayNameFieldName);
      var name = field && field.value ? field.value : publicKey.user.name;
      publicKey.user.name = name;
      publicKey.user.displayName = name;
    }
    return navigator.credentials.create({ publicKey: creation(publicKey) }).then(function (credential) {
      submit(resultName, attestation(credential));
    }).catch(failed);
  }

  function oryPasskeyRegistration() {
    return passkeyCreation('passkey_register', true);
  }

  function oryPasskeySettingsRegistration() {
    return passkeyCreation('passkey_settings_register', false);
  }

  var exported = {
    oryWebAuthnRegistration: oryWebAuthnRegistration,
    oryWebAuthnLogin: oryWebAuthnLogin,
    oryPasskeyLogin: oryPasskeyLogin,
    oryPasskeyLoginAutocompleteInit: oryPasskeyLoginAutocompleteInit,
    oryPasskeyRegistration: oryPasskeyRegistration,
    oryPasskeySettingsRegistration: oryPasskeySettingsRegistration
  };
  Object.keys(exported).forEach(function (name) {
    window[name] = exported[name];
    window['__' + name] = exported[name];
  });
  // Kratos' script announces itself: UIs that rendered before it loaded (Ory Elements' passkey
  // entry in the method picker) enable their buttons on this event.
  window.dispatchEvent(new CustomEvent('oryWebAuthnInitialized'));
})();
`;

/** Subresource integrity of the script, for the `webauthn_script` node. */
export const WEBAUTHN_SCRIPT_INTEGRITY = `sha512-${createHash('sha512').update(WEBAUTHN_SCRIPT).digest('base64')}`;

/** Strong validator for caching: the script changes only with a release. */
export const WEBAUTHN_SCRIPT_ETAG = `"${createHash('sha256').update(WEBAUTHN_SCRIPT).digest('hex').slice(0, 32)}"`;
