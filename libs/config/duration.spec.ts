import { describe, expect, it } from 'vitest';
import { parseByteSize, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['1h', 3_600_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '1', 'h', '1d', '10 m', '-1h'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });

  it("accepts up to Go's longest duration and refuses anything longer", () => {
    expect(parseDuration('2562047h')).toBe(2562047 * 3_600_000);
    expect(() => parseDuration('2562048h')).toThrow(/out of range/);
    expect(() => parseDuration('999999999999h')).toThrow(/out of range/);
    expect(() => parseDuration('1' + '0'.repeat(400) + 's')).toThrow(/out of range/);
  });
});

describe('parseByteSize', () => {
  it('reads binary units', () => {
    expect(parseByteSize('19MB')).toBe(19 * 1024 * 1024);
    expect(parseByteSize('128KB')).toBe(131072);
  });
  it('rejects garbage', () => {
    expect(() => parseByteSize('lots')).toThrow(/invalid byte size/);
  });
});
