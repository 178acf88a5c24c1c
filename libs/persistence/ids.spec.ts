import { describe, expect, it } from 'vitest';
import { isUuid, newId } from './ids.js';

describe('newId', () => {
  it('makes RFC 9562 version 7 UUIDs', () => {
    const id = newId();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('sorts by creation time', () => {
    const ids = [newId(1_000), newId(2_000), newId(3_000)];
    expect([...ids].sort()).toEqual(ids);
  });

  it('sorts ids made in the same millisecond in the order they were made', () => {
    const now = Date.now() + 60_000;
    const ids = Array.from({ length: 5000 }, () => newId(now));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]!.slice(0, 13).replace('-', '')).toBe(now.toString(16).padStart(12, '0'));
  });

  it('keeps counting up when the clock steps back', () => {
    const later = newId(Date.now() + 120_000);
    const earlier = newId(Date.now());
    expect(earlier > later).toBe(true);
  });

  it('gives every id fresh random bits, across the batches they are drawn in', () => {
    // 600 ids span three batches of 256: a batch used twice would repeat its tails.
    const tails = Array.from({ length: 600 }, () => newId().slice(19).replace('-', ''));
    expect(new Set(tails).size).toBe(600);
  });

  it('does not repeat', () => {
    expect(new Set(Array.from({ length: 1000 }, () => newId(5))).size).toBe(1000);
  });
});
