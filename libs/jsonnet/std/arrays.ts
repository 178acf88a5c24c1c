import type { Evaluator } from '../evaluator.js';
import { runtimeError } from '../failure.js';
import { compare } from '../operators.js';
import { codePoints, sliceValue } from '../strings.js';
import { JArray, JFunction, Thunk, arrayOf, typeOf, type Value } from '../values.js';
import { arr, bool, func, int, num, values, type StdTable } from './args.js';

/** Arrays, or strings taken as arrays of one-character strings. */
function seq(fn: string, v: Value): JArray {
  if (typeof v === 'string') return arrayOf(codePoints(v));
  return arr(fn, v);
}

function lazyCall(ev: Evaluator, f: JFunction, args: Value[]): Thunk {
  return new Thunk(null, null, () => ev.callValues(f, args));
}

function keyed(ev: Evaluator, keyF: Value, v: Value): Value {
  return keyF === null ? v : ev.callValues(keyF, [v]);
}

function sortValues(ev: Evaluator, items: Value[], keyF: Value): Value[] {
  const keys = items.map((v) => keyed(ev, keyF, v));
  const idx = items.map((_, i) => i);
  ev.tick(items.length * Math.ceil(Math.log2(items.length + 1)));
  idx.sort((a, b) => compare(ev, 'std.sort', keys[a]!, keys[b]!));
  return idx.map((i) => items[i]!);
}

function uniqValues(ev: Evaluator, items: Value[], keyF: Value): Value[] {
  const out: Value[] = [];
  let last: Value | undefined;
  for (const v of items) {
    const k = keyed(ev, keyF, v);
    if (last === undefined || !ev.equals(last, k)) out.push(v);
    last = k;
  }
  return out;
}

function setOf(ev: Evaluator, a: JArray, keyF: Value): Value[] {
  return uniqValues(ev, sortValues(ev, values(ev, a), keyF), keyF);
}

function setMerge(
  ev: Evaluator,
  a: Value[],
  b: Value[],
  keyF: Value,
  mode: 'union' | 'inter' | 'diff',
): Value[] {
  const out: Value[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    ev.tick();
    const c = compare(ev, 'std.set', keyed(ev, keyF, a[i]!), keyed(ev, keyF, b[j]!));
    if (c === 0) {
      if (mode !== 'diff') out.push(a[i]!);
      i++;
      j++;
    } else if (c < 0) {
      if (mode !== 'inter') out.push(a[i]!);
      i++;
    } else {
      if (mode === 'union') out.push(b[j]!);
      j++;
    }
  }
  if (mode !== 'inter') while (i < a.length) out.push(a[i++]!);
  if (mode === 'union') while (j < b.length) out.push(b[j++]!);
  return out;
}

/** The smallest (sign -1) or largest (sign 1) element by key. */
function pick(ev: Evaluator, xs: Value[], keyF: Value, sign: number): Value {
  let best: Value = xs[0]!;
  let bestKey = keyed(ev, keyF, best);
  for (const v of xs.slice(1)) {
    const k = keyed(ev, keyF, v);
    if (compare(ev, 'std.minArray', k, bestKey) * sign > 0) {
      best = v;
      bestKey = k;
    }
  }
  return best;
}

function numbers(fn: string, ev: Evaluator, a: Value): number[] {
  return values(ev, arr(fn, a)).map((v) => num(fn, v));
}

function member(ev: Evaluator, a: Value, x: Value): boolean {
  if (typeof a === 'string') {
    if (typeof x !== 'string')
      throw runtimeError(`std.member on a string expects a string, got ${typeOf(x)}`);
    return a.includes(x);
  }
  return values(ev, arr('member', a)).some((v) => ev.equals(v, x));
}

export const arrayFunctions: StdTable = {
  map: {
    params: ['func', 'arr'],
    fn: ([f, a], ev) => {
      const fn = func('map', f!);
      const xs = seq('map', a!);
      ev.tick(xs.elems.length);
      return new JArray(xs.elems.map((t) => new Thunk(null, null, () => ev.call(fn, [t], []))));
    },
  },
  mapWithIndex: {
    params: ['func', 'arr'],
    fn: ([f, a], ev) => {
      const fn = func('mapWithIndex', f!);
      const xs = seq('mapWithIndex', a!);
      ev.tick(xs.elems.length);
      return new JArray(
        xs.elems.map((t, i) => new Thunk(null, null, () => ev.call(fn, [Thunk.of(i), t], []))),
      );
    },
  },
  filter: {
    params: ['func', 'arr'],
    fn: ([f, a], ev) => {
      const fn = func('filter', f!);
      return new JArray(
        arr('filter', a!).elems.filter((t) => {
          const keep = ev.call(fn, [t], []);
          if (typeof keep !== 'boolean')
            throw runtimeError(`std.filter function must return a boolean, got ${typeOf(keep)}`);
          return keep;
        }),
      );
    },
  },
  filterMap: {
    params: ['filter_func', 'map_func', 'arr'],
    fn: ([ff, mf, a], ev) => {
      const keepFn = func('filterMap', ff!);
      const mapFn = func('filterMap', mf!);
      const kept = arr('filterMap', a!).elems.filter((t) => bool('filterMap', ev.call(keepFn, [t], [])));
      return new JArray(kept.map((t) => new Thunk(null, null, () => ev.call(mapFn, [t], []))));
    },
  },
  flatMap: {
    params: ['func', 'arr'],
    fn: ([f, a], ev) => {
      const fn = func('flatMap', f!);
      if (typeof a === 'string') {
        const parts = codePoints(a).map((c) => ev.callValues(fn, [c]));
        let total = 0;
        for (const p of parts) {
          if (p === null) continue;
          if (typeof p !== 'string')
            throw runtimeError(`std.flatMap on a string must return strings, got ${typeOf(p)}`);
          total += p.length;
        }
        ev.checkSize(total, 'string length');
        return parts.filter((p) => p !== null).join('');
      }
      const out: Thunk[] = [];
      for (const t of arr('flatMap', a!).elems) {
        const r = ev.call(fn, [t], []);
        if (r === null) continue;
        if (!(r instanceof JArray))
          throw runtimeError(`std.flatMap function must return an array, got ${typeOf(r)}`);
        ev.checkSize(out.length + r.elems.length, 'array length');
        out.push(...r.elems);
      }
      return new JArray(out);
    },
  },
  foldl: {
    params: ['func', 'arr', 'init'],
    fn: ([f, a, init], ev) => {
      const fn = func('foldl', f!);
      let acc: Value = init!;
      for (const t of seq('foldl', a!).elems) acc = ev.call(fn, [Thunk.of(acc), t], []);
      return acc;
    },
  },
  foldr: {
    params: ['func', 'arr', 'init'],
    fn: ([f, a, init], ev) => {
      const fn = func('foldr', f!);
      const xs = seq('foldr', a!).elems;
      let acc: Value = init!;
      for (let i = xs.length - 1; i >= 0; i--) acc = ev.call(fn, [xs[i]!, Thunk.of(acc)], []);
      return acc;
    },
  },
  range: {
    params: ['from', 'to'],
    fn: ([f, t], ev) => {
      const from = int('range', f!);
      const to = int('range', t!);
      const n = Math.max(0, to - from + 1);
      ev.checkSize(n, 'array length');
      ev.tick(n);
      return new JArray(Array.from({ length: n }, (_, i) => Thunk.of(from + i)));
    },
  },
  makeArray: {
    params: ['sz', 'func'],
    fn: ([s, f], ev) => {
      const n = int('makeArray', s!);
      if (n < 0) throw runtimeError(`std.makeArray size must be non-negative, got ${n}`);
      const fn = func('makeArray', f!);
      ev.checkSize(n, 'array length');
      ev.tick(n);
      return new JArray(Array.from({ length: n }, (_, i) => lazyCall(ev, fn, [i])));
    },
  },
  repeat: {
    params: ['what', 'count'],
    fn: ([w, c], ev) => {
      const count = int('repeat', c!);
      if (count < 0) throw runtimeError(`std.repeat count must be non-negative, got ${count}`);
      if (typeof w === 'string') {
        ev.checkSize(w.length * count, 'string length');
        return w.repeat(count);
      }
      const xs = arr('repeat', w!);
      ev.checkSize(xs.elems.length * count, 'array length');
      const out: Thunk[] = [];
      for (let i = 0; i < count; i++) out.push(...xs.elems);
      return new JArray(out);
    },
  },
  reverse: { params: ['arr'], fn: ([a]) => new JArray(arr('reverse', a!).elems.slice().reverse()) },
  sort: {
    params: ['arr', ['keyF', null]],
    fn: ([a, k], ev) => arrayOf(sortValues(ev, values(ev, arr('sort', a!)), k!)),
  },
  uniq: {
    params: ['arr', ['keyF', null]],
    fn: ([a, k], ev) => arrayOf(uniqValues(ev, values(ev, arr('uniq', a!)), k!)),
  },
  set: { params: ['arr', ['keyF', null]], fn: ([a, k], ev) => arrayOf(setOf(ev, arr('set', a!), k!)) },
  setMember: {
    params: ['x', 'arr', ['keyF', null]],
    fn: ([x, a, k], ev) => {
      const key = keyed(ev, k!, x!);
      return values(ev, arr('setMember', a!)).some((v) => ev.equals(keyed(ev, k!, v), key));
    },
  },
  setUnion: {
    params: ['a', 'b', ['keyF', null]],
    fn: ([a, b, k], ev) =>
      arrayOf(setMerge(ev, values(ev, arr('setUnion', a!)), values(ev, arr('setUnion', b!)), k!, 'union')),
  },
  setInter: {
    params: ['a', 'b', ['keyF', null]],
    fn: ([a, b, k], ev) =>
      arrayOf(setMerge(ev, values(ev, arr('setInter', a!)), values(ev, arr('setInter', b!)), k!, 'inter')),
  },
  setDiff: {
    params: ['a', 'b', ['keyF', null]],
    fn: ([a, b, k], ev) =>
      arrayOf(setMerge(ev, values(ev, arr('setDiff', a!)), values(ev, arr('setDiff', b!)), k!, 'diff')),
  },
  flattenArrays: {
    params: ['arrs'],
    fn: ([a], ev) => {
      const out: Thunk[] = [];
      for (const v of values(ev, arr('flattenArrays', a!))) {
        if (v === null) continue;
        const xs = arr('flattenArrays', v);
        ev.checkSize(out.length + xs.elems.length, 'array length');
        out.push(...xs.elems);
      }
      return new JArray(out);
    },
  },
  all: { params: ['arr'], fn: ([a], ev) => values(ev, arr('all', a!)).every((v) => bool('all', v)) },
  any: { params: ['arr'], fn: ([a], ev) => values(ev, arr('any', a!)).some((v) => bool('any', v)) },
  sum: { params: ['arr'], fn: ([a], ev) => numbers('sum', ev, a!).reduce((x, y) => x + y, 0) },
  avg: {
    params: ['arr'],
    fn: ([a], ev) => {
      const xs = numbers('avg', ev, a!);
      if (xs.length === 0) throw runtimeError('std.avg of an empty array');
      return xs.reduce((x, y) => x + y, 0) / xs.length;
    },
  },
  minArray: {
    params: ['arr', ['keyF', null], ['onEmpty', null]],
    fn: ([a, k, e], ev) => {
      const xs = values(ev, arr('minArray', a!));
      if (xs.length === 0) {
        if (e === null) throw runtimeError('std.minArray of an empty array');
        return e!;
      }
      return pick(ev, xs, k!, -1);
    },
  },
  maxArray: {
    params: ['arr', ['keyF', null], ['onEmpty', null]],
    fn: ([a, k, e], ev) => {
      const xs = values(ev, arr('maxArray', a!));
      if (xs.length === 0) {
        if (e === null) throw runtimeError('std.maxArray of an empty array');
        return e!;
      }
      return pick(ev, xs, k!, 1);
    },
  },
  contains: {
    params: ['arr', 'elem'],
    fn: ([a, x], ev) => values(ev, arr('contains', a!)).some((v) => ev.equals(v, x!)),
  },
  member: { params: ['arr', 'x'], fn: ([a, x], ev) => member(ev, a!, x!) },
  count: {
    params: ['arr', 'x'],
    fn: ([a, x], ev) => values(ev, arr('count', a!)).filter((v) => ev.equals(v, x!)).length,
  },
  find: {
    params: ['value', 'arr'],
    fn: ([x, a], ev) => {
      const out: number[] = [];
      values(ev, arr('find', a!)).forEach((v, i) => {
        if (ev.equals(v, x!)) out.push(i);
      });
      return arrayOf(out);
    },
  },
  remove: {
    params: ['arr', 'elem'],
    fn: ([a, x], ev) => {
      const xs = values(ev, arr('remove', a!));
      const i = xs.findIndex((v) => ev.equals(v, x!));
      return i < 0 ? a! : arrayOf([...xs.slice(0, i), ...xs.slice(i + 1)]);
    },
  },
  removeAt: {
    params: ['arr', 'at'],
    fn: ([a, i]) => {
      const at = int('removeAt', i!);
      return new JArray(arr('removeAt', a!).elems.filter((_, j) => j !== at));
    },
  },
  slice: {
    params: ['indexable', 'index', 'end', 'step'],
    fn: ([x, b, e, s], ev) => sliceValue(ev, x!, b!, e!, s!),
  },
};
