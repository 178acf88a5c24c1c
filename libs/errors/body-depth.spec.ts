import { describe, expect, it } from 'vitest';
import { assertBodyDepth, jsonDepth } from './body-depth.js';

describe('body depth', () => {
  it('counts object and array nesting', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth({ a: 1 })).toBe(1);
    expect(jsonDepth({ traits: { name: { first: 'Ada' } } })).toBe(3);
    expect(jsonDepth([[[]]])).toBe(3);
  });

  it('refuses hostile nesting without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(() => assertBodyDepth(deep)).toThrow(/nested more than 32 levels/);
    expect(() => assertBodyDepth({ traits: { email: 'a@b.c' } })).not.toThrow();
  });
});
