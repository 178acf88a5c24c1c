import type { CompSpec, FieldNode, Node, NodeOf } from './ast.js';
import type { Evaluator } from './evaluator.js';
import { runtimeError } from './failure.js';
import { plus } from './operators.js';
import { JArray, JObject, Thunk, childEnv, typeOf, type Env, type FieldDef, type Value } from './values.js';

/** Objects: literals and comprehensions, layers (`+`, `super`), asserts and lazy, cached fields. */

const TRUE: Node = { k: 'lit', v: true, loc: { line: 0, col: 0 } };

export function object(ev: Evaluator, node: NodeOf<'object'>, env: Env | null): JObject {
  const fields = new Map<string, FieldDef>();
  for (const f of node.fields) {
    const name = fieldName(ev, f, env);
    if (name === null) continue;
    if (fields.has(name)) throw runtimeError(`duplicate field name: "${name}"`);
    fields.set(name, { vis: f.vis, plus: f.plus, body: f.body });
  }
  return new JObject([{ fields, asserts: node.asserts, locals: node.locals, env }]);
}

function fieldName(ev: Evaluator, f: FieldNode, env: Env | null): string | null {
  const name = f.name.k === 'lit' ? f.name.v : ev.eval(f.name, env);
  if (name === null) return null;
  if (typeof name !== 'string') throw runtimeError(`field name must be a string, got ${typeOf(name)}`);
  return name;
}

export function objectComp(ev: Evaluator, node: NodeOf<'objectComp'>, env: Env | null): JObject {
  const fields = new Map<string, FieldDef>();
  comprehend(ev, node.specs, 0, env, (e) => {
    const name = fieldName(ev, node.field, e);
    if (name === null) return;
    if (fields.has(name)) throw runtimeError(`duplicate field name: "${name}"`);
    fields.set(name, { vis: node.field.vis, plus: node.field.plus, body: node.field.body, env: e });
  });
  return new JObject([{ fields, asserts: [], locals: node.locals, env }]);
}

export function comprehend(
  ev: Evaluator,
  specs: readonly CompSpec[],
  i: number,
  env: Env | null,
  emit: (env: Env) => void,
): void {
  if (i === specs.length) {
    emit(env!);
    return;
  }
  const spec = specs[i]!;
  if (spec.k === 'if') {
    const c = ev.eval(spec.cond, env);
    if (typeof c !== 'boolean')
      throw runtimeError(`comprehension condition must be a boolean, got ${typeOf(c)}`);
    if (c) comprehend(ev, specs, i + 1, env, emit);
    return;
  }
  const arr = ev.eval(spec.e, env);
  if (!(arr instanceof JArray)) throw runtimeError(`comprehension needs an array, got ${typeOf(arr)}`);
  for (const t of arr.elems) {
    ev.tick();
    comprehend(ev, specs, i + 1, childEnv(env, new Map([[spec.name, t]])), emit);
  }
}

/** Scope for code in layer `j` of `self` (object locals bound, self/super/$ set). */
function layerEnv(self: JObject, j: number, own?: Env): Env {
  if (!own) {
    const hit = self.envs[j];
    if (hit) return hit;
  }
  const layer = self.layers[j]!;
  const outer = own ?? layer.env;
  const vars = new Map<string, Thunk>();
  const env: Env = { vars, parent: outer, self, layer: j, dollar: outer?.dollar ?? self };
  for (const b of layer.locals) vars.set(b.name, new Thunk(b.body, env));
  if (!own) self.envs[j] = env;
  return env;
}

function checkAsserts(ev: Evaluator, self: JObject): void {
  self.asserted = true;
  for (let j = 0; j < self.layers.length; j++) {
    const layer = self.layers[j]!;
    if (layer.asserts.length === 0) continue;
    const env = layerEnv(self, j);
    for (const a of layer.asserts) ev.eval({ k: 'assert', a, rest: TRUE, loc: a.loc }, env);
  }
}

export function field(ev: Evaluator, self: JObject, name: string): Value {
  const hit = self.cache.get(name);
  if (hit !== undefined) return hit;
  if (!self.asserted) checkAsserts(ev, self);
  const j = self.find(name);
  if (j < 0) throw runtimeError(`field does not exist: ${name}`);
  const v = fieldValue(ev, self, name, j);
  self.cache.set(name, v);
  return v;
}

export function fieldValue(ev: Evaluator, self: JObject, name: string, j: number): Value {
  const f = self.layers[j]!.fields.get(name)!;
  let v: Value;
  if (f.thunk) {
    v = f.thunk.value !== undefined ? f.thunk.value : ev.force(f.thunk);
  } else {
    ev.enter();
    try {
      v = ev.eval(f.body!, layerEnv(self, j, f.env));
    } finally {
      ev.depth--;
    }
  }
  if (f.plus) {
    const k = self.find(name, j - 1);
    if (k >= 0) v = plus(ev, fieldValue(ev, self, name, k), v);
  }
  return v;
}
