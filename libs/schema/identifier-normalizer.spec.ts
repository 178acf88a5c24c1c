import { describe, expect, it } from 'vitest';
import { normalizeIdentifier } from './identifier-normalizer.js';

describe('normalizeIdentifier', () => {
  it('trims and lower-cases emails and usernames', () => {
    expect(normalizeIdentifier('  Foo.Bar@Example.ORG ', 'email')).toBe('foo.bar@example.org');
    expect(normalizeIdentifier('JaneDoe')).toBe('janedoe');
  });

  it('strips zero-width and bidi code points', () => {
    expect(normalizeIdentifier('fo\u200Bo@exa\u202Emple.org\uFEFF', 'email')).toBe('foo@example.org');
    expect(normalizeIdentifier('\u2066admin\u2069')).toBe('admin');
  });

  it('applies NFKC', () => {
    expect(normalizeIdentifier('ｊａｎｅ')).toBe('jane');
    expect(normalizeIdentifier('ﬁle@example.org', 'email')).toBe('file@example.org');
  });

  it('compacts phone numbers and keeps the leading +', () => {
    expect(normalizeIdentifier(' +49 (176) 123-45.67 ', 'sms')).toBe('+491761234567');
    expect(normalizeIdentifier('+1 555 123 4567')).toBe('+15551234567');
  });

  it('does not take a local number for a phone when guessing', () => {
    expect(normalizeIdentifier('555-1234')).toBe('555-1234');
  });
});
