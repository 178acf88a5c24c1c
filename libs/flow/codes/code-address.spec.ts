import { describe, expect, it } from 'vitest';
import { stillHeld } from './code-address.js';
import { type OneTimeCodeEntity } from './one-time-code.entity.js';

const at = (iso: string) => new Date(`2026-01-01T${iso}Z`);
const code = (address: string | null, createdAt = at('10:00:00')) =>
  ({ address, via: address ? 'email' : null, createdAt }) as OneTimeCodeEntity;

describe('stillHeld', () => {
  it('holds while a row for the address is at least as old as the code', () => {
    expect(
      stillHeld(code('a@example.org'), [{ via: 'email', value: 'a@example.org', createdAt: at('09:00:00') }]),
    ).toBe(true);
    expect(
      stillHeld(code('a@example.org'), [{ via: 'email', value: 'a@example.org', createdAt: at('10:00:00') }]),
    ).toBe(true);
  });

  it('ends when the address is gone, or came back after the code was sent', () => {
    expect(
      stillHeld(code('a@example.org'), [{ via: 'email', value: 'b@example.org', createdAt: at('09:00:00') }]),
    ).toBe(false);
    expect(
      stillHeld(code('a@example.org'), [
        { via: 'email', value: 'a@example.org', createdAt: at('10:00:00.001') },
      ]),
    ).toBe(false);
    expect(
      stillHeld(code('a@example.org'), [{ via: 'sms', value: 'a@example.org', createdAt: at('09:00:00') }]),
    ).toBe(false);
  });

  it('binds a code sent to no address (an admin recovery code) to its identity alone', () => {
    expect(stillHeld(code(null), [])).toBe(true);
  });
});
