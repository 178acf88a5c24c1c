import type { CompSpec, Loc, Node } from './ast.js';
import { JsonnetSyntaxError } from './syntax-error.js';

interface Scope {
  readonly names: ReadonlySet<string>;
  readonly parent: Scope | null;
  readonly inObject: boolean;
}

function has(scope: Scope | null, name: string): boolean {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

function extend(scope: Scope, names: Iterable<string>, inObject = scope.inObject): Scope {
  return { names: new Set(names), parent: scope, inObject };
}

/**
 * Jsonnet's static checks, done once at compile time: every variable is bound, and
 * `self`, `super` and `$` only appear inside objects.
 */
export function staticCheck(root: Node, file: string): void {
  const fail = (loc: Loc, msg: string): never => {
    throw new JsonnetSyntaxError(`${file}:${loc.line}:${loc.col}`, msg);
  };
  const specs = (list: readonly CompSpec[], scope: Scope): Scope => {
    let s = scope;
    for (const spec of list) {
      if (spec.k === 'for') {
        walk(spec.e, s);
        s = extend(s, [spec.name]);
      } else {
        walk(spec.cond, s);
      }
    }
    return s;
  };
  const walk = (n: Node, scope: Scope): void => {
    switch (n.k) {
      case 'lit':
        return;
      case 'var':
        if (!has(scope, n.name)) fail(n.loc, `unknown variable: ${n.name}`);
        return;
      case 'self':
      case 'dollar':
        if (!scope.inObject) fail(n.loc, `can't use ${n.k === 'self' ? 'self' : '$'} outside of an object`);
        return;
      case 'superIndex':
        if (!scope.inObject) fail(n.loc, "can't use super outside of an object");
        return walk(n.index, scope);
      case 'inSuper':
        if (!scope.inObject) fail(n.loc, "can't use super outside of an object");
        return walk(n.name, scope);
      case 'local': {
        const inner = extend(
          scope,
          n.binds.map((b) => b.name),
        );
        const seen = new Set<string>();
        for (const b of n.binds) {
          if (seen.has(b.name)) fail(n.loc, `duplicate local variable: ${b.name}`);
          seen.add(b.name);
          walk(b.body, inner);
        }
        return walk(n.body, inner);
      }
      case 'func': {
        const inner = extend(
          scope,
          n.params.map((p) => p.name),
        );
        for (const p of n.params) if (p.def) walk(p.def, inner);
        return walk(n.body, inner);
      }
      case 'apply':
        walk(n.fn, scope);
        n.args.forEach((a) => walk(a, scope));
        n.named.forEach((b) => walk(b.body, scope));
        return;
      case 'index':
        walk(n.target, scope);
        return walk(n.index, scope);
      case 'slice':
        walk(n.target, scope);
        for (const p of [n.begin, n.end, n.step]) if (p) walk(p, scope);
        return;
      case 'binary':
        walk(n.l, scope);
        return walk(n.r, scope);
      case 'unary':
        return walk(n.e, scope);
      case 'if':
        walk(n.cond, scope);
        walk(n.then, scope);
        if (n.else) walk(n.else, scope);
        return;
      case 'error':
        return walk(n.e, scope);
      case 'assert':
        walk(n.a.cond, scope);
        if (n.a.msg) walk(n.a.msg, scope);
        return walk(n.rest, scope);
      case 'object': {
        const inner = extend(
          scope,
          n.locals.map((b) => b.name),
          true,
        );
        for (const f of n.fields) walk(f.name, scope);
        for (const b of n.locals) walk(b.body, inner);
        for (const a of n.asserts) {
          walk(a.cond, inner);
          if (a.msg) walk(a.msg, inner);
        }
        for (const f of n.fields) walk(f.body, inner);
        return;
      }
      case 'objectComp': {
        const loop = specs(n.specs, scope);
        walk(n.field.name, loop);
        const inner = extend(
          loop,
          n.locals.map((b) => b.name),
          true,
        );
        for (const b of n.locals) walk(b.body, inner);
        return walk(n.field.body, inner);
      }
      case 'array':
        n.elems.forEach((e) => walk(e, scope));
        return;
      case 'arrayComp':
        return walk(n.body, specs(n.specs, scope));
    }
  };
  walk(root, { names: new Set(['std']), parent: null, inObject: false });
}
