import type { Evaluator } from '../evaluator.js';
import { runtimeError } from '../failure.js';
import { JArray, JFunction, JObject, Thunk, typeOf, type NativeParam, type Value } from '../values.js';

export type Native = (args: Value[], ev: Evaluator) => Value;
export type LazyNative = (args: Thunk[], ev: Evaluator) => Value;

export interface StdDef {
  readonly params: readonly (string | readonly [string, Value])[];
  readonly fn?: Native;
  readonly lazy?: LazyNative;
}

export type StdTable = Record<string, StdDef>;

/** Turns a table of definitions into std function values. */
export function natives(table: StdTable): [string, JFunction][] {
  return Object.entries(table).map(([name, d]) => {
    const params: NativeParam[] = d.params.map((p) =>
      typeof p === 'string' ? { name: p } : { name: p[0], def: p[1] },
    );
    return [name, new JFunction(params, null, null, d.fn ?? null, name, d.lazy ?? null)];
  });
}

function wrong(fn: string, want: string, v: Value): never {
  throw runtimeError(`std.${fn} expected ${want}, got ${typeOf(v)}`);
}

export function str(fn: string, v: Value): string {
  return typeof v === 'string' ? v : wrong(fn, 'string', v);
}

export function num(fn: string, v: Value): number {
  return typeof v === 'number' ? v : wrong(fn, 'number', v);
}

export function int(fn: string, v: Value): number {
  const n = num(fn, v);
  if (!Number.isInteger(n)) throw runtimeError(`std.${fn} expected an integer, got ${n}`);
  return n;
}

export function bool(fn: string, v: Value): boolean {
  return typeof v === 'boolean' ? v : wrong(fn, 'boolean', v);
}

export function arr(fn: string, v: Value): JArray {
  return v instanceof JArray ? v : wrong(fn, 'array', v);
}

export function obj(fn: string, v: Value): JObject {
  return v instanceof JObject ? v : wrong(fn, 'object', v);
}

export function func(fn: string, v: Value): JFunction {
  return v instanceof JFunction ? v : wrong(fn, 'function', v);
}

/** Forces every element of an array. */
export function values(ev: Evaluator, a: JArray): Value[] {
  ev.tick(a.elems.length);
  return a.elems.map((t) => ev.force(t));
}
