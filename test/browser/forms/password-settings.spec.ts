import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormStack, PASSWORD, Person, startFormStack, uniqueEmail } from './form-stack.js';

// Registration, sign-in at aal1, and the profile and password settings, each driven through the
// reference UI's plain HTML forms by clicking the flow's own buttons.

const NEW_PASSWORD = 'Copper-Harbour-Lattice-58';
const SAVED = { id: 1050001, text: 'Your changes have been saved!' };

let stack: FormStack;
let person: Person;
const email = uniqueEmail('forms');

beforeAll(async () => {
  stack = await startFormStack({});
  person = await Person.open(stack);
});

afterAll(async () => {
  await person?.close();
  await stack?.close();
});

describe('password account through the reference UI forms', () => {
  it('signs up with the registration form and lands signed in at aal1', async () => {
    await person.register(email);
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });

  it('signs out, is refused a wrong password with 4000006, then signs in at aal1', async () => {
    await person.signOut();
    await person.signIn(email, 'not the password at all');
    expect(person.path).toBe('/login');
    expect(await person.messages()).toEqual([
      { id: 4000006, text: expect.stringMatching(/credentials are invalid/i) as string },
    ]);
    expect((await person.session()).state).toBe('signed_out');

    await person.fill('identifier', email);
    await person.fill('password', PASSWORD);
    await person.click('method', 'password');
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });

  it('changes the name in the profile form and sees it saved', async () => {
    await person.visit('/settings');
    expect(person.path).toBe('/settings');
    await person.fill('traits.name.first', 'Ada', 'profile');
    await person.fill('traits.name.last', 'Lovelace', 'profile');
    await person.click('method', 'profile', 'profile');
    expect(person.path).toBe('/settings');
    expect(await person.messages()).toEqual([SAVED]);
    // The form shows the stored values back, and a fresh settings page has them too.
    await person.visit('/settings');
    await expect
      .poll(() => person.page.inputValue('#form-profile input[name="traits.name.first"]'))
      .toBe('Ada');
    expect(await person.page.inputValue('#form-profile input[name="traits.name.last"]')).toBe('Lovelace');
  });

  it('changes the password in the password form, and only the new one signs in', async () => {
    await person.visit('/settings');
    await person.fill('password', NEW_PASSWORD, 'password');
    await person.click('method', 'password', 'password');
    expect(person.path).toBe('/settings');
    expect(await person.messages()).toEqual([SAVED]);

    await person.signOut();
    await person.signIn(email, PASSWORD);
    expect(await person.messageIds()).toEqual([4000006]);
    await person.signIn(email, NEW_PASSWORD);
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });
});
