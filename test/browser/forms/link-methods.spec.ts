import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIdentity,
  type FormStack,
  isVerified,
  linkIn,
  Person,
  requestMail,
  setNewPasswordAndSignIn,
  startFormStack,
  uniqueEmail,
} from './form-stack.js';

// Verification and recovery by link through the reference UI's forms: the address typed into the
// form, its submit button clicked, and the link in the mail the SMTP sink received followed in
// the same browser.

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

describe('verification by link', () => {
  it('asks for the address, mails a link, and following it verifies the address', async () => {
    const email = uniqueEmail('verify-link');
    await createIdentity(stack, email);
    expect(await isVerified(stack, email)).toBe(false);
    const person = await Person.open(stack);
    try {
      const mail = await requestMail(
        stack,
        person,
        '/verification',
        email,
        'link',
        VERIFICATION_LINK_SENT,
        /verify/i,
      );

      await person.page.goto(linkIn(mail, '/self-service/verification'));
      expect(person.path).toBe('/verification');
      expect(await person.messages()).toEqual([VERIFIED]);
      expect(await isVerified(stack, email)).toBe(true);
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
    const mail = await requestMail(stack, person, '/recovery', email, 'link', RECOVERY_LINK_SENT, /recover/i);

    await person.page.goto(linkIn(mail, '/self-service/recovery'));
    expect(await person.messageIds()).toEqual([RECOVERED]);
    expect(person.path).toBe('/settings');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });

  it('sets a new password there, and the new password signs in', async () => {
    await setNewPasswordAndSignIn(person, email);
  });
});
