import type { Evaluator } from '../evaluator.js';
import { JArray, JObject, Thunk, arrayOf, objectOf, type Value } from '../values.js';
import { bool, func, obj, str, type StdTable } from './args.js';

function keysValues(ev: Evaluator, o: JObject, all: boolean): JArray {
  return new JArray(
    o.fieldNames(all).map(
      (k) =>
        new Thunk(null, null, () =>
          objectOf([
            ['key', k],
            ['value', new Thunk(null, null, () => ev.field(o, k))],
          ]),
        ),
    ),
  );
}

function fieldValues(ev: Evaluator, o: JObject, all: boolean): JArray {
  return new JArray(o.fieldNames(all).map((k) => new Thunk(null, null, () => ev.field(o, k))));
}

export function mergePatch(ev: Evaluator, target: Value, patch: Value): Value {
  if (!(patch instanceof JObject)) return patch;
  const t = target instanceof JObject ? target : null;
  const names = new Set<string>(t ? t.fieldNames(false) : []);
  for (const k of patch.fieldNames(false)) names.add(k);
  const entries: [string, Value | Thunk][] = [];
  for (const k of names) {
    ev.tick();
    const inPatch = patch.has(k, false);
    if (inPatch) {
      const p = ev.field(patch, k);
      if (p === null) continue;
      const tv = t && t.has(k, false) ? ev.field(t, k) : null;
      entries.push([k, mergePatch(ev, tv, p)]);
    } else {
      entries.push([k, new Thunk(null, null, () => ev.field(t!, k))]);
    }
  }
  return objectOf(entries);
}

function isContent(v: Value): boolean {
  if (v === null) return false;
  if (v instanceof JArray) return v.elems.length > 0;
  if (v instanceof JObject) return v.fieldNames(false).length > 0;
  return true;
}

export function prune(ev: Evaluator, v: Value): Value {
  ev.enter();
  try {
    if (v instanceof JArray) {
      const out: Value[] = [];
      for (const t of v.elems) {
        const p = prune(ev, ev.force(t));
        if (isContent(p)) out.push(p);
      }
      return arrayOf(out);
    }
    if (v instanceof JObject) {
      const out: [string, Value][] = [];
      for (const k of v.fieldNames(false)) {
        const p = prune(ev, ev.field(v, k));
        if (isContent(p)) out.push([k, p]);
      }
      return objectOf(out);
    }
    return v;
  } finally {
    ev.depth--;
  }
}

export const objectFunctions: StdTable = {
  objectFields: { params: ['o'], fn: ([o]) => arrayOf(obj('objectFields', o!).fieldNames(false)) },
  objectFieldsAll: { params: ['o'], fn: ([o]) => arrayOf(obj('objectFieldsAll', o!).fieldNames(true)) },
  objectFieldsEx: {
    params: ['o', 'inc_hidden'],
    fn: ([o, h]) => arrayOf(obj('objectFieldsEx', o!).fieldNames(bool('objectFieldsEx', h!))),
  },
  objectHas: { params: ['o', 'f'], fn: ([o, f]) => obj('objectHas', o!).has(str('objectHas', f!), false) },
  objectHasAll: {
    params: ['o', 'f'],
    fn: ([o, f]) => obj('objectHasAll', o!).has(str('objectHasAll', f!), true),
  },
  objectHasEx: {
    params: ['o', 'f', 'inc_hidden'],
    fn: ([o, f, h]) => obj('objectHasEx', o!).has(str('objectHasEx', f!), bool('objectHasEx', h!)),
  },
  objectValues: { params: ['o'], fn: ([o], ev) => fieldValues(ev, obj('objectValues', o!), false) },
  objectValuesAll: { params: ['o'], fn: ([o], ev) => fieldValues(ev, obj('objectValuesAll', o!), true) },
  objectKeysValues: { params: ['o'], fn: ([o], ev) => keysValues(ev, obj('objectKeysValues', o!), false) },
  objectKeysValuesAll: {
    params: ['o'],
    fn: ([o], ev) => keysValues(ev, obj('objectKeysValuesAll', o!), true),
  },
  get: {
    params: ['o', 'f', ['default', null], ['inc_hidden', true]],
    fn: ([o, f, d, h], ev) => {
      const target = obj('get', o!);
      const name = str('get', f!);
      return target.has(name, bool('get', h!)) ? ev.field(target, name) : d!;
    },
  },
  objectRemoveKey: {
    params: ['obj', 'key'],
    fn: ([o, k], ev) => {
      const target = obj('objectRemoveKey', o!);
      const key = str('objectRemoveKey', k!);
      return objectOf(
        target
          .fieldNames(false)
          .filter((n) => n !== key)
          .map((n): [string, Thunk] => [n, new Thunk(null, null, () => ev.field(target, n))]),
      );
    },
  },
  mapWithKey: {
    params: ['func', 'obj'],
    fn: ([f, o], ev) => {
      const fn = func('mapWithKey', f!);
      const target = obj('mapWithKey', o!);
      return objectOf(
        target
          .fieldNames(false)
          .map((n): [string, Thunk] => [
            n,
            new Thunk(null, null, () => ev.callValues(fn, [n, ev.field(target, n)])),
          ]),
      );
    },
  },
  mergePatch: { params: ['target', 'patch'], fn: ([t, p], ev) => mergePatch(ev, t!, p!) },
  prune: { params: ['a'], fn: ([a], ev) => prune(ev, a!) },
};
