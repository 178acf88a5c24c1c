import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Jsonnet } from './jsonnet.js';

const jsonnet = new Jsonnet();
const identity = jsonnet.compile("std.extVar('x')", 'identity.jsonnet');
const reparsed = jsonnet.compile(
  "std.parseJson(std.manifestJsonMinified(std.extVar('x')))",
  'reparse.jsonnet',
);

describe('Jsonnet JSON round trip', () => {
  it('returns any JSON ext var unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        expect(identity.evaluate({ x })).toEqual({ ok: true, value: x });
      }),
      { numRuns: 300 },
    );
  });

  it('manifests and parses any JSON value back to itself', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        expect(reparsed.evaluate({ x })).toEqual({ ok: true, value: x });
      }),
      { numRuns: 300 },
    );
  });
});
