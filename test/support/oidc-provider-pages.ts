/** HTML escaping for the few values the provider's pages show. */
const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The provider's interaction page as a person in a browser sees it: sign-in (the account to sign
 * in as, `sub`) or consent, posted back to the same `/interaction/<uid>`, with "Deny" on both.
 * The harness finishes the step from the form, as it does for scripted (CookieJar) callers.
 */
export function interactionPage(prompt: string, clientId: string): string {
  const login = prompt === 'login';
  const body = login
    ? '<p>Sign in to continue.</p><label>Account <input name="sub" autocomplete="username"></label>' +
      '<button type="submit">Sign in</button>'
    : `<p>${escape(clientId)} asks to know your email address.</p><button type="submit">Allow</button>`;
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>Test provider</title></head><body><main>' +
    `<h1>${login ? 'Sign in' : 'Consent'} at the test provider</h1><form method="post">${body}` +
    '<button type="submit" name="deny" value="1">Deny</button></form></main></body></html>'
  );
}
