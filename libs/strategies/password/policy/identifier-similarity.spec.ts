import { describe, expect, it } from 'vitest';
import {
  goLongestCommonSubstring,
  goLowerCase,
  isTooSimilarToIdentifier,
  levenshtein,
  utf8Length,
} from './identifier-similarity.js';

describe('isTooSimilarToIdentifier', () => {
  // The similarity cases of Kratos' TestDefaultPasswordValidationStrategy.
  it.each([
    ['l3f9toh1uaf81n21', 'l3f9toh1uaf81n21'],
    ['hello@example.com', 'hello@example.com12345'],
    ['hello@example.com', '123hello@example.com123'],
    ['hello@example.com', 'hello@exam'],
    ['hello@example.com', 'HELLO@EXAMPLE.COM'],
    ['hello@example.com', 'HELLO@example.com'],
    ['hello@exam', 'hello@example.com'],
    ['hello@example.com', 'h3ll0@example'],
    ['bosqwfaxee', 'bosqwfaxee'],
  ])('refuses identifier %j with password %j, as Kratos does', (identifier, password) => {
    expect(isTooSimilarToIdentifier(password, identifier)).toBe(true);
  });

  it.each([
    ['abcd', '9d3c8a1b'],
    ['a', 'kjOklafe'],
    ['ab', '0000ab0000123'],
    ['d4f6090b-5a84', 'd4f6090b-5a84-2184-4404-8d1b-8da3eb00ebbe'],
    ['asdflasdflasdf', 'asdflasdflpiuhefnciluaksdzuföfhg'],
    ['', 'l3f9toh1uaf81n21'],
  ])('accepts identifier %j with password %j, as Kratos does', (identifier, password) => {
    expect(isTooSimilarToIdentifier(password, identifier)).toBe(false);
  });

  it('compares case-insensitively in both directions', () => {
    expect(isTooSimilarToIdentifier('bosqwfaxee', 'BOSQWFAXEE')).toBe(true);
    expect(isTooSimilarToIdentifier('BoSqWfAxEe', 'bOsQwFaXeE')).toBe(true);
  });

  it('refuses below a Levenshtein distance of 5 and accepts at 5', () => {
    expect(levenshtein('1234', 'abcd')).toBe(4);
    expect(isTooSimilarToIdentifier('abcd', '1234')).toBe(true);
    expect(levenshtein('12345', 'abcde')).toBe(5);
    expect(isTooSimilarToIdentifier('abcde', '12345')).toBe(false);
  });

  it('refuses when the common substring covers more than half of the password, not exactly half', () => {
    // 4 of 8 bytes, distance 5: exactly half is allowed.
    expect(goLongestCommonSubstring('abcd1234zz', 'abcdwxyz')).toBe(4);
    expect(levenshtein('abcd1234zz', 'abcdwxyz')).toBe(5);
    expect(isTooSimilarToIdentifier('abcdwxyz', 'abcd1234zz')).toBe(false);
    // 5 of 9 bytes.
    expect(isTooSimilarToIdentifier('abcdewxyz', 'abcde12345zz')).toBe(true);
  });

  it('divides by the password length in UTF-8 bytes, as Go does', () => {
    // 6 common of 11 code points would refuse; 6 of 16 bytes does not.
    expect(utf8Length('abcdefééééé')).toBe(16);
    expect(isTooSimilarToIdentifier('abcdefééééé', 'abcdef')).toBe(false);
  });

  it('restarts a common run after a non-ASCII character, as Kratos lcsLength does', () => {
    expect(goLongestCommonSubstring('äb', 'äb')).toBe(1);
    expect(goLongestCommonSubstring('bä', 'bä')).toBe(2);
    // A plain longest common substring would be 9 of 17 bytes and refuse.
    expect(goLongestCommonSubstring('abcdäefgh', 'abcdäefgh1234567')).toBe(5);
    expect(isTooSimilarToIdentifier('abcdäefgh1234567', 'abcdäefgh')).toBe(false);
  });

  it('measures the edit distance in code points', () => {
    expect(levenshtein('😀😀', '😀')).toBe(1);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
  });

  it('skips the comparison when either side is longer than 256 bytes', () => {
    const at256 = 'q'.repeat(256);
    expect(isTooSimilarToIdentifier(at256, at256)).toBe(true);
    expect(isTooSimilarToIdentifier(`${at256}x`, at256)).toBe(false);
    expect(isTooSimilarToIdentifier(at256, `${at256}x`)).toBe(false);
    // 129 two-byte characters are 258 bytes.
    expect(isTooSimilarToIdentifier('é'.repeat(129), 'é'.repeat(129))).toBe(false);
  });
});

describe('goLowerCase', () => {
  it('lower-cases code point by code point with the simple mapping', () => {
    expect(goLowerCase('HELLO@Example.COM')).toBe('hello@example.com');
    expect(goLowerCase('\u0130stanbul')).toBe('istanbul');
    expect(goLowerCase('ΟΔΟΣ')).toBe('οδοσ');
    expect(goLowerCase('ÄÖÜ😀')).toBe('äöü😀');
  });
});
