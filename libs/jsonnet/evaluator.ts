import type { AssertNode, Bind, Node, NodeOf } from './ast.js';
import { EvalFailure, limitError, runtimeError } from './failure.js';
import { CLOCK_EVERY, type JsonnetLimits } from './limits.js';
import { compactJson } from './manifest.js';
import { comprehend, field, fieldValue, object, objectComp } from './objects.js';
import { binary, equals } from './operators.js';
import { sliceValue, indexString } from './strings.js';
import {
  JArray,
  JFunction,
  JObject,
  childEnv,
  lookupVar,
  Thunk,
  typeOf,
  type Env,
  type NativeParam,
  type Value,
} from './values.js';

/** One evaluation of one program: counts steps, time and depth against the limits. */
export class Evaluator {
  private steps = 0;
  private nextClock = CLOCK_EVERY;
  private readonly deadline: number;
  depth = 0;
  private readonly extCache = new Map<string, Value>();

  constructor(
    readonly file: string,
    readonly limits: JsonnetLimits,
    private readonly extVars: Record<string, unknown>,
    private readonly fromJson: (v: unknown, ev: Evaluator) => Value,
  ) {
    this.deadline = performance.now() + limits.maxMillis;
  }

  tick(n = 1): void {
    this.steps += n;
    if (this.steps >= this.nextClock) {
      if (this.steps > this.limits.maxSteps) {
        throw limitError(`evaluation exceeded ${this.limits.maxSteps} steps`);
      }
      this.nextClock = Math.min(this.steps + CLOCK_EVERY, this.limits.maxSteps + 1);
      if (performance.now() > this.deadline) {
        throw limitError(`evaluation exceeded ${this.limits.maxMillis} ms`);
      }
    }
  }

  enter(): void {
    if (++this.depth > this.limits.maxDepth) {
      throw limitError(`max stack depth ${this.limits.maxDepth} exceeded`);
    }
  }

  /** Refuses strings and arrays larger than the output bound before they are built. */
  checkSize(n: number, what: string): void {
    if (n > this.limits.maxOutputBytes) {
      throw limitError(`${what} of ${n} exceeds the limit of ${this.limits.maxOutputBytes}`);
    }
    this.tick(Math.ceil(n / 64));
  }

  /** Builds an n-element array, looking at the clock while it grows (n is checked first). */
  build<T>(n: number, make: (i: number) => T): T[] {
    this.checkSize(n, 'array length');
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      if ((i & 1023) === 1023) this.tick(1024);
      out[i] = make(i);
    }
    return out;
  }

  extVar(name: string): Value {
    const hit = this.extCache.get(name);
    if (hit !== undefined) return hit;
    if (!Object.prototype.hasOwnProperty.call(this.extVars, name)) {
      throw runtimeError(`undefined external variable: ${name}`);
    }
    const v = this.fromJson(this.extVars[name], this);
    this.extCache.set(name, v);
    return v;
  }

  force(t: Thunk): Value {
    if (t.value !== undefined) return t.value;
    this.enter();
    let v: Value;
    try {
      v = t.compute ? t.compute() : this.eval(t.node!, t.env);
    } finally {
      this.depth--;
    }
    t.value = v;
    t.node = null;
    t.env = null;
    t.compute = null;
    return v;
  }

  eval(node: Node, env: Env | null): Value {
    if (++this.steps >= this.nextClock) this.tick(0);
    try {
      return this.evalNode(node, env);
    } catch (err) {
      if (err instanceof EvalFailure && err.where === undefined) {
        err.where = `${this.file}:${node.loc.line}:${node.loc.col}`;
      }
      throw err;
    }
  }

  private evalNode(node: Node, env: Env | null): Value {
    switch (node.k) {
      case 'lit':
        return node.v;
      case 'var': {
        const t = lookupVar(env, node.name);
        if (!t) throw runtimeError(`unknown variable: ${node.name}`);
        return t.value !== undefined ? t.value : this.force(t);
      }
      case 'self':
        if (!env?.self) throw runtimeError("can't use self outside of an object");
        return env.self;
      case 'dollar':
        if (!env?.dollar) throw runtimeError("can't use $ outside of an object");
        return env.dollar;
      case 'local':
        return this.eval(node.body, this.bindLocals(node.binds, env));
      case 'func':
        return new JFunction(node.params, node.body, env);
      case 'apply':
        return this.apply(node, env);
      case 'index':
        return this.index(this.eval(node.target, env), this.eval(node.index, env));
      case 'superIndex': {
        if (!env?.self) throw runtimeError("can't use super outside of an object");
        const name = this.eval(node.index, env);
        if (typeof name !== 'string') throw runtimeError(`super index must be a string, got ${typeOf(name)}`);
        const j = env.self.find(name, env.layer - 1);
        if (j < 0) throw runtimeError(`field does not exist in super: ${name}`);
        return fieldValue(this, env.self, name, j);
      }
      case 'inSuper': {
        if (!env?.self) throw runtimeError("can't use super outside of an object");
        const name = this.eval(node.name, env);
        if (typeof name !== 'string') throw runtimeError(`'in super' needs a string, got ${typeOf(name)}`);
        return env.self.find(name, env.layer - 1) >= 0;
      }
      case 'slice':
        return sliceValue(
          this,
          this.eval(node.target, env),
          node.begin ? this.eval(node.begin, env) : null,
          node.end ? this.eval(node.end, env) : null,
          node.step ? this.eval(node.step, env) : null,
        );
      case 'binary':
        return this.binary(node, env);
      case 'unary':
        return this.unary(node, env);
      case 'if': {
        const c = this.eval(node.cond, env);
        if (typeof c !== 'boolean') throw runtimeError(`if condition must be a boolean, got ${typeOf(c)}`);
        if (c) return this.eval(node.then, env);
        return node.else ? this.eval(node.else, env) : null;
      }
      case 'error': {
        const v = this.eval(node.e, env);
        const text = typeof v === 'string' ? v : this.toStr(v);
        throw runtimeError(text, text);
      }
      case 'assert':
        this.assertion(node.a, env);
        return this.eval(node.rest, env);
      case 'object':
        return object(this, node, env);
      case 'objectComp':
        return objectComp(this, node, env);
      case 'array':
        this.checkSize(node.elems.length, 'array length');
        return new JArray(node.elems.map((e) => new Thunk(e, env)));
      case 'arrayComp': {
        const out: Thunk[] = [];
        comprehend(this, node.specs, 0, env, (e) => {
          out.push(new Thunk(node.body, e));
          if (out.length > this.limits.maxOutputBytes) this.checkSize(out.length, 'array length');
        });
        return new JArray(out);
      }
    }
  }

  private bindLocals(binds: readonly Bind[], env: Env | null): Env {
    const vars = new Map<string, Thunk>();
    const inner = childEnv(env, vars);
    for (const b of binds) vars.set(b.name, new Thunk(b.body, inner));
    return inner;
  }

  private assertion(a: AssertNode, env: Env | null): void {
    const c = this.eval(a.cond, env);
    if (typeof c !== 'boolean') throw runtimeError(`assertion condition must be a boolean, got ${typeOf(c)}`);
    if (!c) {
      if (!a.msg) throw runtimeError('assertion failed');
      const m = this.eval(a.msg, env);
      throw runtimeError(typeof m === 'string' ? m : this.toStr(m));
    }
  }

  private binary(node: NodeOf<'binary'>, env: Env | null): Value {
    const op = node.op;
    if (op === '&&' || op === '||') {
      const l = this.eval(node.l, env);
      if (typeof l !== 'boolean') throw runtimeError(`${op} needs booleans, got ${typeOf(l)}`);
      if (op === '&&' ? !l : l) return l;
      const r = this.eval(node.r, env);
      if (typeof r !== 'boolean') throw runtimeError(`${op} needs booleans, got ${typeOf(r)}`);
      return r;
    }
    return binary(this, op, this.eval(node.l, env), this.eval(node.r, env));
  }

  private unary(node: NodeOf<'unary'>, env: Env | null): Value {
    const v = this.eval(node.e, env);
    switch (node.op) {
      case '!':
        if (typeof v !== 'boolean') throw runtimeError(`unary ! needs a boolean, got ${typeOf(v)}`);
        return !v;
      case '-':
        if (typeof v !== 'number') throw runtimeError(`unary - needs a number, got ${typeOf(v)}`);
        return -v;
      case '+':
        if (typeof v !== 'number') throw runtimeError(`unary + needs a number, got ${typeOf(v)}`);
        return v;
      case '~':
        if (typeof v !== 'number') throw runtimeError(`unary ~ needs a number, got ${typeOf(v)}`);
        return Number(~BigInt.asIntN(64, BigInt(Math.trunc(v))));
    }
  }

  index(target: Value, idx: Value): Value {
    if (target instanceof JObject) {
      if (typeof idx !== 'string') throw runtimeError(`object index must be a string, got ${typeOf(idx)}`);
      return this.field(target, idx);
    }
    if (target instanceof JArray) {
      if (typeof idx !== 'number') throw runtimeError(`array index must be a number, got ${typeOf(idx)}`);
      if (!Number.isInteger(idx)) throw runtimeError(`array index must be an integer, got ${idx}`);
      const t = target.elems[idx];
      if (!t) throw runtimeError(`array index ${idx} out of bounds [0, ${target.elems.length})`);
      return t.value !== undefined ? t.value : this.force(t);
    }
    if (typeof target === 'string') {
      if (typeof idx !== 'number') throw runtimeError(`string index must be a number, got ${typeOf(idx)}`);
      return indexString(target, idx);
    }
    throw runtimeError(`can't index a value of type ${typeOf(target)}`);
  }

  // ---- functions ----

  private apply(node: NodeOf<'apply'>, env: Env | null): Value {
    const fn = this.eval(node.fn, env);
    if (!(fn instanceof JFunction)) throw runtimeError(`only functions can be called, got ${typeOf(fn)}`);
    const args = node.args.map((a) => new Thunk(a, env));
    const named = node.named.map((b): [string, Thunk] => [b.name, new Thunk(b.body, env)]);
    return this.call(fn, args, named);
  }

  /** Calls a function with ready values (used by std). */
  callValues(fn: Value, args: Value[]): Value {
    if (!(fn instanceof JFunction)) throw runtimeError(`expected a function, got ${typeOf(fn)}`);
    return this.call(
      fn,
      args.map((a) => Thunk.of(a)),
      [],
    );
  }

  call(fn: JFunction, args: Thunk[], named: [string, Thunk][]): Value {
    const params = fn.params;
    if (args.length > params.length) {
      throw runtimeError(`too many arguments for function ${fn.name}: expected at most ${params.length}`);
    }
    const bound: (Thunk | undefined)[] = args.slice();
    for (const [name, t] of named) {
      const i = params.findIndex((p) => p.name === name);
      if (i < 0) throw runtimeError(`function ${fn.name} has no parameter ${name}`);
      if (bound[i]) throw runtimeError(`argument ${name} already given`);
      bound[i] = t;
    }
    this.enter();
    try {
      if (fn.body) return this.callCode(fn, bound);
      return this.callNative(fn, bound);
    } finally {
      this.depth--;
    }
  }

  private callCode(fn: JFunction, bound: (Thunk | undefined)[]): Value {
    const vars = new Map<string, Thunk>();
    const inner = childEnv(fn.env, vars);
    const params = fn.params as readonly { name: string; def?: Node }[];
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      let t = bound[i];
      if (!t) {
        if (!p.def) throw runtimeError(`function parameter ${p.name} not bound in call`);
        t = new Thunk(p.def, inner);
      }
      vars.set(p.name, t);
    }
    return this.eval(fn.body!, inner);
  }

  private callNative(fn: JFunction, bound: (Thunk | undefined)[]): Value {
    const params = fn.params as readonly NativeParam[];
    const thunks: Thunk[] = [];
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const t = bound[i];
      if (t) thunks.push(t);
      else if ('def' in p) thunks.push(Thunk.of(p.def!));
      else throw runtimeError(`function parameter ${p.name} not bound in call to std.${fn.name}`);
    }
    if (fn.lazyNative) return fn.lazyNative(thunks, this);
    const values = thunks.map((t) => (t.value !== undefined ? t.value : this.force(t)));
    return fn.native!(values, this);
  }

  field(self: JObject, name: string): Value {
    return field(this, self, name);
  }

  equals(a: Value, b: Value): boolean {
    return equals(this, a, b);
  }

  /** `std.toString` / string concatenation form of a value. */
  toStr(v: Value): string {
    return typeof v === 'string' ? v : compactJson(this, v);
  }
}
