import type { Evaluator } from '../evaluator.js';
import { runtimeError } from '../failure.js';
import { compactJson } from '../manifest.js';
import { JArray, JFunction, JObject, cpLength, typeOf, type Value } from '../values.js';
import { str, type StdTable } from './args.js';

export const typeFunctions: StdTable = {
  extVar: { params: ['x'], fn: ([x], ev) => ev.extVar(str('extVar', x!)) },
  type: { params: ['x'], fn: ([x]) => typeOf(x!) },
  isString: { params: ['v'], fn: ([v]) => typeof v === 'string' },
  isNumber: { params: ['v'], fn: ([v]) => typeof v === 'number' },
  isBoolean: { params: ['v'], fn: ([v]) => typeof v === 'boolean' },
  isObject: { params: ['v'], fn: ([v]) => v instanceof JObject },
  isArray: { params: ['v'], fn: ([v]) => v instanceof JArray },
  isFunction: { params: ['v'], fn: ([v]) => v instanceof JFunction },
  isNull: { params: ['v'], fn: ([v]) => v === null },
  length: {
    params: ['x'],
    fn: ([x]) => {
      if (typeof x === 'string') return cpLength(x);
      if (x instanceof JArray) return x.elems.length;
      if (x instanceof JObject) return x.fieldNames(false).length;
      if (x instanceof JFunction) return x.params.length;
      throw runtimeError(`std.length expected array, string, object or function, got ${typeOf(x!)}`);
    },
  },
  isEmpty: {
    params: ['x'],
    fn: ([x]) => {
      if (typeof x === 'string') return x.length === 0;
      if (x instanceof JArray) return x.elems.length === 0;
      if (x instanceof JObject) return x.fieldNames(false).length === 0;
      throw runtimeError(`std.isEmpty expected string, array or object, got ${typeOf(x!)}`);
    },
  },
  toString: {
    params: ['a'],
    fn: ([a]: Value[], ev: Evaluator) => (typeof a === 'string' ? a : compactJson(ev, a!)),
  },
  equals: { params: ['a', 'b'], fn: ([a, b], ev) => ev.equals(a!, b!) },
  primitiveEquals: {
    params: ['a', 'b'],
    fn: ([a, b]) => {
      if (typeOf(a!) !== typeOf(b!)) return false;
      if (a instanceof JArray || a instanceof JObject || a instanceof JFunction) {
        throw runtimeError('std.primitiveEquals operates on primitive types only');
      }
      return a === b;
    },
  },
  trace: { params: ['str', 'rest'], lazy: ([, rest], ev) => ev.force(rest!) },
  assertEqual: {
    params: ['a', 'b'],
    fn: ([a, b], ev) => {
      if (ev.equals(a!, b!)) return true;
      throw runtimeError(`Assertion failed. ${compactJson(ev, a!)} != ${compactJson(ev, b!)}`);
    },
  },
};
