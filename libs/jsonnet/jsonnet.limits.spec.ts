import { describe, expect, it } from 'vitest';
import { Jsonnet } from './jsonnet.js';
import { JsonnetSyntaxError } from './syntax-error.js';

const jsonnet = new Jsonnet();
const run = (src: string, j = jsonnet) => j.compile(src, 'limits.jsonnet').evaluate({});

function timed(src: string, j = jsonnet) {
  const start = performance.now();
  const result = run(src, j);
  return { result, ms: performance.now() - start };
}

describe('Jsonnet limits', () => {
  it('stops infinite recursion at maxDepth', () => {
    expect(run('local f(n) = f(n + 1) + 1; f(0)')).toMatchObject({
      ok: false,
      error: { kind: 'limit', message: expect.stringContaining('max stack depth 400') },
    });
    expect(run('local o = { a: self.a }; o.a')).toMatchObject({ ok: false, error: { kind: 'limit' } });
    expect(run('local a = [a[0]]; a')).toMatchObject({ ok: false, error: { kind: 'limit' } });
    expect(run('local f(n) = { a: f(n + 1) }; f(0)')).toMatchObject({ ok: false, error: { kind: 'limit' } });
  });

  it('allows recursion below maxDepth', () => {
    expect(run('local f(n) = if n == 0 then 0 else 1 + f(n - 1); f(350)')).toEqual({ ok: true, value: 350 });
  });

  it('refuses huge arrays and strings before building them', () => {
    const huge = timed('std.makeArray(1e9, function(i) i)');
    expect(huge.result).toMatchObject({
      ok: false,
      error: { kind: 'limit', message: expect.stringContaining('array length') },
    });
    expect(huge.ms).toBeLessThan(100);
    expect(run('std.repeat("x", 1e9)')).toMatchObject({ ok: false, error: { kind: 'limit' } });
    expect(run('std.range(0, 1e9)')).toMatchObject({ ok: false, error: { kind: 'limit' } });
    const doubling = timed('std.foldl(function(s, _) s + s, std.range(1, 64), "x")');
    expect(doubling.result).toMatchObject({
      ok: false,
      error: { kind: 'limit', message: expect.stringContaining('string length') },
    });
    expect(doubling.ms).toBeLessThan(250);
    expect(run('std.foldl(function(a, _) a + a, std.range(1, 64), [1])')).toMatchObject({
      ok: false,
      error: { kind: 'limit' },
    });
    expect(run('std.join("", std.repeat([std.repeat("x", 1000000)], 1000))')).toMatchObject({
      ok: false,
      error: { kind: 'limit' },
    });
  });

  it('bounds format widths and precisions', () => {
    for (const src of [
      '"%01000000000d" % 1',
      '"%.1000000000f" % 1',
      '"%*d" % [1e9, 1]',
      '"%1000000000s" % "x"',
    ]) {
      expect(run(src), src).toMatchObject({ ok: false, error: { kind: 'limit' } });
    }
    expect(run('"%.400f" % 1')).toMatchObject({ ok: false, error: { kind: 'runtime' } });
    expect(run('"%c" % 1.5')).toMatchObject({ ok: false, error: { kind: 'runtime' } });
  });

  it('bounds the manifested output', () => {
    const small = new Jsonnet({ maxOutputBytes: 1000 });
    expect(run('[std.repeat("x", 100) for i in std.range(1, 20)]', small)).toMatchObject({
      ok: false,
      error: { kind: 'limit', message: expect.stringContaining('output exceeds 1000 bytes') },
    });
    expect(run('std.manifestJson([std.repeat("x", 100) for i in std.range(1, 20)])', small)).toMatchObject({
      ok: false,
      error: { kind: 'limit' },
    });
  });

  it('stops a busy loop by steps', () => {
    const patient = new Jsonnet({ maxMillis: 60_000 });
    expect(run('std.foldl(function(a, x) a + x, std.range(1, 1000000), 0)', patient)).toMatchObject({
      ok: false,
      error: { kind: 'limit', message: expect.stringContaining('1000000 steps') },
    });
  });

  it('stops a busy loop of many seconds near maxMillis', () => {
    const unbounded = new Jsonnet({ maxSteps: Number.MAX_SAFE_INTEGER, maxMillis: 100 });
    const busy = timed(
      '[std.foldl(function(a, x) a + x, std.range(1, 1000000), 0) for i in std.range(1, 100)]',
      unbounded,
    );
    expect(busy.result).toMatchObject({
      ok: false,
      error: { kind: 'limit', message: expect.stringContaining('100 ms') },
    });
    // Generous for a loaded CI machine; unbounded, the loop runs for many seconds.
    expect(busy.ms).toBeLessThan(600);
  });

  it('turns a JavaScript stack overflow into a limit failure', () => {
    const deep = new Jsonnet({ maxDepth: 1_000_000 });
    expect(run('local f(n) = f(n + 1) + 1; f(0)', deep)).toMatchObject({
      ok: false,
      error: { kind: 'limit' },
    });
  });

  it('never throws from evaluate, whatever the ext vars', () => {
    const p = jsonnet.compile('std.extVar("x")', 'x.jsonnet');
    for (const x of [undefined, NaN, Infinity, () => 1, Symbol('s'), { a: [1, NaN] }]) {
      expect(() => p.evaluate({ x })).not.toThrow();
    }
    expect(p.evaluate({ x: { a: [1, NaN] } })).toMatchObject({ ok: false, error: { kind: 'runtime' } });
    expect(p.evaluate(null as unknown as Record<string, unknown>)).toMatchObject({ ok: false });
  });
});

describe('Jsonnet syntax errors', () => {
  const fails = (src: string, location: string, detail: RegExp) => {
    let error: unknown;
    try {
      jsonnet.compile(src, 'bad.jsonnet');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(JsonnetSyntaxError);
    expect((error as JsonnetSyntaxError).location).toBe(location);
    expect((error as JsonnetSyntaxError).message).toMatch(detail);
    expect((error as JsonnetSyntaxError).message.startsWith(`${location}: `)).toBe(true);
  };

  it('names the file, line and column', () => {
    fails('{\n  a: 1,\n  b: ,\n}', 'bad.jsonnet:3:6', /unexpected ','/);
    fails('local x = 1;\n  x +', 'bad.jsonnet:2:6', /end of file/);
    fails('"abc', 'bad.jsonnet:1:1', /unterminated string/);
    fails('{ a: 1 } }', 'bad.jsonnet:1:10', /unexpected '}'/);
    fails('"\\q"', 'bad.jsonnet:1:2', /escape/);
    fails('local x = 1; y', 'bad.jsonnet:1:14', /unknown variable: y/);
    fails('self.a', 'bad.jsonnet:1:1', /self outside of an object/);
    fails('local f(a, a) = 1; f', 'bad.jsonnet:1:12', /duplicate parameter/);
    fails('|||\nno indent\n|||', 'bad.jsonnet:2:1', /text block/);
  });

  it('refuses imports', () => {
    fails('import "lib.libsonnet"', 'bad.jsonnet:1:1', /import is not allowed/);
    fails('local s = importstr "secret.txt"; s', 'bad.jsonnet:1:11', /importstr is not allowed/);
    fails('{ b: importbin "x" }', 'bad.jsonnet:1:6', /importbin is not allowed/);
  });

  it('refuses source nested too deeply', () => {
    fails('['.repeat(50000) + ']'.repeat(50000), 'bad.jsonnet:1:1', /nests too deeply/);
    fails(Array.from({ length: 50000 }, () => '1').join(' + '), 'bad.jsonnet:1:1', /nests too deeply/);
  });
});
