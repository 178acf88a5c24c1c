import type { AssertNode, Bind, Node, Visibility } from './ast.js';
import type { Evaluator } from './evaluator.js';

/** A Jsonnet value: JSON primitives are JS primitives, the rest are the classes below. */
export type Value = null | boolean | number | string | JArray | JObject | JFunction;

/** Lexical scope: identifiers map to thunks; `self`, `super` and `$` ride along. */
export interface Env {
  readonly vars: Map<string, Thunk>;
  readonly parent: Env | null;
  readonly self: JObject | null;
  /** Index of the object layer the code belongs to (for `super`). */
  readonly layer: number;
  readonly dollar: JObject | null;
}

/** A scope nested in `env` with its own variables (same self, layer and `$`). */
export function childEnv(env: Env | null, vars: Map<string, Thunk>): Env {
  return {
    vars,
    parent: env,
    self: env ? env.self : null,
    layer: env ? env.layer : -1,
    dollar: env ? env.dollar : null,
  };
}

export function lookupVar(env: Env | null, name: string): Thunk | undefined {
  for (let e = env; e; e = e.parent) {
    const t = e.vars.get(name);
    if (t) return t;
  }
  return undefined;
}

/** A lazily computed value; `force` is supplied by the evaluator. */
export class Thunk {
  value: Value | undefined;
  constructor(
    public node: Node | null,
    public env: Env | null,
    public compute: (() => Value) | null = null,
  ) {}

  static of(v: Value): Thunk {
    const t = new Thunk(null, null);
    t.value = v;
    return t;
  }
}

export class JArray {
  constructor(readonly elems: readonly Thunk[]) {}
}

export interface FieldDef {
  readonly vis: Visibility;
  readonly plus: boolean;
  /** Code fields: evaluated with self/super bound. */
  readonly body?: Node;
  /** Own scope (object comprehension fields); otherwise the layer's scope. */
  readonly env?: Env;
  /** Native fields: a ready thunk. */
  readonly thunk?: Thunk;
}

/** One object literal (or natively built object) in an inheritance chain. */
export interface Layer {
  readonly fields: Map<string, FieldDef>;
  readonly asserts: readonly AssertNode[];
  readonly locals: readonly Bind[];
  readonly env: Env | null;
}

export class JObject {
  /** Field values by name, for this object as `self`. */
  readonly cache = new Map<string, Value>();
  /** Per-layer scopes with self bound to this object. */
  readonly envs: (Env | undefined)[] = [];
  asserted = false;
  private visible: string[] | undefined;
  private all: string[] | undefined;

  constructor(readonly layers: readonly Layer[]) {}

  /** Index of the top-most layer at or below `from` that defines `name`, or -1. */
  find(name: string, from = this.layers.length - 1): number {
    for (let j = from; j >= 0; j--) if (this.layers[j]!.fields.has(name)) return j;
    return -1;
  }

  /** Field names, sorted by code point; hidden ones only when `all`. */
  fieldNames(all: boolean): string[] {
    if (all && this.all) return this.all;
    if (!all && this.visible) return this.visible;
    const vis = new Map<string, boolean>();
    for (const layer of this.layers) {
      for (const [name, f] of layer.fields) {
        if (f.vis === 'hidden') vis.set(name, false);
        else if (f.vis === 'visible') vis.set(name, true);
        else if (!vis.has(name)) vis.set(name, true);
      }
    }
    const names = [...vis.keys()].sort(compareStrings);
    this.all = names;
    this.visible = names.filter((n) => vis.get(n));
    return all ? this.all : this.visible;
  }

  has(name: string, all: boolean): boolean {
    if (all) return this.find(name) >= 0;
    return this.fieldNames(false).includes(name);
  }
}

/**
 * An object made from JSON (ext vars, top-level arguments, `std.parseJson`): one layer of plain
 * fields over `json`, its source. Manifesting reads the fields not yet evaluated from `json`
 * directly instead of building their Jsonnet values first.
 */
export class JsonObject extends JObject {
  constructor(
    layers: readonly Layer[],
    readonly json: Readonly<Record<string, unknown>>,
  ) {
    super(layers);
  }
}

export interface NativeParam {
  readonly name: string;
  /** Present when the parameter is optional. */
  readonly def?: Value;
}

export class JFunction {
  constructor(
    readonly params: readonly { name: string; def?: Node }[] | readonly NativeParam[],
    readonly body: Node | null,
    readonly env: Env | null,
    readonly native: ((args: Value[], ev: Evaluator) => Value) | null = null,
    readonly name = 'anonymous',
    /** Natives that take their arguments unforced. */
    readonly lazyNative: ((args: Thunk[], ev: Evaluator) => Value) | null = null,
  ) {}
}

/** Builds a plain object whose fields are the given (already known) values. */
export function objectOf(entries: Iterable<[string, Value | Thunk]>, vis: Visibility = 'default'): JObject {
  const fields = new Map<string, FieldDef>();
  for (const [k, v] of entries) {
    fields.set(k, { vis, plus: false, thunk: v instanceof Thunk ? v : Thunk.of(v) });
  }
  return new JObject([{ fields, asserts: [], locals: [], env: null }]);
}

export function arrayOf(values: readonly Value[]): JArray {
  return new JArray(values.map((v) => Thunk.of(v)));
}

export function typeOf(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
  }
  if (v instanceof JArray) return 'array';
  if (v instanceof JObject) return 'object';
  return 'function';
}

/** Orders strings by Unicode code point, as Jsonnet does (JS `<` orders UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Length in code points. */
export function cpLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
