import { describe, expect, it } from 'vitest';
import { policyMessage } from './policy-violation.js';

describe('policyMessage', () => {
  it('renders the minimum length text of the contract', () => {
    expect(policyMessage({ id: 4000032, context: { min_length: 8, actual_length: 5 } })).toEqual({
      id: 4000032,
      text: 'The password must be at least 8 characters long, but got 5.',
      type: 'error',
      context: { actual_length: 5, min_length: 8 },
    });
  });

  it('renders the maximum length text with the bcrypt limit', () => {
    expect(policyMessage({ id: 4000033, context: { max_length: 72, actual_length: 80 } })).toEqual({
      id: 4000033,
      text: 'The password must be at most 72 characters long, but got 80.',
      type: 'error',
      context: { max_length: 72, actual_length: 80 },
    });
  });

  it('renders the identifier similarity text without a context, as Kratos omits an empty one', () => {
    expect(policyMessage({ id: 4000031, context: {} })).toStrictEqual({
      id: 4000031,
      text: 'The password can not be used because it is too similar to the identifier.',
      type: 'error',
    });
  });

  it('renders the breach text with the breach count', () => {
    expect(policyMessage({ id: 4000034, context: { breaches: 101 } })).toEqual({
      id: 4000034,
      text: 'The password has been found in data breaches and must no longer be used.',
      type: 'error',
      context: { breaches: 101 },
    });
  });

  it('puts the reason into the generic policy text', () => {
    const reason = 'it could not be checked against known data breaches (the breach database is unreachable)';
    expect(policyMessage({ id: 4000005, context: { reason } })).toEqual({
      id: 4000005,
      text: `The password can not be used because ${reason}.`,
      type: 'error',
      context: { reason },
    });
  });

  it('does not share the context object with the violation', () => {
    const violation = { id: 4000034, context: { breaches: 3 } } as const;
    expect(policyMessage(violation).context).not.toBe(violation.context);
  });
});
