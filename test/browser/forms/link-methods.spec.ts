import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminIdentity,
  createIdentity,
  type FormStack,
  linkIn,
  mailTo,
  Person,
  startFormStack,
  uniqueEmail,
} from './form-stack.js';

// Verification and recovery by link through the reference UI's forms: the address typed into the
// form, its submit button clicked, and the link in the mail the SMTP sink received followed in
// the same browser.

const NEW_PASSWORD = 'Copper-Harbour-Lattice-58';
const SAVED = { id: 1050001, text: 'Your changes have been saved!' };
const VERIFIED = { id: 1080002, text: 'You successfully verified your email address.' };
const VERIFICATION_LINK_SENT = 1080001;
const RECOVERY_LINK_SENT = 1060002;
const RECOVERED = 1060001;

let stack: FormStack;

beforeAll(async () => {
  stack = await startFormStack({
    SELFSERVICE_METHODS_LINK_ENABLED: 'true',
    SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
    SELFSERVICE_FLOWS_RECOVERY_USE: 'link',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
    SELFSERVICE_FLOWS_VERIFICATION_USE: 'link',
  });
});

afterAll(async () => {
  await stack?.close();
});

const isVerified = async (email: string) =>
  (await adminIdentity(stack, email)).verifiable_addresses.find((a) => a.value === email)?.verified;

describe('verification by link', () => {
  it('asks for the address, mails a link, and following it verifies the address', async () => {
    const email = uniqueEmail('verify-link');
    await createIdentity(stack, email);
    expect(await isVerified(email)).toBe(false);
    const person = await Person.open(stack);
    try {
      await person.visit('/verification');
      expect(person.path).toBe('/verification');
      const before = stack.sink.messages.length;
      await person.fill('email', email);
      await person.click('method', 'link');
      expect(await person.messageIds()).toEqual([VERIFICATION_LINK_SENT]);
      const mail = await mailTo(stack.sink, email, /verify/i, before);

      await person.page.goto(linkIn(mail, '/self-service/verification'));
      expect(person.path).toBe('/verification');
      expect(await person.messages()).toEqual([VERIFIED]);
      expect(await isVerified(email)).toBe(true);
    } finally {
      await person.close();
    }
  });
});

describe('recovery by link', () => {
  let person: Person;
  const email = uniqueEmail('recover-link');

  beforeAll(async () => {
    await createIdentity(stack, email);
    person = await Person.open(stack);
  });
  afterAll(() => person?.close());

  it('mails a link for the address, and following it signs in on the settings page', async () => {
    await person.visit('/recovery');
    expect(person.path).toBe('/recovery');
    const before = stack.sink.messages.length;
    await person.fill('email', email);
    await person.click('method', 'link');
    expect(await person.messageIds()).toEqual([RECOVERY_LINK_SENT]);
    const mail = await mailTo(stack.sink, email, /recover/i, before);

    await person.page.goto(linkIn(mail, '/self-service/recovery'));
    expect(await person.messageIds()).toEqual([RECOVERED]);
    expect(person.path).toBe('/settings');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });

  it('sets a new password there, and the new password signs in', async () => {
    await person.fill('password', NEW_PASSWORD, 'password');
    await person.click('method', 'password', 'password');
    expect(person.path).toBe('/settings');
    expect(await person.messages()).toEqual([SAVED]);

    await person.signOut();
    await person.signIn(email, NEW_PASSWORD);
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });
});
