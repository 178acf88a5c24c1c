import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormStack, Person, startFormStack, uniqueEmail } from './form-stack.js';

// identifier_first login through the reference UI's HTML form: the identifier typed and Continue
// clicked, the page the 303 leads to showing step two, the password typed and its button clicked.

const ACCOUNT_NOT_FOUND = 4000037;
const INVALID_CREDENTIALS = 4000006;

const inputType = (person: Person, name: string) =>
  person.page.locator(`#form-login input[name="${name}"]`).getAttribute('type');

const buttons = (person: Person) =>
  person.page
    .locator('#form-login button')
    .evaluateAll((all) => all.map((b) => `${b.getAttribute('name')}=${b.getAttribute('value')}`));

describe('identifier_first login, account enumeration not mitigated', () => {
  let stack: FormStack;
  let person: Person;
  const email = uniqueEmail('idfirst-form');

  beforeAll(async () => {
    stack = await startFormStack({ SELFSERVICE_FLOWS_LOGIN_STYLE: 'identifier_first' });
    person = await Person.open(stack);
    await person.register(email);
    await person.signOut();
  });
  afterAll(async () => {
    await person?.close();
    await stack?.close();
  });

  it('shows only the identifier and Continue first', async () => {
    await person.visit('/login');
    expect(await inputType(person, 'identifier')).toBe('text');
    expect(await person.page.locator('#form-login input[name="password"]').count()).toBe(0);
    expect(await buttons(person)).toEqual(['method=identifier_first']);
  });

  it('shows the password next, the identifier carried hidden, and signs in', async () => {
    await person.fill('identifier', email);
    await person.click('method', 'identifier_first');
    expect(person.path).toBe('/login');
    expect(await inputType(person, 'identifier')).toBe('hidden');
    expect(await buttons(person)).toEqual(['method=password']);
    await person.fill('password', 'Wrong-Password-Typed-1');
    await person.click('method', 'password');
    expect(await person.messageIds()).toEqual([INVALID_CREDENTIALS]);
    expect(await inputType(person, 'identifier')).toBe('hidden');
    await person.fill('password', 'Quartz-Lantern-Orbit-73');
    await person.click('method', 'password');
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
    await person.signOut();
  });

  it('says the account does not exist, and a fresh visit starts over', async () => {
    await person.visit('/login');
    await person.fill('identifier', uniqueEmail('nobody'));
    await person.click('method', 'identifier_first');
    expect(await person.messageIds()).toEqual([ACCOUNT_NOT_FOUND]);
    expect(await inputType(person, 'identifier')).toBe('text');
    await person.visit('/login');
    expect(await person.messageIds()).toEqual([]);
    expect(await buttons(person)).toEqual(['method=identifier_first']);
  });
});

describe('identifier_first login, account enumeration mitigated', () => {
  let stack: FormStack;
  let person: Person;

  beforeAll(async () => {
    stack = await startFormStack({
      SELFSERVICE_FLOWS_LOGIN_STYLE: 'identifier_first',
      SECURITY_ACCOUNT_ENUMERATION_MITIGATE: 'true',
      SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    });
    person = await Person.open(stack);
  });
  afterAll(async () => {
    await person?.close();
    await stack?.close();
  });

  it('offers password and code to an unknown address, then fails the password generically', async () => {
    await person.visit('/login');
    await person.fill('identifier', uniqueEmail('nobody'));
    await person.click('method', 'identifier_first');
    expect(await person.messageIds()).toEqual([]);
    expect(await inputType(person, 'identifier')).toBe('hidden');
    expect(await buttons(person)).toEqual(['method=password', 'method=code']);
    await person.fill('password', 'Any-Password-Typed-2');
    await person.click('method', 'password');
    expect(await person.messageIds()).toEqual([INVALID_CREDENTIALS]);
  });
});
