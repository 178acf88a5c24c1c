import type { Evaluator } from './evaluator.js';
import { runtimeError } from './failure.js';
import { JArray, typeOf, type Value } from './values.js';

const SURROGATE = /[\ud800-\udfff]/;

/** The code points of a string (fast path for strings without surrogates). */
export function codePoints(s: string): string[] {
  return SURROGATE.test(s) ? Array.from(s) : s.split('');
}

export function indexString(s: string, i: number): string {
  if (!Number.isInteger(i)) throw runtimeError(`string index must be an integer, got ${i}`);
  const cps = SURROGATE.test(s) ? Array.from(s) : null;
  const n = cps ? cps.length : s.length;
  if (i < 0 || i >= n) throw runtimeError(`string index ${i} out of bounds [0, ${n})`);
  return cps ? cps[i]! : s[i]!;
}

function sliceArg(v: Value, what: string): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw runtimeError(`slice ${what} must be an integer or null, got ${typeOf(v)}`);
  }
  if (v < 0) throw runtimeError(`slice ${what} must not be negative, got ${v}`);
  return v;
}

/** `x[begin:end:step]` on arrays and strings (negative values are refused, as in Jsonnet). */
export function sliceValue(ev: Evaluator, target: Value, begin: Value, end: Value, step: Value): Value {
  const b = sliceArg(begin, 'index') ?? 0;
  const e0 = sliceArg(end, 'end');
  const s = sliceArg(step, 'step') ?? 1;
  if (s === 0) throw runtimeError('slice step must not be 0');
  if (target instanceof JArray) {
    const e = Math.min(e0 ?? target.elems.length, target.elems.length);
    const out = [];
    for (let i = b; i < e; i += s) out.push(target.elems[i]!);
    ev.tick(out.length);
    return new JArray(out);
  }
  if (typeof target === 'string') {
    const cps = codePoints(target);
    const e = Math.min(e0 ?? cps.length, cps.length);
    let out = '';
    for (let i = b; i < e; i += s) out += cps[i];
    ev.tick(out.length);
    return out;
  }
  throw runtimeError(`can only slice arrays and strings, got ${typeOf(target)}`);
}

/** Jsonnet's rendering of a number: integers in full, others in shortest round-trip form. */
export function numberToString(n: number): string {
  if (Number.isInteger(n)) {
    if (Object.is(n, -0)) return '-0';
    return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  }
  const s = String(n);
  // JS writes 1e-7 where Go's %g (go-jsonnet) writes 1e-07.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}
