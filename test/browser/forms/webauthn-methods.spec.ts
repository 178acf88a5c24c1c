import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addVirtualAuthenticator } from '../webauthn/flow-page.js';
import { type FormStack, Person, startFormStack, uniqueEmail } from './form-stack.js';

// Security keys and passkeys through the reference UI's forms, with Chromium's virtual
// authenticator: the trigger buttons call Tessera's webauthn.js (`window.__ory…`) as the
// reference UI wires them, the script posts the form, and the remove buttons are the flow's own
// nodes. WebAuthn wants a domain for its relying party, so UI and Tessera are both `localhost`.

const SAVED = { id: 1050001, text: 'Your changes have been saved!' };
const SECOND_FACTOR = 1010004;

let stack: FormStack;

beforeAll(async () => {
  stack = await startFormStack((ui) => {
    const rp = JSON.stringify({ id: 'localhost', display_name: 'Tessera Forms', origins: [ui.origin] });
    return {
      SELFSERVICE_METHODS_WEBAUTHN_ENABLED: 'true',
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP: rp,
      SELFSERVICE_METHODS_PASSKEY_ENABLED: 'true',
      SELFSERVICE_METHODS_PASSKEY_CONFIG_RP: rp,
    };
  }, 'localhost');
});

afterAll(async () => {
  await stack?.close();
});

async function personWithAuthenticator(email: string): Promise<Person> {
  const person = await Person.open(stack);
  await addVirtualAuthenticator(person.page);
  await person.register(email);
  expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  return person;
}

const buttons = (person: Person, form: string) =>
  person.page
    .locator(`#form-${form} button`)
    .evaluateAll((all) => all.map((b) => ({ name: b.getAttribute('name'), text: b.textContent?.trim() })));

describe('security key (WebAuthn) in settings and at sign-in', () => {
  let person: Person;
  const email = uniqueEmail('key');

  beforeAll(async () => {
    person = await personWithAuthenticator(email);
  });
  afterAll(() => person?.close());

  it('adds a named key with its button: saved, listed with a remove button, the session at aal2', async () => {
    await person.visit('/settings');
    await person.fill('webauthn_register_displayname', 'Desk key', 'webauthn');
    await person.click('webauthn_register_trigger', undefined, 'webauthn');
    expect(person.path).toBe('/settings');
    expect(await person.messages()).toEqual([SAVED]);
    const remove = (await buttons(person, 'webauthn')).filter((b) => b.name === 'webauthn_remove');
    expect(remove).toHaveLength(1);
    expect(remove[0]!.text).toContain('Desk key');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal2', email });
  });

  it('signs in with the password, then with the key at aal2', async () => {
    await person.signOut();
    await person.signIn(email);
    expect(person.path).toBe('/login');
    expect(await person.messageIds()).toContain(SECOND_FACTOR);
    await person.click('webauthn_login_trigger');
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal2', email });
  });

  it('removes the key with its button, and the password alone signs in again', async () => {
    await person.visit('/settings');
    await person.click('webauthn_remove', undefined, 'webauthn');
    expect(await person.messages()).toEqual([SAVED]);
    expect(person.path).toBe('/settings');
    expect((await buttons(person, 'webauthn')).map((b) => b.name)).toEqual(['webauthn_register_trigger']);

    await person.signOut();
    await person.signIn(email);
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });
});

describe('passkey in settings and at sign-in', () => {
  let person: Person;
  const email = uniqueEmail('passkey');

  beforeAll(async () => {
    person = await personWithAuthenticator(email);
  });
  afterAll(() => person?.close());

  it('adds a passkey with its button: saved and listed with a remove button', async () => {
    await person.visit('/settings');
    await person.click('passkey_register_trigger', undefined, 'passkey');
    expect(person.path).toBe('/settings');
    expect(await person.messages()).toEqual([SAVED]);
    expect((await buttons(person, 'passkey')).filter((b) => b.name === 'passkey_remove')).toHaveLength(1);
  });

  it("signs in with the passkey alone: the sign-in page's passkey autofill (its onload trigger)", async () => {
    await person.signOut();
    await person.visit('/login');
    // The hidden passkey_login node's onloadTrigger starts conditional mediation; the virtual
    // authenticator answers it with the one passkey it holds, and webauthn.js posts the form.
    await person.page.waitForURL('**/welcome', { timeout: 10_000 });
    await person.page.waitForLoadState('load');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });

  it('re-authenticates with the passkey button on the refresh sign-in page', async () => {
    await person.visit('/login?refresh=true');
    expect(person.path).toBe('/login');
    await person.click('passkey_login_trigger');
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });

  it('removes the passkey with its button; the authenticator no longer signs in', async () => {
    await person.visit('/settings');
    await person.click('passkey_remove', undefined, 'passkey');
    expect(await person.messages()).toEqual([SAVED]);
    expect(person.path).toBe('/settings');
    expect((await buttons(person, 'passkey')).map((b) => b.name)).toEqual(['passkey_register_trigger']);

    await person.signOut();
    // The autofill still offers the passkey the authenticator keeps, and Tessera, which no longer
    // knows it, refuses it. (The refusal page starts the autofill again and the automated
    // authenticator answers again, so the browser leaves, and the refusal page is read as it was
    // sent.)
    const posted = person.page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().includes('/self-service/login'),
    );
    await person.page.goto(stack.ui.url('/login'));
    const refused = await posted;
    expect(refused.status()).toBe(303);
    // The browser may still be following the 303 (or the next autofill's post) when it is told to
    // leave: that navigation interrupts the departure, which is then tried again.
    for (let tries = 1; ; tries++) {
      try {
        await person.page.goto('about:blank');
        break;
      } catch (error) {
        if (tries === 5 || !String(error).includes('interrupted by another navigation')) throw error;
      }
    }
    const location = refused.headers()['location']!;
    expect(new URL(location).pathname).toBe('/login');
    const html = await (await person.page.request.get(location)).text();
    expect([...html.matchAll(/data-message-id="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([4000006]);
    await person.visit('/welcome');
    expect((await person.session()).state).toBe('signed_out');
  });
});
