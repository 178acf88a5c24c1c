import type { Evaluator } from '../evaluator.js';
import { runtimeError } from '../failure.js';
import { codePoints } from '../strings.js';
import { JArray, arrayOf, cpLength, typeOf, type Value } from '../values.js';
import { arr, int, str, values, type StdTable } from './args.js';

const WHITESPACE = ' \t\n\f\r\u0085\u00a0';

function strip(s: string, chars: string, left: boolean, right: boolean): string {
  const cs = codePoints(s);
  const set = new Set(codePoints(chars));
  let b = 0;
  let e = cs.length;
  if (left) while (b < e && set.has(cs[b]!)) b++;
  if (right) while (e > b && set.has(cs[e - 1]!)) e--;
  return cs.slice(b, e).join('');
}

function splitLimit(ev: Evaluator, s: string, sep: string, max: number, fromRight: boolean): JArray {
  if (sep === '') throw runtimeError('std.split separator must not be empty');
  const parts = s.split(sep);
  ev.tick(parts.length);
  if (max < 0 || parts.length <= max + 1) return arrayOf(parts);
  if (fromRight) {
    const keep = parts.length - max;
    return arrayOf([parts.slice(0, keep).join(sep), ...parts.slice(keep)]);
  }
  return arrayOf([...parts.slice(0, max), parts.slice(max).join(sep)]);
}

/** `std.join(sep, arr)`: strings or arrays; null elements are skipped. */
export function join(ev: Evaluator, sep: Value, a: JArray): Value {
  const items = values(ev, a).filter((v) => v !== null);
  if (typeof sep === 'string') {
    let total = sep.length * Math.max(0, items.length - 1);
    for (const v of items) {
      if (typeof v !== 'string') throw runtimeError(`std.join expected string elements, got ${typeOf(v)}`);
      total += v.length;
    }
    ev.checkSize(total, 'string length');
    return (items as string[]).join(sep);
  }
  if (sep instanceof JArray) {
    let total = sep.elems.length * Math.max(0, items.length - 1);
    for (const v of items) {
      if (!(v instanceof JArray)) throw runtimeError(`std.join expected array elements, got ${typeOf(v)}`);
      total += v.elems.length;
    }
    ev.checkSize(total, 'array length');
    const out = [];
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out.push(...sep.elems);
      out.push(...(items[i] as JArray).elems);
    }
    return new JArray(out);
  }
  throw runtimeError(`std.join expected string or array separator, got ${typeOf(sep)}`);
}

function parseDigits(fn: string, s: string, base: number, pattern: RegExp): number {
  if (!pattern.test(s)) throw runtimeError(`std.${fn}: ${JSON.stringify(s)} is not a base ${base} integer`);
  const neg = s.startsWith('-');
  let n = 0;
  for (const c of neg ? s.slice(1) : s) n = n * base + parseInt(c, base);
  return neg ? -n : n;
}

export const stringFunctions: StdTable = {
  startsWith: { params: ['a', 'b'], fn: ([a, b]) => str('startsWith', a!).startsWith(str('startsWith', b!)) },
  endsWith: { params: ['a', 'b'], fn: ([a, b]) => str('endsWith', a!).endsWith(str('endsWith', b!)) },
  substr: {
    params: ['str', 'from', 'len'],
    fn: ([s, f, l]) => {
      const from = int('substr', f!);
      const len = int('substr', l!);
      if (from < 0 || len < 0) throw runtimeError('std.substr from and len must be non-negative');
      return codePoints(str('substr', s!))
        .slice(from, from + len)
        .join('');
    },
  },
  split: {
    params: ['str', 'c'],
    fn: ([s, c], ev) => splitLimit(ev, str('split', s!), str('split', c!), -1, false),
  },
  splitLimit: {
    params: ['str', 'c', 'maxsplits'],
    fn: ([s, c, m], ev) =>
      splitLimit(ev, str('splitLimit', s!), str('splitLimit', c!), int('splitLimit', m!), false),
  },
  splitLimitR: {
    params: ['str', 'c', 'maxsplits'],
    fn: ([s, c, m], ev) =>
      splitLimit(ev, str('splitLimitR', s!), str('splitLimitR', c!), int('splitLimitR', m!), true),
  },
  join: { params: ['sep', 'arr'], fn: ([sep, a], ev) => join(ev, sep!, arr('join', a!)) },
  lines: {
    params: ['arr'],
    fn: ([a], ev) => {
      const j = join(ev, '\n', arr('lines', a!)) as string;
      return values(ev, arr('lines', a!)).some((v) => v !== null) ? j + '\n' : j;
    },
  },
  deepJoin: {
    params: ['arr'],
    fn: ([a], ev) => {
      const parts: string[] = [];
      let total = 0;
      const walk = (v: Value): void => {
        ev.tick();
        if (typeof v === 'string') {
          total += v.length;
          ev.checkSize(total, 'string length');
          parts.push(v);
        } else if (v instanceof JArray) {
          for (const t of v.elems) walk(ev.force(t));
        } else {
          throw runtimeError(`std.deepJoin expected string or array, got ${typeOf(v)}`);
        }
      };
      walk(a!);
      return parts.join('');
    },
  },
  strReplace: {
    params: ['str', 'from', 'to'],
    fn: ([s, f, t], ev) => {
      const source = str('strReplace', s!);
      const from = str('strReplace', f!);
      const to = str('strReplace', t!);
      if (from === '') throw runtimeError("std.strReplace 'from' must not be empty");
      const parts = source.split(from);
      ev.checkSize(source.length + (parts.length - 1) * (to.length - from.length), 'string length');
      return parts.join(to);
    },
  },
  asciiLower: {
    params: ['str'],
    fn: ([s]) => str('asciiLower', s!).replace(/[A-Z]+/g, (m) => m.toLowerCase()),
  },
  asciiUpper: {
    params: ['str'],
    fn: ([s]) => str('asciiUpper', s!).replace(/[a-z]+/g, (m) => m.toUpperCase()),
  },
  equalsIgnoreCase: {
    params: ['str1', 'str2'],
    fn: ([a, b]) =>
      str('equalsIgnoreCase', a!).replace(/[A-Z]+/g, (m) => m.toLowerCase()) ===
      str('equalsIgnoreCase', b!).replace(/[A-Z]+/g, (m) => m.toLowerCase()),
  },
  trim: { params: ['str'], fn: ([s]) => strip(str('trim', s!), WHITESPACE, true, true) },
  stripChars: {
    params: ['str', 'chars'],
    fn: ([s, c]) => strip(str('stripChars', s!), str('stripChars', c!), true, true),
  },
  lstripChars: {
    params: ['str', 'chars'],
    fn: ([s, c]) => strip(str('lstripChars', s!), str('lstripChars', c!), true, false),
  },
  rstripChars: {
    params: ['str', 'chars'],
    fn: ([s, c]) => strip(str('rstripChars', s!), str('rstripChars', c!), false, true),
  },
  stringChars: { params: ['str'], fn: ([s]) => arrayOf(codePoints(str('stringChars', s!))) },
  codepoint: {
    params: ['str'],
    fn: ([s]) => {
      const v = str('codepoint', s!);
      if (cpLength(v) !== 1)
        throw runtimeError(`std.codepoint expected a single character, got ${JSON.stringify(v)}`);
      return v.codePointAt(0)!;
    },
  },
  char: {
    params: ['n'],
    fn: ([n]) => {
      const c = int('char', n!);
      if (c < 0 || c > 0x10ffff) throw runtimeError(`std.char: invalid code point ${c}`);
      return String.fromCodePoint(c);
    },
  },
  findSubstr: {
    params: ['pat', 'str'],
    fn: ([p, s], ev) => {
      const pat = codePoints(str('findSubstr', p!));
      const cs = codePoints(str('findSubstr', s!));
      const out: number[] = [];
      if (pat.length === 0) return arrayOf(out);
      ev.tick(cs.length);
      for (let i = 0; i + pat.length <= cs.length; i++) {
        let ok = true;
        for (let j = 0; j < pat.length && ok; j++) ok = cs[i + j] === pat[j];
        if (ok) out.push(i);
      }
      return arrayOf(out);
    },
  },
  parseInt: { params: ['str'], fn: ([s]) => parseDigits('parseInt', str('parseInt', s!), 10, /^-?[0-9]+$/) },
  parseOctal: {
    params: ['str'],
    fn: ([s]) => parseDigits('parseOctal', str('parseOctal', s!), 8, /^[0-7]+$/),
  },
  parseHex: {
    params: ['str'],
    fn: ([s]) => parseDigits('parseHex', str('parseHex', s!), 16, /^[0-9a-fA-F]+$/),
  },
};
