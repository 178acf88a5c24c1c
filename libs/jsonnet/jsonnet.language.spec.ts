import { describe, expect, it } from 'vitest';
import { Jsonnet } from './jsonnet.js';

// Expected values are what the reference Jsonnet implementation prints for each program.
const CASES: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['false', false],
  ['42', 42],
  ['-3.5', -3.5],
  ['1e3', 1000],
  ['"a\\tb\\u00e9\\ud83d\\ude00"', 'a\tbé😀'],
  ['\'single "q"\'', 'single "q"'],
  ['@"verb ""q"" \\n"', 'verb "q" \\n'],
  ["@'v''s'", "v's"],
  ['|||\n  line1\n    line2\n  line3\n|||', 'line1\n  line2\nline3\n'],
  ['# c\n// d\n/* e */ 1', 1],
  ['local x = 1, y = x + 1; [x, y]', [1, 2]],
  ['local f(a, b=2) = a * b; [f(3), f(3, 4), f(b=5, a=1)]', [6, 12, 5]],
  [
    'local even(n) = if n == 0 then true else odd(n - 1), odd(n) = if n == 0 then false else even(n - 1); [even(10), odd(7)]',
    [true, true],
  ],
  ['{a: 1, b:: 2, c::: 3, d: self.b}', { a: 1, c: 3, d: 2 }],
  ['{a: 1} + {a+: 2, b: 3}', { a: 3, b: 3 }],
  ['{a: [1]} + {a+: [2]}', { a: [1, 2] }],
  ['{a: "x"} {a+: "y"}', { a: 'xy' }],
  ['{a: {b: 1}} + {a+: {c: 2}}', { a: { b: 1, c: 2 } }],
  ['{a: 1, b: {c: $.a, d: self.e, e: 5}}', { a: 1, b: { c: 1, d: 5, e: 5 } }],
  ['local o = {a: 1, b: self.a * 10}; o + {a: 2}', { a: 2, b: 20 }],
  ['{a: 1} + {b: super.a + 1}', { a: 1, b: 2 }],
  ["{a: 1} + {b: 'a' in super, c: 'z' in super}", { a: 1, b: true, c: false }],
  ['{x: 1, y:: 2} + {x:: 3}', {}],
  ['({x:: 1} + {x: 2})', {}],
  ['({x:: 1} + {x::: 2})', { x: 2 }],
  ['{local l = 3, a: l, b: {local m = l + 1, c: m}}', { a: 3, b: { c: 4 } }],
  ['{[k]: 1 for k in ["b", "a"]}', { a: 1, b: 1 }],
  ['{[if true then "x" else null]: 1, [null]: 2}', { x: 1 }],
  ["{['k' + i]: i * i for i in [1, 2, 3] if i != 2}", { k1: 1, k3: 9 }],
  [
    "[[x, y] for x in [1, 2] for y in ['a', 'b'] if x == 2 || y == 'a']",
    [
      [1, 'a'],
      [2, 'a'],
      [2, 'b'],
    ],
  ],
  ['[1, 2, 3, 4, 5][1:3]', [2, 3]],
  ['[1, 2, 3, 4, 5][::2]', [1, 3, 5]],
  ['[1, 2, 3, 4, 5][3:]', [4, 5]],
  ['"hello"[1:4]', 'ell'],
  ['"héllo"[1]', 'é'],
  ['{a: {b: [1, 2, 3]}}.a.b[2]', 3],
  ['{a: 1}["a"]', 1],
  ['if 1 > 2 then "y"', null],
  ['if 1 < 2 then "y" else "n"', 'y'],
  ['[1 + 2 * 3, (1 + 2) * 3, 10 / 4, 7 % 3, -7 % 3, 2 - -1]', [7, 9, 2.5, 1, -1, 3]],
  ['[1 << 3, 256 >> 2, 5 & 3, 5 | 3, 5 ^ 3, ~5, !true]', [8, 64, 1, 7, 6, -6, false]],
  [
    '["a" + 1, 1 + "a", "a" + null, "a" + [1], "x" + {a: 1}, [1] + [2], "a" + true]',
    ['a1', '1a', 'anull', 'a[1]', 'x{"a": 1}', [1, 2], 'atrue'],
  ],
  [
    '[1 < 2, "a" < "b", [1, 2] < [1, 3], [1] < [1, 0], "abc" >= "abd", 2 <= 2]',
    [true, true, true, true, false, true],
  ],
  [
    '[1 == 1, "a" == "a", [1, {a: 1}] == [1, {a: 1}], {a: 1, b:: 2} == {a: 1}, 1 == "1", null == null, {a: 1} != {a: 2}]',
    [true, true, true, true, false, true, true],
  ],
  ['[true && false, true || error "no", false && error "no"]', [false, true, false]],
  ['"%s is %d years" % ["Bob", 42]', 'Bob is 42 years'],
  ['"%(name)s: %(n)03d" % {name: "x", n: 7}', 'x: 007'],
  [
    '"%d|%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o" % [3.7, -42, 7, -42, 5, 5, 255, 255, 255, 8, 8]',
    '3|  -42|7    |-0042|+5| 5|ff|FF|0xff|10|010',
  ],
  [
    '"%f|%10.3f|%-10.1f|%e|%.3E|%g|%g|%g|%G|%#g" % [3.14159, -1.5, 2.25, 12345.678, 0.00012, 0.0001, 1e-5, 123456789, 1e20, 1.5]',
    '3.141590|    -1.500|2.3       |1.234568e+04|1.200E-04|0.0001|1e-05|1.23457e+08|1E+20|1.50000',
  ],
  ['"%s %s %c %c %%" % ["a", [1], 65, "z"]', 'a [1] A z %'],
  ['"%*d|%.*f" % [5, 3, 2, 3.14159]', '    3|3.14'],
  ['"%5s|%-5s|%.2s" % ["ab", "ab", "abcdef"]', '   ab|ab   |abcdef'],
  ['"%s" % null', 'null'],
  ['local arr = [error "no", 2]; arr[1]', 2],
  ['local f = function(x) function(y) x + y; f(1)(2)', 3],
  ['local add(a, b) = a + b; add(b = 2, a = 1)', 3],
  ['local f(x, y = x * 2) = [x, y]; f(3)', [3, 6]],
  ['assert 1 == 1 : "no"; "ok"', 'ok'],
  ['{a: 1, assert self.a == 1 : "bad"}', { a: 1 }],
  ['local o = {a: 1, b: self.a}; [o.b, (o + {a: 5}).b]', [1, 5]],
  ['{a: {x: 1}, b: self.a {y: 2}}', { a: { x: 1 }, b: { x: 1, y: 2 } }],
  ['local x = {f(n): n * 2}; x.f(4)', 8],
  ['{f(n):: n * 2, g: self.f(3)}', { g: 6 }],
  ['{a: 1, b: 2} + {c: self.a + self.b}', { a: 1, b: 2, c: 3 }],
  [
    'local Person = {name: "x", greet: "hi " + self.name}; Person {name: "bob"}',
    { greet: 'hi bob', name: 'bob' },
  ],
  ['[{}, [], {a: []}]', [{}, [], { a: [] }]],
  ['1.5e2 + 0.25', 150.25],
  ['[0.1 + 0.2, 1 / 3, 1e21, 123456789.125]', [0.30000000000000004, 0.3333333333333333, 1e21, 123456789.125]],
  ['"abc" < "abd" && "Z" < "a"', true],
  ['local f(x) = if x <= 0 then 0 else x + f(x - 1); f(100)', 5050],
  ['{[k]: 1 for k in []}', {}],
  ['local x = 5; local f(y) = x + y; local x = 100; f(1)', 6],
  ['{a: 1, b: {a: 2, c: self.a, d: $.a}}', { a: 1, b: { a: 2, c: 2, d: 1 } }],
  [
    'local base = {greeting: "hi", msg: self.greeting + "!"}; base {greeting: "yo"}',
    { greeting: 'yo', msg: 'yo!' },
  ],
  ['{a: 1} + {a: super.a + 1} + {a: super.a * 10}', { a: 20 }],
  ['local o = {x: 1, y:: 2}; [std.objectFields(o), o.y, "y" in o]', [['x'], 2, true]],
  ['"%.3f %.0f %.1f" % [0.0005, 0.5, -0.05]', '0.001 1 -0.1'],
  ['"%10s|%-10s|" % ["right", "left"]', '     right|left      |'],
  ['[1, [2, [3]]] == [1, [2, [3]]]', true],
  ['{a: 1} == {a: 1, b:: error "never"}', true],
  ['[if false then 1, if true then 2]', [null, 2]],
  ['local s = "x"; s[0] + s', 'xx'],
  ['{"a b": 1, "c-d": {"e.f": 2}}', { 'a b': 1, 'c-d': { 'e.f': 2 } }],
  ['{ local a = 1, local b = a + 1, c: b }', { c: 2 }],
  ['local f(x) = { v: x, w: self.v + 1 }; [f(1).w, f(2) { v: 10 }.w]', [2, 11]],
  ['local x = { a: { b: { c: 1 } } }; x.a.b.c + x["a"]["b"]["c"]', 2],
  [
    'local A = {x: 1, y: self.x + 1}; local B = A {x: 10}; local C = B {y: super.y * 2}; [A.y, B.y, C.y, C.x]',
    [2, 11, 22, 10],
  ],
  ['{a: {b: 1}} + {a+: {c: super.b}}', { a: { b: 1, c: 1 } }],
  ['{a: 1, b: {c: 2}} + {b+: {d: self.c}}', { a: 1, b: { c: 2, d: 2 } }],
  ['local o = {a: 1, f(x): x + self.a}; [o.f(1), (o {a: 10}).f(1)]', [2, 11]],
  ['{x: {y: $.z}, z: 1} + {z: 2}', { x: { y: 2 }, z: 2 }],
  [
    'local base = {name: "b", hello: "I am " + self.name}; local derived = base {name: "d", hello: super.hello + "!"}; derived.hello',
    'I am d!',
  ],
  ['{a: 1} + {["a"]+: 2}', { a: 3 }],
  ['{a:: 1} + {a+: 2}', {}],
  ['{a:: 1} + {a+::: 2}', { a: 3 }],
  ['local f(x) = {[x]: x}; f("k")', { k: 'k' }],
  ['{local x = self.y, y: 1, z: x}', { y: 1, z: 1 }],
  ['local x = 1; {x: x, local x = 2, y: x}', { x: 2, y: 2 }],
  ['[x + y for x in [1, 2] for y in [x * 10]]', [11, 22]],
  ['{[k]: v for k in ["a"] for v in [1]}', { a: 1 }],
  ['{[k + "1"]: self.b for k in ["a"]} + {b: 5}', { a1: 5, b: 5 }],
  ['local o = {assert self.x > 0 : "x must be positive", x: 1}; (o + {x: 2}).x', 2],
  ['local arr = [1, 2, 3]; arr[1:] + arr[:1]', [2, 3, 1]],
  ['"%s" % "x"', 'x'],
  ['"%d%%" % 50', '50%'],
  ['"%(a)d %(b)s" % {a: 1, b: [2]}', '1 [2]'],
  ['"%#o %#X %x" % [8, 255, -255]', '010 0XFF -ff'],
  ['"%c%c" % [104, "i"]', 'hi'],
  ['"%.3s" % "abcdef"', 'abcdef'],
  ['"%10.4f|" % 3.14159265', '    3.1416|'],
  ['"%e" % 0', '0.000000e+00'],
  ['"%g" % 0.00001234', '1.234e-05'],
  ['"%g|%g|%g" % [1e-10, 123456, 1234567]', '1e-10|123456|1.23457e+06'],
  ['"%.2g" % 0.000123', '0'],
  ['local x = {a: [1]}; x == {a: [1]} && x != {a: [2]}', true],
  ['[{} == {}, [] == [], [{}] == [{}], "a" == "a", 1 == 1.0]', [true, true, true, true, true]],
  ['local o = {a: 1} + {a::: 2} + {a: 3}; [std.objectFields(o), o.a]', [['a'], 3]],
  ['local o = {a:: 1} + {a: 2}; std.objectFields(o)', []],
  ['local o = {a:: 1} + {a::: 2} + {a:: 3}; std.objectFields(o)', []],
  ['[1, 2, 3][1:2:1]', [2]],
  ['"abcdef"[::2]', 'ace'],
  ['local fib(n) = if n < 2 then n else fib(n - 1) + fib(n - 2); fib(15)', 610],
  [
    'local f = function(a, b = a + 1, c = b * 2) [a, b, c]; [f(1), f(1, c = 0), f(a = 2)]',
    [
      [1, 2, 4],
      [1, 2, 0],
      [2, 3, 6],
    ],
  ],
  ['local f(x) = function(y = x) y; f(5)()', 5],
  ['{f: function(x) x * 2}.f(3)', 6],
  ['local o = {a: 1, g: function() self.a}; o.g()', 1],
  ['local o = {a: 1, g(): self.a}; (o + {a: 5}).g()', 5],
  ['(function(x) x + 1)(2)', 3],
  ['local x = "outer"; local f() = x; local x = "inner"; f()', 'outer'],
  ['[-1 % 5, 5 % -3, 5.5 % 2, -5.5 % 2]', [-1, 2, 1.5, -1.5]],
  ['{"a": 1, \'b\': 2, @"c": 3}["c"]', 3],
  ['local a = {x: 1}; a.x + a["x"]', 2],
  ['[if true then 1 else 2, if false then 1 else if true then 3 else 4]', [1, 3]],
  ['local o = {k:: "hidden"}; o.k', 'hidden'],
  ['{a: "a" in {a: 1}, b: "b" in {b:: 1}, c: "c" in {}}', { a: true, b: true, c: false }],
  ['~0', -1],
  ['[1 << 62, 1 >> 1, -8 >> 1, 7 ^ 2, 6 & 3 | 8]', [4611686018427388000, 0, -4, 5, 10]],
  ['[1 + 1 == 2 && !false, 2 * 3 + 4 * 5, 10 - 2 - 3, 2 * 3 % 4, 100 / 10 / 5]', [true, 26, 5, 2, 2]],
  ['"a" + 1 + 2', 'a12'],
  ['1 + 2 + "a"', '3a'],
  ['[null + "x", "x" + null]', ['nullx', 'xnull']],
  ['[[1] + [], {} + {}]', [[1], {}]],
  ['{a: [x for x in [1, 2, 3]][1]}', { a: 2 }],
  ['{a:-1, b::-2, c: 3-1, d: 1==-1}', { a: -1, c: 2, d: false }],
  ['local x = 3; x*-1', -3],
  ['"a#b//c/*d*/"', 'a#b//c/*d*/'],
  ['/* a * b ** / */ 1', 1],
  ['{"\\/": "\\/"}', { '/': '/' }],
  ['{ a: 1, } + { b: 2, }', { a: 1, b: 2 }],
  ['[1, 2, 3,]', [1, 2, 3]],
  ['local f(a, b,) = a + b; f(1, 2,)', 3],
  ['local o = {x: 1, y: {z: $.x}}; (o + {x: 2}).y.z', 2],
  ['local o = {x: 1, local s = self, y: {z: s.x}}; (o + {x: 3}).y.z', 3],
  ['{a: 1, b: self.a} + {local sup = super.b, c: sup}', { a: 1, b: 1, c: 1 }],
  ['local o1 = {a: 1}; local o2 = {a: 2, b: super.a}; (o1 + o2).b', 1],
  ['{a: 1} + {a: super.a + 1} + {} + {a: super.a + 1}', { a: 3 }],
  ['local Base = {f(x):: x, g:: self.f(2)}; Base {f(x):: x * 100}.g', 200],
  ['[x for x in [1, 2, 3] if x > 1 if x < 3]', [2]],
  ['[[x, y] for x in [1, 2] if x > 1 for y in [3]]', [[2, 3]]],
  ['{[x]: [y for y in [1, 2] if y != std.parseInt(x)] for x in ["1", "2"]}', { '1': [2], '2': [1] }],
  ['local arr = [function(x) x * 2, function(x) x + 1]; [f(10) for f in arr]', [20, 11]],
  ['{ [std.toString(i)]: i for i in std.range(1, 3) }', { '1': 1, '2': 2, '3': 3 }],
  ['local x = {a: 1}; x {b: self.a + 1}', { a: 1, b: 2 }],
  ['{a: {b: 1}} {a+: {c: 2}}', { a: { b: 1, c: 2 } }],
  ['local f(o) = o {x+: 1}; f({x: 1})', { x: 2 }],
  ['local t = true; if t then "y" else error "never"', 'y'],
  ['local a = [1, 2]; a + a + a', [1, 2, 1, 2, 1, 2]],
  ['local x = {y: 1}; "y" in x && !("z" in x)', true],
  ["local a = 'x'; {[a]: 1, [a + 'y']: 2}", { x: 1, xy: 2 }],
  ['{k: if false then 1}', { k: null }],
  ['[null == false, 0 == false, "" == null]', [false, false, false]],
  ['local arr = std.range(1, 5); [arr[i] * 2 for i in std.range(0, std.length(arr) - 1)]', [2, 4, 6, 8, 10]],
  ['local f = function(n) if n <= 1 then 1 else n * f(n - 1); f(10)', 3628800],
  ['local o = {a: 1, b: {c: 2, d: {e: 3}}}; [o.b.d.e, o["b"]["d"]["e"]]', [3, 3]],
  ['"%s %s" % [true, null]', 'true null'],
  ['"%5d|%-5d|%05.1f" % [-3, -3, -2.5]', '   -3|-3   |-02.5'],
  ['"%3c|" % "x"', '  x|'],
  ['"%x" % 3.9', '3'],
  ['"%d" % -0.5', '0'],
  ['"%.1f %.1f" % [0.25, 0.35]', '0.3 0.4'],
  ['std.length(std.filter(function(x) x, [true, false, true]))', 2],
];

const jsonnet = new Jsonnet();
const run = (src: string, vars: Record<string, unknown> = {}) =>
  jsonnet.compile(src, 'test.jsonnet').evaluate(vars);

describe('Jsonnet language', () => {
  it.each(CASES)('%s', (src, expected) => {
    expect(run(src)).toEqual({ ok: true, value: expected });
  });

  it('reads text blocks, chomping the last new line with |||-', () => {
    expect(run('|||-\n  chomped\n  twice\n|||')).toEqual({ ok: true, value: 'chomped\ntwice' });
    expect(run('{ a: |||\n    x\n\n      y\n  |||, b: 1 }')).toEqual({
      ok: true,
      value: { a: 'x\n\n  y\n', b: 1 },
    });
  });

  it('is lazy: unused fields, elements and arguments that fail do not fail the program', () => {
    expect(run('{ a: 1, b:: error "hidden" }')).toEqual({ ok: true, value: { a: 1 } });
    expect(run('local o = { bad: error "x", good: 2 }; o.good')).toEqual({ ok: true, value: 2 });
    expect(run('local f(x, y) = x; f(1, error "unused")')).toEqual({ ok: true, value: 1 });
    expect(run('std.length([error "a", error "b"])')).toEqual({ ok: true, value: 2 });
  });

  it('evaluates a used failing field as an error at its location', () => {
    const r = run('{\n  a: 1,\n  b: error "boom",\n}');
    expect(r).toEqual({
      ok: false,
      error: { kind: 'runtime', message: 'test.jsonnet:3:6: boom', raised: 'boom' },
    });
  });

  it('renders numbers as JSON numbers and converts them to strings in shortest form', () => {
    expect(run('["" + 0.5, "" + 10, std.toString(1e21), "" + -0.25]')).toEqual({
      ok: true,
      value: ['0.5', '10', '1000000000000000000000', '-0.25'],
    });
  });

  it('orders output fields by code point and keeps JSON-special names', () => {
    const r = run('{ b: 1, a: 2, "__proto__": 3, "é": 4, Z: 5 }');
    expect(r.ok && Object.keys(r.value as object)).toEqual(['Z', '__proto__', 'a', 'b', 'é']);
    expect(r.ok && Object.getPrototypeOf(r.value)).toBe(Object.prototype);
  });

  it('refuses runtime type errors with a located message', () => {
    expect(run('1 + true')).toMatchObject({
      ok: false,
      error: { kind: 'runtime', message: expect.stringMatching(/^test\.jsonnet:1:3: binary operator \+/) },
    });
    expect(run('if 1 then 2')).toMatchObject({ ok: false, error: { kind: 'runtime' } });
    expect(run('[1][1]')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('out of bounds') },
    });
    expect(run('{ a: 1 }.b')).toMatchObject({
      ok: false,
      error: { message: 'test.jsonnet:1:9: field does not exist: b' },
    });
    expect(run('{ a: 1, a: 2 }')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('duplicate field') },
    });
    expect(run('1 == function() 1')).toMatchObject({ ok: false, error: { kind: 'runtime' } });
    expect(run('local f(a) = a; f(1, 2)')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('too many arguments') },
    });
    expect(run('local f(a) = a; f(b = 1)')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('no parameter b') },
    });
    expect(run('local f(a) = a; f()')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('parameter a not bound') },
    });
    expect(run('[1, 2][-1:]')).toMatchObject({ ok: false, error: { kind: 'runtime' } });
  });

  it('fails object assertions when the object is used, with the assertion message', () => {
    expect(run('{ a: 1, assert self.a == 2 : "a must be 2" }')).toEqual({
      ok: false,
      error: { kind: 'runtime', message: 'test.jsonnet:1:9: a must be 2' },
    });
    expect(run('local o = { assert false }; 1')).toEqual({ ok: true, value: 1 });
    expect(run('assert 1 > 2; 3')).toMatchObject({
      ok: false,
      error: { message: 'test.jsonnet:1:1: assertion failed' },
    });
  });

  it('names where in the output a function was found', () => {
    expect(run('{ a: [1, { f: function(x) x }] }')).toEqual({
      ok: false,
      error: {
        kind: 'runtime',
        message: 'test.jsonnet:1:1 (output ["a"][1]["f"]): couldn\'t manifest function as JSON',
      },
    });
  });

  it.each([
    ['local o = { assert self.x > 0 : "x must be positive", x: 1 }; (o + { x: -2 }).x', 'x must be positive'],
    ['[1e300 * 1e300]', 'overflow'],
    ['std.pow(-8, 1 / 3)', 'not a number'],
    ['1 & 3 == 1', 'binary operator &'],
    ['std.extVar', 'parameter x not bound'],
  ])('fails %s', (src, message) => {
    expect(run(src)).toMatchObject({
      ok: false,
      error: { kind: 'runtime', message: expect.stringContaining(message) },
    });
  });

  it('manifests no functions', () => {
    expect(run('{ f: function(x) x }')).toMatchObject({
      ok: false,
      error: { kind: 'runtime', message: expect.stringContaining('function') },
    });
  });
});
