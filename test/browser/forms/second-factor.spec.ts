import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormStack, Person, startFormStack, totpCode, uniqueEmail } from './form-stack.js';

// The second factors through the reference UI's forms: an authenticator app (TOTP) linked and
// unlinked in settings, backup codes generated, confirmed, revealed, regenerated and disabled, and
// the aal2 sign-in with each. Every button is the flow's own node, clicked with its name and value.

const SAVED = { id: 1050001, text: 'Your changes have been saved!' };
const SECOND_FACTOR = 1010004;

let stack: FormStack;

beforeAll(async () => {
  stack = await startFormStack({
    SELFSERVICE_METHODS_TOTP_ENABLED: 'true',
    SELFSERVICE_METHODS_TOTP_CONFIG_ISSUER: 'Tessera Forms',
    SELFSERVICE_METHODS_LOOKUP_SECRET_ENABLED: 'true',
  });
});

afterAll(async () => {
  await stack?.close();
});

/** Signs in with the password and arrives at the second-factor form. */
async function signInToSecondFactor(person: Person, email: string): Promise<void> {
  await person.signIn(email);
  expect(person.path).toBe('/login');
  expect(await person.messageIds()).toContain(SECOND_FACTOR);
  expect((await person.session()).state).toBe('aal2_required');
}

describe('authenticator app (TOTP) in settings and at sign-in', () => {
  let person: Person;
  const email = uniqueEmail('totp');
  let secret = '';

  beforeAll(async () => {
    person = await Person.open(stack);
    await person.register(email);
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });
  afterAll(() => person?.close());

  it('links an app: the page shows the QR code and secret, and the first code saves it at aal2', async () => {
    await person.visit('/settings');
    const qr = person.page.locator('#form-totp img#totp_qr');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    secret = await person.textOf('totp_secret_key');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

    await person.fill('totp_code', totpCode(secret), 'totp');
    await person.click('method', 'totp', 'totp');
    expect(person.path).toBe('/settings');
    expect(await person.messages()).toEqual([SAVED]);
    expect(await person.page.locator('#totp_qr').count()).toBe(0);
    expect(await person.page.locator('#form-totp button[name="totp_unlink"]').count()).toBe(1);
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal2', email });
  });

  it('signs in with the password, is asked for the app code, and the code finishes at aal2', async () => {
    await person.signOut();
    await signInToSecondFactor(person, email);
    await person.fill('totp_code', '000000');
    await person.click('method', 'totp');
    expect(person.path).toBe('/login');
    expect(await person.messageIds()).toContain(4000008);

    await person.fill('totp_code', totpCode(secret, 1));
    await person.click('method', 'totp');
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal2', email });
  });

  it('unlinks the app with its button, and the password alone signs in again', async () => {
    await person.visit('/settings');
    await person.click('totp_unlink', 'true', 'totp');
    expect(person.path).toBe('/settings');
    expect(await person.messages()).toEqual([SAVED]);
    expect(await person.page.locator('#form-totp img#totp_qr').count()).toBe(1);
    expect(await person.page.locator('button[name="totp_unlink"]').count()).toBe(0);

    await person.signOut();
    await person.signIn(email);
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });
});

describe('backup codes (lookup secrets) in settings and at sign-in', () => {
  let person: Person;
  const email = uniqueEmail('lookup');
  let codes: string[] = [];

  const shownCodes = () => person.page.locator('#lookup_secret_codes .lookup-code').allTextContents();

  beforeAll(async () => {
    person = await Person.open(stack);
    await person.register(email);
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });
  afterAll(() => person?.close());

  it('generates codes: the page lists them with a button to confirm', async () => {
    await person.visit('/settings');
    expect(await person.page.locator('#form-lookup_secret button').evaluateAll((b) => b.length)).toBe(1);
    await person.click('lookup_secret_regenerate', 'true', 'lookup_secret');
    expect(person.path).toBe('/settings');
    expect(await person.messageIds()).toEqual([]);
    codes = await shownCodes();
    expect(codes.length).toBeGreaterThanOrEqual(10);
    expect(new Set(codes).size).toBe(codes.length);
    expect(
      await person.page.locator('#form-lookup_secret button[name="lookup_secret_confirm"]').count(),
    ).toBe(1);
  });

  it('confirms the codes and sees them saved', async () => {
    await person.click('lookup_secret_confirm', 'true', 'lookup_secret');
    expect(person.path).toBe('/settings');
    expect(await person.messages()).toEqual([SAVED]);
    const buttons = await person.page
      .locator('#form-lookup_secret button')
      .evaluateAll((all) => all.map((b) => (b as unknown as { name: string }).name));
    expect(buttons.sort()).toEqual(['lookup_secret_disable', 'lookup_secret_reveal']);
  });

  it('signs in with the password and a backup code at aal2; a made-up code is refused', async () => {
    await person.signOut();
    await signInToSecondFactor(person, email);
    await person.fill('lookup_secret', 'abcd1234');
    await person.click('method', 'lookup_secret');
    expect(person.path).toBe('/login');
    expect(await person.messageIds()).toContain(4000016);

    await person.fill('lookup_secret', codes[0]!);
    await person.click('method', 'lookup_secret');
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal2', email });
  });

  it('reveals the codes, the spent one shown as used', async () => {
    await person.visit('/settings');
    await person.click('lookup_secret_reveal', 'true', 'lookup_secret');
    expect(person.path).toBe('/settings');
    expect(await shownCodes()).toEqual(['Used', ...codes.slice(1)]);
  });

  it('regenerates and confirms new codes; an old code no longer signs in, a new one does', async () => {
    await person.click('lookup_secret_regenerate', 'true', 'lookup_secret');
    const fresh = await shownCodes();
    expect(fresh.length).toBe(codes.length);
    expect(fresh.filter((code) => codes.includes(code))).toEqual([]);
    await person.click('lookup_secret_confirm', 'true', 'lookup_secret');
    expect(await person.messages()).toEqual([SAVED]);

    await person.signOut();
    await signInToSecondFactor(person, email);
    await person.fill('lookup_secret', codes[1]!);
    await person.click('method', 'lookup_secret');
    expect(person.path).toBe('/login');
    expect(await person.messageIds()).toContain(4000016);
    await person.fill('lookup_secret', fresh[0]!);
    await person.click('method', 'lookup_secret');
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal2', email });
  });

  it('disables the codes with their button; the password alone signs in again', async () => {
    await person.visit('/settings');
    await person.click('lookup_secret_disable', 'true', 'lookup_secret');
    expect(person.path).toBe('/settings');
    expect(await person.messages()).toEqual([SAVED]);
    expect(
      await person.page.locator('#form-lookup_secret button[name="lookup_secret_regenerate"]').count(),
    ).toBe(1);

    await person.signOut();
    await person.signIn(email);
    expect(person.path).toBe('/welcome');
    expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
  });
});
