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

  it('manifests JSON it never looked into as Jsonnet-built values: same order, budget and failures', () => {
    // `rebuilt` makes every object and array anew in Jsonnet; `read` returns the JSON as it came,
    // `touched` after evaluating its top-level fields: all three must manifest alike. (At least
    // 64 bytes, so that only the output, not the small arrays the programs build, hits the bound.)
    const programs = {
      read: "std.extVar('x')",
      touched: `local x = std.extVar('x');
        assert std.length(if std.isObject(x) then [x[k] for k in std.objectFields(x)] else []) >= 0;
        x`,
      rebuilt: `local c(v) = if std.isObject(v) then { [k]: c(v[k]) for k in std.objectFields(v) }
        else if std.isArray(v) then std.map(c, v) else v;
        c(std.extVar('x'))`,
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 64, max: 400 }), (x, maxOutputBytes) => {
        const limited = new Jsonnet({ maxOutputBytes, maxSteps: 10_000_000, maxDepth: 10_000 });
        const [read, touched, rebuilt] = Object.values(programs).map((src) =>
          limited.compile(src, 'x.jsonnet').evaluate({ x }),
        );
        expect(read).toEqual(rebuilt);
        expect(touched).toEqual(rebuilt);
        if (rebuilt!.ok) {
          expect(JSON.stringify(read!.ok && read!.value)).toBe(JSON.stringify(rebuilt!.value));
          expect(JSON.stringify(touched!.ok && touched!.value)).toBe(JSON.stringify(rebuilt!.value));
        }
      }),
      { numRuns: 500 },
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
