import type { Evaluator } from './evaluator.js';
import { EvalFailure, limitError, runtimeError } from './failure.js';
import { numberToString } from './strings.js';
import { compareStrings, JArray, JFunction, JsonObject, Thunk, type FieldDef, type Value } from './values.js';

/** Turns a value into plain JSON (hidden fields dropped, fields in Jsonnet's order). */
export function toJson(ev: Evaluator, v: Value): unknown {
  const budget = { left: ev.limits.maxOutputBytes };
  const path: (string | number)[] = [];
  try {
    return plain(ev, v, budget, path);
  } catch (err) {
    if (err instanceof EvalFailure && err.where === undefined && path.length > 0) {
      err.where = `${ev.file}:1:1 (output ${path.map((p) => `[${JSON.stringify(p)}]`).join('')})`;
    }
    throw err;
  }
}

function spend(ev: Evaluator, budget: { left: number }, n: number): void {
  ev.tick();
  budget.left -= n;
  if (budget.left < 0) throw limitError(`output exceeds ${ev.limits.maxOutputBytes} bytes`);
}

function plain(ev: Evaluator, v: Value, budget: { left: number }, path: (string | number)[]): unknown {
  if (v === null || typeof v === 'boolean') {
    spend(ev, budget, 5);
    return v;
  }
  if (typeof v === 'number') {
    spend(ev, budget, 8);
    return v;
  }
  if (typeof v === 'string') {
    spend(ev, budget, v.length + 2);
    return v;
  }
  if (v instanceof JFunction) throw runtimeError("couldn't manifest function as JSON");
  ev.enter();
  try {
    if (v instanceof JArray) {
      spend(ev, budget, 2 + v.elems.length);
      const out = new Array<unknown>(v.elems.length);
      for (let i = 0; i < out.length; i++) {
        path.push(i);
        out[i] = plain(ev, ev.force(v.elems[i]!), budget, path);
        path.pop();
      }
      return out;
    }
    const names = v.fieldNames(false);
    spend(ev, budget, 2 + names.length);
    const out: Record<string, unknown> = {};
    for (const name of names) {
      spend(ev, budget, name.length + 3);
      path.push(name);
      const value =
        v instanceof JsonObject
          ? plainJsonField(ev, v, name, budget, path)
          : plain(ev, ev.field(v, name), budget, path);
      path.pop();
      setField(out, name, value);
    }
    return out;
  } finally {
    ev.depth--;
  }
}

function setField(out: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[name] = value;
  }
}

/** A field of an object made from JSON: its value if evaluated already, else straight from the JSON. */
function plainJsonField(
  ev: Evaluator,
  v: JsonObject,
  name: string,
  budget: { left: number },
  path: (string | number)[],
): unknown {
  const thunk = v.layers[0]!.fields.get(name)!.thunk!;
  if (thunk.value !== undefined) return plain(ev, thunk.value, budget, path);
  return plainJson(ev, v.json[name], budget, path);
}

/**
 * `plain(ev, ev.force(lazy(json)))` without the Jsonnet values: the same steps, depth checks,
 * output budget, field order and failures, for JSON the template never looked into.
 */
function plainJson(
  ev: Evaluator,
  json: unknown,
  budget: { left: number },
  path: (string | number)[],
): unknown {
  if (json === null || typeof json === 'string' || typeof json === 'boolean')
    return plain(ev, json, budget, path);
  // What force() and fromJson() check before the value exists.
  ev.enter();
  ev.depth--;
  ev.tick();
  if (json === undefined) return plain(ev, null, budget, path);
  switch (typeof json) {
    case 'number':
      if (!Number.isFinite(json)) throw runtimeError('external value is not a finite number');
      return plain(ev, json, budget, path);
    case 'bigint':
      return plain(ev, Number(json), budget, path);
    case 'object':
      break;
    default:
      throw runtimeError(`external value of type ${typeof json} is not JSON`);
  }
  if (json instanceof Date) return plain(ev, json.toISOString(), budget, path);
  ev.enter();
  try {
    if (Array.isArray(json)) {
      spend(ev, budget, 2 + json.length);
      const out = new Array<unknown>(json.length);
      for (let i = 0; i < out.length; i++) {
        path.push(i);
        out[i] = plainJson(ev, json[i], budget, path);
        path.pop();
      }
      return out;
    }
    const source = json as Record<string, unknown>;
    const names = Object.keys(source).sort(compareStrings);
    spend(ev, budget, 2 + names.length);
    const out: Record<string, unknown> = {};
    for (const name of names) {
      spend(ev, budget, name.length + 3);
      path.push(name);
      setField(out, name, plainJson(ev, source[name], budget, path));
      path.pop();
    }
    return out;
  } finally {
    ev.depth--;
  }
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** `std.escapeStringJson`: a quoted JSON string literal. */
export function escapeStringJson(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\u0000-\u001f\u007f-\u009f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

export interface JsonStyle {
  readonly indent: string;
  readonly newline: string;
  readonly keyValSep: string;
}

/** `std.manifestJsonEx(v, indent, newline, key_val_sep)`. */
export function manifestJsonEx(ev: Evaluator, v: Value, style: JsonStyle): string {
  const parts: string[] = [];
  const budget = { left: ev.limits.maxOutputBytes };
  const push = (s: string) => {
    spend(ev, budget, s.length);
    parts.push(s);
  };
  const walk = (x: Value, cindent: string): void => {
    if (x === null || typeof x === 'boolean') return push(String(x));
    if (typeof x === 'number') return push(numberToString(x));
    if (typeof x === 'string') return push(escapeStringJson(x));
    if (x instanceof JFunction) throw runtimeError('tried to manifest function');
    ev.enter();
    try {
      const inner = cindent + style.indent;
      if (x instanceof JArray) {
        push('[' + style.newline);
        x.elems.forEach((t, i) => {
          if (i > 0) push(',' + style.newline);
          push(inner);
          walk(ev.force(t), inner);
        });
        push(style.newline + cindent + ']');
        return;
      }
      push('{' + style.newline);
      x.fieldNames(false).forEach((name, i) => {
        if (i > 0) push(',' + style.newline);
        push(inner + escapeStringJson(name) + style.keyValSep);
        walk(ev.field(x, name), inner);
      });
      push(style.newline + cindent + '}');
    } finally {
      ev.depth--;
    }
  };
  walk(v, '');
  return parts.join('');
}

/** The single-line form used by `std.toString` and string concatenation: `{"a": [1, 2]}`. */
export function compactJson(ev: Evaluator, v: Value): string {
  const parts: string[] = [];
  const budget = { left: ev.limits.maxOutputBytes };
  const push = (s: string) => {
    spend(ev, budget, s.length);
    parts.push(s);
  };
  const walk = (x: Value): void => {
    if (x === null || typeof x === 'boolean') return push(String(x));
    if (typeof x === 'number') return push(numberToString(x));
    if (typeof x === 'string') return push(escapeStringJson(x));
    if (x instanceof JFunction) throw runtimeError("couldn't manifest function as JSON");
    ev.enter();
    try {
      if (x instanceof JArray) {
        if (x.elems.length === 0) return push('[ ]');
        push('[');
        x.elems.forEach((t, i) => {
          if (i > 0) push(', ');
          walk(ev.force(t));
        });
        return push(']');
      }
      const names = x.fieldNames(false);
      if (names.length === 0) return push('{ }');
      push('{');
      names.forEach((name, i) => {
        if (i > 0) push(', ');
        push(escapeStringJson(name) + ': ');
        walk(ev.field(x, name));
      });
      push('}');
    } finally {
      ev.depth--;
    }
  };
  walk(v);
  return parts.join('');
}

/** JSON (ext vars, std.parseJson) into Jsonnet values. */
export function fromJson(v: unknown, ev: Evaluator): Value {
  ev.tick();
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw runtimeError('external value is not a finite number');
      return v;
    case 'bigint':
      return Number(v);
    case 'object':
      break;
    default:
      throw runtimeError(`external value of type ${typeof v} is not JSON`);
  }
  if (Array.isArray(v)) return new JArray(v.map((x) => lazy(x, ev)));
  if (v instanceof Date) return v.toISOString();
  const source = v as Record<string, unknown>;
  const fields = new Map<string, FieldDef>();
  for (const k of Object.keys(source))
    fields.set(k, { vis: 'default', plus: false, thunk: lazy(source[k], ev) });
  return new JsonObject([{ fields, asserts: [], locals: [], env: null }], source);
}

function lazy(v: unknown, ev: Evaluator): Thunk {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return Thunk.of(v);
  return new Thunk(null, null, () => fromJson(v, ev));
}
