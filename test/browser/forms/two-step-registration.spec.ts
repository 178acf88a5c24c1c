import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addVirtualAuthenticator } from '../webauthn/flow-page.js';
import {
  codeIn,
  type FormStack,
  mailTo,
  PASSWORD,
  Person,
  startFormStack,
  uniqueEmail,
} from './form-stack.js';

// `profile_first` registration (Kratos' default style) through the reference UI's forms: the
// traits alone and "Sign up", then the methods for them with the traits riding along hidden and
// "Back" to change them. UI and Tessera are both `localhost` for the passkey's relying party.

const CHOOSE_CREDENTIALS = 1040009;
const CODE_SENT = 1040005;

let stack: FormStack;

beforeAll(async () => {
  stack = await startFormStack((ui) => {
    const rp = JSON.stringify({ id: 'localhost', display_name: 'Tessera Forms', origins: [ui.origin] });
    const session = '[{"hook":"session"}]';
    return {
      SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
      SELFSERVICE_METHODS_PASSKEY_ENABLED: 'true',
      SELFSERVICE_METHODS_PASSKEY_CONFIG_RP: rp,
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS: session,
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_CODE_HOOKS: session,
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSKEY_HOOKS: session,
    };
  }, 'localhost');
});

afterAll(async () => {
  await stack?.close();
});

/** The form's buttons as `name=value`, and the inputs a person can see, by name. */
async function form(person: Person) {
  const page = person.page;
  return {
    buttons: await page
      .locator('form button')
      .evaluateAll((all) => all.map((b) => `${b.getAttribute('name')}=${b.getAttribute('value')}`)),
    visible: await page
      .locator('form input:not([type="hidden"])')
      .evaluateAll((all) => all.map((i) => i.getAttribute('name'))),
    hidden: await page
      .locator('form input[type="hidden"]')
      .evaluateAll((all) =>
        Object.fromEntries(all.map((i) => [i.getAttribute('name'), i.getAttribute('value')])),
      ),
  };
}

async function throughTheTraits(person: Person, email: string): Promise<void> {
  await person.visit('/registration');
  await person.fill('traits.email', email);
  await person.click('method', 'profile');
  expect(person.path).toBe('/registration');
  expect(await person.messageIds()).toEqual([CHOOSE_CREDENTIALS]);
}

describe('two-step registration in HTML forms', () => {
  it('asks for the traits only, then offers the methods with the traits hidden, and goes back', async () => {
    const person = await Person.open(stack);
    const first = uniqueEmail('first-try');
    const email = uniqueEmail('two-step-form');
    try {
      await person.visit('/registration');
      const profile = await form(person);
      expect(profile.buttons).toEqual(['method=profile']);
      expect(profile.visible).toEqual(['traits.email', 'traits.name.first', 'traits.name.last']);

      await person.fill('traits.email', first);
      await person.click('method', 'profile');
      expect(await person.messageIds()).toEqual([CHOOSE_CREDENTIALS]);
      const methods = await form(person);
      expect(methods.visible).toEqual(['password']);
      expect(methods.hidden['traits.email']).toBe(first);
      expect(methods.buttons).toEqual(
        expect.arrayContaining(['screen=previous', 'method=password', 'method=code']),
      );
      // The passkey's creation is offered at once (Kratos' credentials screen): its trigger, no
      // `method=passkey` round.
      expect(methods.buttons.filter((b) => b.startsWith('passkey_register_trigger='))).toHaveLength(1);
      expect(methods.buttons).not.toContain('method=passkey');
      expect(methods.buttons).not.toContain('method=profile');

      await person.click('screen', 'previous');
      expect(await person.messageIds()).toEqual([]);
      expect(await person.page.locator('input[name="traits.email"]').inputValue()).toBe(first);
      expect((await form(person)).buttons).toEqual(['method=profile']);

      await person.fill('traits.email', email);
      await person.click('method', 'profile');
      expect((await form(person)).hidden['traits.email']).toBe(email);
      await person.fill('password', PASSWORD);
      await person.click('method', 'password');
      expect(person.path).toBe('/welcome');
      expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
    } finally {
      await person.close();
    }
  });

  it('sends a code, goes back to the methods from the code step, and signs up with the code', async () => {
    const person = await Person.open(stack);
    const email = uniqueEmail('two-step-code');
    try {
      await throughTheTraits(person, email);
      const before = stack.sink.messages.length;
      await person.click('method', 'code');
      expect(await person.messageIds()).toEqual([CODE_SENT]);
      expect((await form(person)).buttons).toContain('screen=credential-selection');
      await mailTo(stack.sink, email, /./, before);

      await person.click('screen', 'credential-selection');
      expect(await person.messageIds()).toEqual([CHOOSE_CREDENTIALS]);
      expect((await form(person)).hidden['traits.email']).toBe(email);

      const again = stack.sink.messages.length;
      await person.click('method', 'code');
      const code = codeIn(await mailTo(stack.sink, email, /./, again));
      await person.fill('code', code);
      await person.click('method', 'code');
      expect(person.path).toBe('/welcome');
      expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
    } finally {
      await person.close();
    }
  });

  it('signs up with a passkey from the methods screen', async () => {
    const person = await Person.open(stack);
    const email = uniqueEmail('two-step-passkey');
    try {
      await addVirtualAuthenticator(person.page);
      await throughTheTraits(person, email);
      await person.click('passkey_register_trigger');
      expect(person.path).toBe('/welcome');
      expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
    } finally {
      await person.close();
    }
  });
});
