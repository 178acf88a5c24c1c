import type { BinaryOp } from './ast.js';
import type { Evaluator } from './evaluator.js';
import { runtimeError } from './failure.js';
import { format } from './std/format.js';
import { compareStrings, JArray, JFunction, JObject, typeOf, type Value } from './values.js';

export function checkNumber(n: number): number {
  if (!Number.isFinite(n)) throw runtimeError(Number.isNaN(n) ? 'not a number' : 'overflow');
  return n;
}

function toInt64(n: number): bigint {
  return BigInt.asIntN(64, BigInt(Math.trunc(n)));
}

function numbers(op: string, l: Value, r: Value): [number, number] {
  if (typeof l !== 'number' || typeof r !== 'number') {
    throw runtimeError(`binary operator ${op} does not operate on ${typeOf(l)} and ${typeOf(r)}`);
  }
  return [l, r];
}

export function binary(ev: Evaluator, op: BinaryOp, l: Value, r: Value): Value {
  switch (op) {
    case '+':
      return plus(ev, l, r);
    case '-': {
      const [a, b] = numbers(op, l, r);
      return checkNumber(a - b);
    }
    case '*': {
      const [a, b] = numbers(op, l, r);
      return checkNumber(a * b);
    }
    case '/': {
      const [a, b] = numbers(op, l, r);
      if (b === 0) throw runtimeError('division by zero');
      return checkNumber(a / b);
    }
    case '%':
      if (typeof l === 'string') return format(ev, l, r);
      return modulo(l, r);
    case '==':
      return equals(ev, l, r);
    case '!=':
      return !equals(ev, l, r);
    case '<':
      return compare(ev, op, l, r) < 0;
    case '<=':
      return compare(ev, op, l, r) <= 0;
    case '>':
      return compare(ev, op, l, r) > 0;
    case '>=':
      return compare(ev, op, l, r) >= 0;
    case 'in':
      if (typeof l !== 'string' || !(r instanceof JObject)) {
        throw runtimeError(`'in' needs a string and an object, got ${typeOf(l)} and ${typeOf(r)}`);
      }
      return r.find(l) >= 0;
    case '&':
    case '^':
    case '|':
    case '<<':
    case '>>': {
      const [a, b] = numbers(op, l, r);
      const x = toInt64(a);
      const y = toInt64(b);
      if ((op === '<<' || op === '>>') && y < 0n) throw runtimeError('shift by negative exponent');
      const s = y & 63n;
      const res =
        op === '&'
          ? x & y
          : op === '^'
            ? x ^ y
            : op === '|'
              ? x | y
              : op === '<<'
                ? BigInt.asIntN(64, x << s)
                : x >> s;
      return Number(res);
    }
    default:
      throw runtimeError(`unknown operator ${op}`);
  }
}

export function modulo(l: Value, r: Value): number {
  const [a, b] = numbers('%', l, r);
  if (b === 0) throw runtimeError('division by zero');
  return checkNumber(a % b);
}

export function plus(ev: Evaluator, l: Value, r: Value): Value {
  if (typeof l === 'string' || typeof r === 'string') {
    const a = ev.toStr(l);
    const b = ev.toStr(r);
    ev.checkSize(a.length + b.length, 'string length');
    return a + b;
  }
  if (typeof l === 'number' && typeof r === 'number') return checkNumber(l + r);
  if (l instanceof JArray && r instanceof JArray) {
    ev.checkSize(l.elems.length + r.elems.length, 'array length');
    return new JArray(l.elems.concat(r.elems));
  }
  if (l instanceof JObject && r instanceof JObject) return new JObject(l.layers.concat(r.layers));
  throw runtimeError(`binary operator + does not operate on ${typeOf(l)} and ${typeOf(r)}`);
}

export function equals(ev: Evaluator, a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof JFunction || b instanceof JFunction)
    throw runtimeError('cannot test equality of functions');
  if (a instanceof JArray && b instanceof JArray) {
    if (a.elems.length !== b.elems.length) return false;
    for (let i = 0; i < a.elems.length; i++) {
      ev.tick();
      if (!equals(ev, ev.force(a.elems[i]!), ev.force(b.elems[i]!))) return false;
    }
    return true;
  }
  if (a instanceof JObject && b instanceof JObject) {
    const fa = a.fieldNames(false);
    const fb = b.fieldNames(false);
    if (fa.length !== fb.length) return false;
    for (let i = 0; i < fa.length; i++) if (fa[i] !== fb[i]) return false;
    for (const name of fa) {
      ev.tick();
      if (!equals(ev, ev.field(a, name), ev.field(b, name))) return false;
    }
    return true;
  }
  return false;
}

/** Ordering for `<` and friends and std.sort: numbers, strings, arrays (lexicographic). */
export function compare(ev: Evaluator, op: string, a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (a instanceof JArray && b instanceof JArray) {
    const n = Math.min(a.elems.length, b.elems.length);
    for (let i = 0; i < n; i++) {
      ev.tick();
      const c = compare(ev, op, ev.force(a.elems[i]!), ev.force(b.elems[i]!));
      if (c !== 0) return c;
    }
    return a.elems.length - b.elems.length;
  }
  throw runtimeError(`binary operator ${op} does not operate on ${typeOf(a)} and ${typeOf(b)}`);
}
