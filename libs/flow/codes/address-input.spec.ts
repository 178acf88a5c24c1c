import { describe, expect, it } from 'vitest';
import { addressProblem, MAX_ADDRESS_LENGTH } from './address-input.js';

describe('addressProblem', () => {
  it('accepts an email address, and any short identifier', () => {
    expect(addressProblem('ada.lovelace+id@example.org', 'email')).toBeNull();
    expect(addressProblem('+49 30 1234567', 'identifier')).toBeNull();
  });

  it('refuses what is no email address with 4000040', () => {
    expect(addressProblem('ada', 'email')).toMatchObject({ id: 4000040, context: { value: 'ada' } });
    expect(addressProblem('ada@', 'email')?.id).toBe(4000040);
  });

  it('refuses anything longer than the columns hold with 4000017, without echoing it', () => {
    const long = `${'x'.repeat(MAX_ADDRESS_LENGTH)}@example.org`;
    for (const format of ['email', 'identifier'] as const) {
      const problem = addressProblem(long, format);
      expect(problem).toMatchObject({
        id: 4000017,
        context: { max_length: MAX_ADDRESS_LENGTH, actual_length: MAX_ADDRESS_LENGTH + 12 },
      });
      expect(JSON.stringify(problem)).not.toContain('xxxxxxxxxx');
    }
  });
});
