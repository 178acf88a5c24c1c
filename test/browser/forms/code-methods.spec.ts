import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeIn,
  createIdentity,
  type FormStack,
  isVerified,
  mailTo,
  Person,
  requestMail,
  setNewPasswordAndSignIn,
  startFormStack,
  uniqueEmail,
} from './form-stack.js';

// Verification and recovery by code through the reference UI's forms: the address typed into the
// form, the code read from the mail the SMTP sink received, typed in, and the flow's own submit
// button clicked. The form carries what the flow's nodes say: the hidden `method` input and the
// button's own `method=code`.

const VERIFIED = { id: 1080002, text: 'You successfully verified your email address.' };
const VERIFICATION_CODE_SENT = 1080003;
const RECOVERY_CODE_SENT = 1060003;
const RECOVERED = 1060001;

let stack: FormStack;

beforeAll(async () => {
  stack = await startFormStack({
    SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
    SELFSERVICE_FLOWS_RECOVERY_USE: 'code',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
    SELFSERVICE_FLOWS_VERIFICATION_USE: 'code',
    SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS:
      '[{"hook":"session"},{"hook":"show_verification_ui"}]',
  });
});

afterAll(async () => {
  await stack?.close();
});

describe('registration hands on to verification by code', () => {
  let person: Person;
  const email = uniqueEmail('handoff');

  beforeAll(async () => {
    person = await Person.open(stack);
  });
  afterAll(() => person?.close());

  it('signs up and lands signed in on the verification page, the code on its way', async () => {
    const before = stack.sink.messages.length;
    await person.register(email);
    expect(person.path).toBe('/verification');
    expect(await person.messageIds()).toEqual([VERIFICATION_CODE_SENT]);
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
    expect(await person.page.locator('#form-verification input[name="code"]').count()).toBe(1);
    await mailTo(stack.sink, email, /verify/i, before);
    expect(await isVerified(stack, email)).toBe(false);
  });

  it("that page's form carries the flow's CSRF token, as every browser form does", async () => {
    const token = person.page.locator('#form-verification input[type="hidden"][name="csrf_token"]');
    expect(await token.count()).toBe(1);
    expect(await token.getAttribute('value')).toMatch(/.{16,}/);
  });

  it('types the mailed code into that page and sees the address verified', async () => {
    const mail = await mailTo(stack.sink, email, /verify/i);
    await person.fill('code', codeIn(mail));
    await person.click('method', 'code');
    expect(person.path).toBe('/verification');
    expect(await person.messages()).toEqual([VERIFIED]);
    expect(await isVerified(stack, email)).toBe(true);
  });
});

describe('verification by code from the verification page', () => {
  it('asks for the address, mails a code, and the typed code verifies the address', async () => {
    const email = uniqueEmail('verify-code');
    await createIdentity(stack, email);
    expect(await isVerified(stack, email)).toBe(false);
    const person = await Person.open(stack);
    try {
      const mail = await requestMail(
        stack,
        person,
        '/verification',
        email,
        'code',
        VERIFICATION_CODE_SENT,
        /verify/i,
      );

      await person.fill('code', codeIn(mail));
      await person.click('method', 'code');
      expect(person.path).toBe('/verification');
      expect(await person.messages()).toEqual([VERIFIED]);
      expect(await isVerified(stack, email)).toBe(true);
    } finally {
      await person.close();
    }
  });
});

describe('recovery by code', () => {
  let person: Person;
  const email = uniqueEmail('recover-code');

  beforeAll(async () => {
    await createIdentity(stack, email);
    person = await Person.open(stack);
  });
  afterAll(() => person?.close());

  it('mails a code for the address, and the typed code signs in on the settings page', async () => {
    const mail = await requestMail(stack, person, '/recovery', email, 'code', RECOVERY_CODE_SENT, /recover/i);

    await person.fill('code', codeIn(mail));
    await person.click('method', 'code');
    expect(await person.messageIds()).toEqual([RECOVERED]);
    expect(person.path).toBe('/settings');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });

  it('sets a new password there, and the new password signs in', async () => {
    await setNewPasswordAndSignIn(person, email);
  });
});
