import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Jsonnet } from './jsonnet.js';
import { JsonnetSyntaxError } from './syntax-error.js';

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

  it('compiles any token soup to a program or a JsonnetSyntaxError, and never throws from evaluate', () => {
    const tokens = [
      ...'{}[]().,:;=+-*/%<>!~&|^$'.split(''),
      '::',
      ':::',
      '+:',
      '==',
      '!=',
      '<=',
      '>=',
      '&&',
      '||',
      '<<',
      '>>',
      'local',
      'function',
      'if',
      'then',
      'else',
      'for',
      'in',
      'self',
      'super',
      'error',
      'assert',
      'null',
      'true',
      'false',
      'std',
      'x',
      'f',
      '1',
      '0.5',
      '"s"',
      "'t'",
      '|||\n  b\n|||',
      'std.length',
      'std.extVar("x")',
      'std.map',
      'std.repeat',
    ];
    const small = new Jsonnet({ maxMillis: 50, maxSteps: 20_000 });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 25 }), (parts) => {
        const src = parts.join(' ');
        let program;
        try {
          program = small.compile(src, 'soup.jsonnet');
        } catch (err) {
          expect(err).toBeInstanceOf(JsonnetSyntaxError);
          return;
        }
        const result = program.evaluate({ x: [1, 'a', { b: null }] });
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.error.message).toMatch(/^soup\.jsonnet:\d+:\d+/);
      }),
      { numRuns: 2000 },
    );
  });
});
