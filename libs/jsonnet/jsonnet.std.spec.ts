import { describe, expect, it } from 'vitest';
import { Jsonnet } from './jsonnet.js';

// Expected values are what the reference Jsonnet implementation prints for each program.
const CASES: [string, unknown][] = [
  [
    '[std.length("héllo😀"), std.length([1,2]), std.length({a:1, b::2}), std.length(function(a, b) 1)]',
    [6, 2, 1, 2],
  ],
  ['std.type([null, true, 1, "s", [], {}, function() 1])', 'array'],
  [
    '[std.type(x) for x in [null, true, 1, "s", [], {}]]',
    ['null', 'boolean', 'number', 'string', 'array', 'object'],
  ],
  [
    '[std.isString("a"), std.isNumber(1), std.isBoolean(false), std.isObject({}), std.isArray([]), std.isFunction(std.map)]',
    [true, true, true, true, true, true],
  ],
  ['std.objectFields({b: 1, a: 2, c:: 3})', ['a', 'b']],
  ['std.objectFieldsAll({b: 1, a: 2, c:: 3})', ['a', 'b', 'c']],
  [
    '[std.objectHas({a:: 1}, "a"), std.objectHasAll({a:: 1}, "a"), std.objectHas({a: 1}, "b")]',
    [false, true, false],
  ],
  ['std.objectValues({b: 1, a: 2, c:: 3})', [2, 1]],
  [
    'std.objectKeysValues({b: 1, a: 2})',
    [
      { key: 'a', value: 2 },
      { key: 'b', value: 1 },
    ],
  ],
  [
    '[std.get({a: 1}, "a"), std.get({a: 1}, "b"), std.get({a: 1}, "b", 5), std.get({a:: 1}, "a", 0, false)]',
    [1, null, 5, 0],
  ],
  [
    'std.mergePatch({a: 1, b: {c: 2, d: 3}}, {b: {c: null, e: 4}, f: 5, a: null})',
    { b: { d: 3, e: 4 }, f: 5 },
  ],
  ['std.mergePatch([1], {a: 1})', { a: 1 }],
  [
    'std.prune({a: null, b: [], c: {}, d: [null, {}, 1], e: {f: null, g: 0}, h: ""})',
    { d: [1], e: { g: 0 }, h: '' },
  ],
  [
    '[std.toString(1), std.toString("a"), std.toString([1, "b"]), std.toString({a: {}}), std.toString(null)]',
    ['1', 'a', '[1, "b"]', '{"a": { }}', 'null'],
  ],
  ['std.parseJson(\'{"a": [1, 2.5, "x", null, true]}\')', { a: [1, 2.5, 'x', null, true] }],
  [
    '[std.parseInt("123"), std.parseInt("-42"), std.parseHex("ff"), std.parseOctal("17")]',
    [123, -42, 255, 15],
  ],
  [
    'std.manifestJson({a: [1, {b: null}], c: "x"})',
    '{\n    "a": [\n        1,\n        {\n            "b": null\n        }\n    ],\n    "c": "x"\n}',
  ],
  ['std.manifestJsonEx({a: [1, 2], b: {}}, "  ")', '{\n  "a": [\n    1,\n    2\n  ],\n  "b": {\n\n  }\n}'],
  ['std.manifestJsonEx({a: [1, 2]}, "", " ", " = ")', '{ "a" = [ 1, 2 ] }'],
  ['std.manifestJsonMinified({a: [1, 2], b: {c: "d"}})', '{"a":[1,2],"b":{"c":"d"}}'],
  ["std.escapeStringJson('a\"b\\\\c\\nd\\u0001')", '"a\\"b\\\\c\\nd\\u0001"'],
  ['std.format("%s-%s", ["a", "b"])', 'a-b'],
  [
    '[std.startsWith("hello", "he"), std.endsWith("hello", "lo"), std.startsWith("a", "abc")]',
    [true, true, false],
  ],
  ['[std.substr("hello", 1, 3), std.substr("héllo", 0, 2), std.substr("abc", 2, 10)]', ['ell', 'hé', 'c']],
  [
    '[std.split("a,b,,c", ","), std.split("a::b", "::"), std.splitLimit("a,b,c", ",", 1), std.splitLimitR("a,b,c", ",", 1)]',
    [
      ['a', 'b', '', 'c'],
      ['a', 'b'],
      ['a', 'b,c'],
      ['a,b', 'c'],
    ],
  ],
  [
    '[std.join(",", ["a", "b", null, "c"]), std.join([0], [[1], [2, 3]]), std.join("", [])]',
    ['a,b,c', [1, 0, 2, 3], ''],
  ],
  ['std.strReplace("a.b.c", ".", "::")', 'a::b::c'],
  ['[std.asciiLower("HeLLo É"), std.asciiUpper("hello é")]', ['hello É', 'HELLO é']],
  [
    '[std.stringChars("héy"), std.codepoint("é"), std.char(233), std.char(128512)]',
    [['h', 'é', 'y'], 233, 'é', '😀'],
  ],
  [
    '[std.findSubstr("a", "banana"), std.findSubstr("ana", "banana"), std.findSubstr("", "x")]',
    [[1, 3, 5], [1, 3], []],
  ],
  [
    '[std.map(function(x) x * x, [1, 2, 3]), std.mapWithIndex(function(i, x) i + x, [10, 20])]',
    [
      [1, 4, 9],
      [10, 21],
    ],
  ],
  [
    '[std.filter(function(x) x % 2 == 0, [1, 2, 3, 4]), std.filterMap(function(x) x > 1, function(x) x * 10, [1, 2, 3])]',
    [
      [2, 4],
      [20, 30],
    ],
  ],
  ['[std.flatMap(function(x) [x, x], [1, 2]), std.flatMap(function(c) c + c, "ab")]', [[1, 1, 2, 2], 'aabb']],
  [
    '[std.foldl(function(acc, x) acc + x, [1, 2, 3], 0), std.foldr(function(x, acc) acc + [x], [1, 2, 3], []), std.foldl(function(a, x) a + [x], [1, 2, 3], [])]',
    [6, [3, 2, 1], [1, 2, 3]],
  ],
  [
    '[std.range(1, 5), std.range(3, 1), std.makeArray(3, function(i) i * 2)]',
    [[1, 2, 3, 4, 5], [], [0, 2, 4]],
  ],
  ['[std.repeat("ab", 3), std.repeat([1], 2), std.reverse([1, 2, 3])]', ['ababab', [1, 1], [3, 2, 1]]],
  [
    '[std.sort([3, 1, 2]), std.sort(["b", "a"]), std.sort([{n: 2}, {n: 1}], function(o) o.n), std.uniq([1, 1, 2, 1]), std.set([3, 1, 1, 2])]',
    [
      [1, 2, 3],
      ['a', 'b'],
      [{ n: 1 }, { n: 2 }],
      [1, 2, 1],
      [1, 2, 3],
    ],
  ],
  [
    '[std.setMember(2, [1, 2, 3]), std.setUnion([1, 3], [2, 3]), std.setInter([1, 2, 3], [2, 3, 4]), std.setDiff([1, 2, 3], [2])]',
    [true, [1, 2, 3], [2, 3], [1, 3]],
  ],
  [
    '[std.flattenArrays([[1], [2, 3], []]), std.all([true, true]), std.any([false, true]), std.all([]), std.any([])]',
    [[1, 2, 3], true, true, true, false],
  ],
  [
    '[std.base64("hello"), std.base64([104, 105]), std.base64Decode("aGVsbG8="), std.base64Decode("aGk=")]',
    ['aGVsbG8=', 'aGk=', 'hello', 'hi'],
  ],
  ['[std.encodeUTF8("hé"), std.decodeUTF8([104, 195, 169])]', [[104, 195, 169], 'hé']],
  ['std.assertEqual(1, 1)', true],
  ['std.lines(["a", "b"])', 'a\nb\n'],
  ['std.deepJoin(["a", ["b", ["c"]], "d"])', 'abcd'],
  ['[x for x in std.range(1, 10) if x % 3 == 0]', [3, 6, 9]],
  ['std.objectFields({} + {a: 1})', ['a']],
  ['[std.sort(["é", "z", "a", "😀"])]', [['a', 'z', 'é', '😀']]],
  ['std.strReplace("aaa", "a", "bb")', 'bbbbbb'],
  ['std.objectFieldsAll(std.mergePatch({a::1, b: 2}, {}))', ['b']],
  ['[std.length(std.range(0, 99)), std.sum(std.range(1, 100))]', [100, 5050]],
  ['std.format("%(a)s %(a)s", {a: "x"})', 'x x'],
  ['std.sort([[2, 1], [1, 2], [1]])', [[1], [1, 2], [2, 1]]],
  [
    '[std.sort([3, 1, 2], function(x) -x), std.uniq(["a", "A", "b"], std.asciiLower), std.set(["b", "a", "b"])]',
    [
      [3, 2, 1],
      ['a', 'b'],
      ['a', 'b'],
    ],
  ],
  ['std.objectFields({b: 1} + {a: 2, b:: 3})', ['a']],
  ['std.manifestJsonEx([], "  ")', '[\n\n]'],
  ['[std.length("") , std.length([]), std.length({})]', [0, 0, 0]],
  ['std.filter(function(c) c != "-", std.stringChars("a-b-c"))', ['a', 'b', 'c']],
  ['std.join("", std.reverse(std.stringChars("abc")))', 'cba'],
  [
    '[std.abs(-0.5), std.floor(-1.5), std.ceil(-1.5), std.pow(2, 0.5), 2e-3, 1.5e-8]',
    [0.5, -2, -1, 1.4142135623730951, 0.002, 1.5e-8],
  ],
  ['std.objectFieldsAll({a:: 1} + {a+: 2})', ['a']],
  ['std.format("%-5s|%5.1f|%+.2e", ["ab", 3.14159, 12345])', 'ab   |  3.1|+1.23e+04'],
  ['std.parseJson(\'[1e2, -0.5, {"a": {"b": []}}]\')', [100, -0.5, { a: { b: [] } }]],
  ['[std.objectHas(std, "map"), std.objectHasAll(std, "map"), std.isFunction(std.map)]', [false, true, true]],
  ['std.length(std.objectFieldsAll({a: 1, b:: 2, c::: 3}))', 3],
  ['[std.substr("abc", 1, 1), std.substr("abc", 5, 1)]', ['b', '']],
  ['std.splitLimit("a,b,c,d", ",", 2)', ['a', 'b', 'c,d']],
  ['std.join(", ", ["a", "b"])', 'a, b'],
  ['std.map(function(x) x, "abc")', ['a', 'b', 'c']],
  ['std.filter(function(x) x > "a", ["a", "b"])', ['b']],
  ['[std.type(std.extVar) , std.length(std.extVar)]', ['function', 1]],
  ['std.sort(["b", "B", "a", "A", "_", "1"])', ['1', 'A', 'B', '_', 'a', 'b']],
  ['std.set([[2], [1], [2]])', [[1], [2]]],
  ['std.uniq([{a: 1}, {a: 1}, {a: 2}])', [{ a: 1 }, { a: 2 }]],
  ['std.setUnion([{n: 1}], [{n: 0}], function(x) x.n)', [{ n: 0 }, { n: 1 }]],
  [
    'std.manifestJsonEx({a: {b: [1, {c: [ ]}]}, d: "e\\n"}, "\\t")',
    '{\n\t"a": {\n\t\t"b": [\n\t\t\t1,\n\t\t\t{\n\t\t\t\t"c": [\n\n\t\t\t\t]\n\t\t\t}\n\t\t]\n\t},\n\t"d": "e\\n"\n}',
  ],
  [
    'std.manifestJsonEx({a: 1.5, b: -3, c: 1e10, d: true}, "  ", "\\n", ": ")',
    '{\n  "a": 1.5,\n  "b": -3,\n  "c": 10000000000,\n  "d": true\n}',
  ],
  [
    '[std.toString(1e10), std.toString(-3), std.toString(123.456), std.toString(1.5e-3)]',
    ['10000000000', '-3', '123.456', '0.0015'],
  ],
  ['std.escapeStringJson("\\u2028 é 😀 \\u007f")', '"  é 😀 \\u007f"'],
  ['[std.codepoint("😀"), std.length("😀"), std.stringChars("a😀b")]', [128512, 1, ['a', '😀', 'b']]],
  ['std.asciiUpper("straße")', 'STRAßE'],
  ['std.strReplace("aXbXc", "X", "")', 'abc'],
  ['std.lines(["a", null, "b"])', 'a\nb\n'],
  ['std.foldl(function(a, b) a + b, "abc", "")', 'abc'],
  ['std.flattenArrays([[1, [2]], [3]])', [1, [2], 3]],
  ['std.range(-2, 2)', [-2, -1, 0, 1, 2]],
  ['std.repeat([], 5)', []],
  ['std.makeArray(0, function(i) i)', []],
  ['std.reverse("abc" + "")', ['c', 'b', 'a']],
  ['[std.isNumber(std.count([], 1)), std.all([true, false]), std.any([true, false])]', [true, false, true]],
  ['std.prune([null, [null, []], {a: {b: null}}, 0, false, ""])', [0, false, '']],
  ['std.mergePatch({a: {b: 1}}, {a: "x"})', { a: 'x' }],
  ['std.mergePatch({a: 1}, null)', null],
  ['std.mergePatch({a: 1}, {a: {b: null, c: 1}})', { a: { c: 1 } }],
  ['std.get({a:: 1}, "a")', 1],
  ['std.objectValues({a: {b: 1}, c:: 2})', [{ b: 1 }]],
];

// Functions of newer Jsonnet releases (0.20/0.21), checked against their documentation.
const NEWER: [string, unknown][] = [
  ['[std.trim("  a b \\n"), std.trim("\\t\\u00a0x\\u0085")]', ['a b', 'x']],
  ['[std.contains([1, 2], 2), std.contains([1], 3)]', [true, false]],
  ['[std.member([1, 2], 2), std.member("abc", "b"), std.count([1, 2, 1], 1)]', [true, true, 2]],
  ['[std.avg([1, 2, 3, 4]), std.minArray([3, 1, 2]), std.maxArray(["a", "c", "b"])]', [2.5, 1, 'c']],
  ['[std.round(2.5), std.round(-2.5), std.round(1.4)]', [3, -2, 1]],
  [
    '[std.md5("hello"), std.sha1("hello"), std.sha256("hello")]',
    [
      '5d41402abc4b2a76b9719d911017c592',
      'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d',
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    ],
  ],
  [
    '[std.isEmpty(""), std.isEmpty("a"), std.equalsIgnoreCase("AbC", "aBc"), std.equalsIgnoreCase("a", "b")]',
    [true, false, true, false],
  ],
  [
    '[std.xor(true, false), std.xnor(true, false), std.isEven(4), std.isOdd(3), std.isInteger(1.5)]',
    [true, false, true, true, false],
  ],
  ['std.objectKeysValuesAll({ a:: 1 })', [{ key: 'a', value: 1 }]],
  ['std.objectRemoveKey({ a: 1, b: 2 }, "a")', { b: 2 }],
  ['std.mapWithKey(function(k, v) k + v, { a: "1", b: "2" })', { a: 'a1', b: 'b2' }],
  ['std.base64DecodeBytes("aGk=")', [104, 105]],
  [
    '[std.find(2, [1, 2, 3, 2]), std.remove([1, 2, 1], 1), std.removeAt([1, 2, 3], 1)]',
    [
      [1, 3],
      [2, 1],
      [1, 3],
    ],
  ],
  ['std.slice("abcdef", 1, 5, 2)', 'bd'],
  ['std.thisFile', 'test.jsonnet'],
  ['std.lines([])', ''],
  ['std.deepJoin([])', ''],
  ['std.splitLimit("a.b.c", ".", -1)', ['a', 'b', 'c']],
];

const jsonnet = new Jsonnet();
const run = (src: string, vars: Record<string, unknown> = {}) =>
  jsonnet.compile(src, 'test.jsonnet').evaluate(vars);

describe('Jsonnet std', () => {
  it.each(CASES)('%s', (src, expected) => {
    expect(run(src)).toEqual({ ok: true, value: expected });
  });

  it.each(NEWER)('%s', (src, expected) => {
    expect(run(src)).toEqual({ ok: true, value: expected });
  });

  it('passes std.trace through and fails std.assertEqual with both values', () => {
    expect(run('std.trace("note", [1])')).toEqual({ ok: true, value: [1] });
    expect(run('std.assertEqual({ a: 1 }, { a: 2 })')).toMatchObject({
      ok: false,
      error: { kind: 'runtime', message: expect.stringContaining('{"a": 1} != {"a": 2}') },
    });
  });

  it('names an unknown std member', () => {
    expect(run('std.noSuchThing(1)')).toEqual({
      ok: false,
      error: { kind: 'runtime', message: 'test.jsonnet:1:4: field does not exist: noSuchThing' },
    });
  });

  it('reads ext vars as JSON values and refuses unknown ones', () => {
    expect(run('std.extVar("x").a[1]', { x: { a: [1, 'two'] } })).toEqual({ ok: true, value: 'two' });
    expect(run('std.extVar("missing")')).toEqual({
      ok: false,
      error: { kind: 'runtime', message: 'test.jsonnet:1:11: undefined external variable: missing' },
    });
  });

  it('refuses bad arguments with a runtime error', () => {
    for (const src of [
      'std.length(1)',
      'std.substr("a", -1, 1)',
      'std.parseInt("12a")',
      'std.parseJson("{")',
      'std.base64Decode("a")',
      'std.codepoint("ab")',
      'std.split("a", "")',
      'std.format("%d", "x")',
      'std.format("%s %s", ["a"])',
      'std.format("%s", ["a", "b"])',
      'std.format("%q", 1)',
      'std.sort([1, "a"])',
      'std.map(1, [1])',
      'std.avg([])',
    ]) {
      expect(run(src), src).toMatchObject({ ok: false, error: { kind: 'runtime' } });
    }
  });
});
