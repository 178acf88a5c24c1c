import type { AssertNode, BinaryOp, Bind, CompSpec, FieldNode, Loc, Node, Param } from './ast.js';
import { FIELD_OPS, PREC } from './grammar.js';
import { tokenize, type Token } from './lexer.js';
import { staticCheck } from './static-check.js';
import { JsonnetSyntaxError } from './syntax-error.js';
import { TokenReader } from './token-reader.js';

/** Parses a whole Jsonnet program into its syntax tree. */
export function parse(src: string, file: string): Node {
  try {
    const p = new Parser(tokenize(src, file), file);
    const e = p.expr();
    p.expectEof();
    staticCheck(e, file);
    return e;
  } catch (err) {
    if (err instanceof RangeError) {
      throw new JsonnetSyntaxError(`${file}:1:1`, 'program nests too deeply');
    }
    throw err;
  }
}

class Parser extends TokenReader {
  expr(minPrec = 0): Node {
    let left = this.unary();
    for (;;) {
      const t = this.tok;
      const isBin = (t.t === 'op' || (t.t === 'id' && t.v === 'in')) && PREC[t.v] !== undefined;
      if (!isBin) return left;
      const prec = PREC[t.v]!;
      if (prec <= minPrec) return left;
      this.i++;
      if (t.v === 'in' && this.isKw('super')) {
        this.i++;
        left = { k: 'inSuper', name: left, loc: t.loc };
        continue;
      }
      const right = this.expr(prec);
      left = { k: 'binary', op: t.v as BinaryOp, l: left, r: right, loc: t.loc };
    }
  }

  private unary(): Node {
    const t = this.tok;
    if (t.t === 'op' && (t.v === '-' || t.v === '+' || t.v === '!' || t.v === '~')) {
      this.i++;
      return { k: 'unary', op: t.v, e: this.unary(), loc: t.loc };
    }
    if (t.t === 'id') {
      switch (t.v) {
        case 'local':
          return this.local();
        case 'if':
          return this.ifExpr();
        case 'function': {
          this.i++;
          const params = this.params();
          return { k: 'func', params, body: this.expr(), loc: t.loc };
        }
        case 'error':
          this.i++;
          return { k: 'error', e: this.expr(), loc: t.loc };
        case 'assert': {
          const a = this.assertion();
          this.op(';');
          return { k: 'assert', a, rest: this.expr(), loc: t.loc };
        }
      }
    }
    return this.postfix(this.primary());
  }

  private local(): Node {
    const loc = this.kw('local').loc;
    const binds: Bind[] = [this.bind()];
    while (this.isOp(',')) {
      this.i++;
      binds.push(this.bind());
    }
    this.op(';');
    return { k: 'local', binds, body: this.expr(), loc };
  }

  private bind(): Bind {
    const t = this.tok;
    const name = this.ident();
    if (this.isOp('(')) {
      const params = this.params();
      this.op('=');
      return { name, body: { k: 'func', params, body: this.expr(), loc: t.loc } };
    }
    this.op('=');
    return { name, body: this.expr() };
  }

  private params(): Param[] {
    this.op('(');
    const out: Param[] = [];
    const seen = new Set<string>();
    while (!this.isOp(')')) {
      const at = this.tok;
      const name = this.ident();
      if (seen.has(name)) this.fail(at, `duplicate parameter '${name}'`);
      seen.add(name);
      if (this.isOp('=')) {
        this.i++;
        out.push({ name, def: this.expr() });
      } else {
        out.push({ name });
      }
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.op(')');
    return out;
  }

  private ifExpr(): Node {
    const loc = this.kw('if').loc;
    const cond = this.expr();
    this.kw('then');
    const then = this.expr();
    if (this.isKw('else')) {
      this.i++;
      return { k: 'if', cond, then, else: this.expr(), loc };
    }
    return { k: 'if', cond, then, loc };
  }

  private assertion(): AssertNode {
    const loc = this.kw('assert').loc;
    const cond = this.expr();
    if (this.isOp(':')) {
      this.i++;
      return { cond, msg: this.expr(), loc };
    }
    return { cond, loc };
  }

  private primary(): Node {
    const t = this.tok;
    switch (t.t) {
      case 'num':
        this.i++;
        return { k: 'lit', v: t.num!, loc: t.loc };
      case 'str':
        this.i++;
        return { k: 'lit', v: t.v, loc: t.loc };
      case 'eof':
        this.fail(t, 'unexpected end of file');
      // eslint-disable-next-line no-fallthrough
      case 'id':
        this.i++;
        switch (t.v) {
          case 'null':
            return { k: 'lit', v: null, loc: t.loc };
          case 'true':
            return { k: 'lit', v: true, loc: t.loc };
          case 'false':
            return { k: 'lit', v: false, loc: t.loc };
          case 'self':
            return { k: 'self', loc: t.loc };
          case 'super':
            return this.superIndex(t);
          case 'import':
          case 'importstr':
          case 'importbin':
            this.fail(t, `${t.v} is not allowed: Tessera's Jsonnet is sandboxed`);
        }
        this.i--;
        return { k: 'var', name: this.ident(), loc: t.loc };
      case 'op':
        switch (t.v) {
          case '$':
            this.i++;
            return { k: 'dollar', loc: t.loc };
          case '(': {
            this.i++;
            const e = this.expr();
            this.op(')');
            return e;
          }
          case '{':
            return this.object();
          case '[':
            return this.array();
        }
    }
    this.fail(t, `unexpected ${this.describe(t)}`);
  }

  private superIndex(t: Token): Node {
    if (this.isOp('.')) {
      this.i++;
      const nt = this.tok;
      return { k: 'superIndex', index: { k: 'lit', v: this.ident(), loc: nt.loc }, loc: t.loc };
    }
    if (this.isOp('[')) {
      this.i++;
      const index = this.expr();
      this.op(']');
      return { k: 'superIndex', index, loc: t.loc };
    }
    this.fail(this.tok, "'super' must be followed by '.' or '['");
  }

  private postfix(e: Node): Node {
    for (;;) {
      const t = this.tok;
      if (t.t !== 'op') {
        if (t.t === 'id' && t.v === 'tailstrict') {
          this.i++;
          continue;
        }
        return e;
      }
      if (t.v === '.') {
        this.i++;
        const nt = this.tok;
        const name = this.ident();
        e = { k: 'index', target: e, index: { k: 'lit', v: name, loc: nt.loc }, loc: t.loc };
      } else if (t.v === '[') {
        e = this.indexOrSlice(e);
      } else if (t.v === '(') {
        e = this.call(e);
      } else if (t.v === '{') {
        e = { k: 'binary', op: '+', l: e, r: this.object(), loc: t.loc };
      } else {
        return e;
      }
    }
  }

  private indexOrSlice(target: Node): Node {
    const loc = this.op('[').loc;
    const parts: (Node | undefined)[] = [];
    let colons = 0;
    let cur: Node | undefined;
    for (;;) {
      if (this.isOp(']')) break;
      if (this.isOp(':') || this.isOp('::')) {
        const n = this.tok.v.length;
        this.i++;
        parts.push(cur);
        cur = undefined;
        if (n === 2) parts.push(undefined);
        colons += n;
        if (colons > 2) this.fail(this.tok, 'too many colons in slice');
        continue;
      }
      if (cur) this.fail(this.tok, `unexpected ${this.describe(this.tok)} in index`);
      cur = this.expr();
    }
    this.op(']');
    if (colons === 0) {
      if (!cur) this.fail(this.tok, 'empty index');
      return { k: 'index', target, index: cur, loc };
    }
    parts.push(cur);
    return { k: 'slice', target, begin: parts[0], end: parts[1], step: parts[2], loc };
  }

  private call(fn: Node): Node {
    const loc = this.op('(').loc;
    const args: Node[] = [];
    const named: Bind[] = [];
    while (!this.isOp(')')) {
      const next = this.toks[this.i + 1]!;
      if (this.tok.t === 'id' && next.t === 'op' && next.v === '=') {
        const name = this.ident();
        this.i++;
        named.push({ name, body: this.expr() });
      } else {
        if (named.length > 0) this.fail(this.tok, 'positional argument after a named argument');
        args.push(this.expr());
      }
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.op(')');
    return { k: 'apply', fn, args, named, loc };
  }

  private array(): Node {
    const loc = this.op('[').loc;
    const elems: Node[] = [];
    while (!this.isOp(']')) {
      elems.push(this.expr());
      if (this.isOp(',')) this.i++;
      if (this.isKw('for')) {
        if (elems.length !== 1) this.fail(this.tok, 'array comprehension needs exactly one element');
        const specs = this.compSpecs();
        this.op(']');
        return { k: 'arrayComp', body: elems[0]!, specs, loc };
      }
      if (!this.isOp(']') && this.toks[this.i - 1]!.v !== ',') {
        this.fail(this.tok, `expected ',' or ']' but got ${this.describe(this.tok)}`);
      }
    }
    this.op(']');
    return { k: 'array', elems, loc };
  }

  private compSpecs(): CompSpec[] {
    const specs: CompSpec[] = [];
    while (this.isKw('for') || this.isKw('if')) {
      if (this.isKw('for')) {
        this.i++;
        const name = this.ident();
        this.kw('in');
        specs.push({ k: 'for', name, e: this.expr() });
      } else {
        if (specs.length === 0) this.fail(this.tok, "expected 'for'");
        this.i++;
        specs.push({ k: 'if', cond: this.expr() });
      }
    }
    return specs;
  }

  private object(): Node {
    const loc = this.op('{').loc;
    const locals: Bind[] = [];
    const asserts: AssertNode[] = [];
    const fields: FieldNode[] = [];
    let computedFirst = false;
    while (!this.isOp('}')) {
      if (this.isKw('local')) {
        this.i++;
        locals.push(this.bind());
      } else if (this.isKw('assert')) {
        asserts.push(this.assertion());
      } else {
        if (fields.length === 0 && this.isOp('[')) computedFirst = true;
        fields.push(this.field());
      }
      if (this.isKw('for')) {
        if (fields.length !== 1 || !computedFirst || asserts.length > 0) {
          this.fail(this.tok, 'object comprehension needs exactly one [computed] field and no asserts');
        }
        const specs = this.compSpecs();
        this.op('}');
        return { k: 'objectComp', locals, field: fields[0]!, specs, loc };
      }
      if (!this.isOp(',')) break;
      this.i++;
      if (this.isKw('for')) {
        if (fields.length !== 1 || !computedFirst || asserts.length > 0) {
          this.fail(this.tok, 'object comprehension needs exactly one [computed] field and no asserts');
        }
        const specs = this.compSpecs();
        this.op('}');
        return { k: 'objectComp', locals, field: fields[0]!, specs, loc };
      }
    }
    this.op('}');
    return { k: 'object', locals, asserts, fields, loc };
  }

  private field(): FieldNode {
    const t = this.tok;
    let name: Node;
    if (t.t === 'id') {
      name = { k: 'lit', v: this.ident(), loc: t.loc };
    } else if (t.t === 'str') {
      this.i++;
      name = { k: 'lit', v: t.v, loc: t.loc };
    } else if (t.t === 'op' && t.v === '[') {
      this.i++;
      name = this.expr();
      this.op(']');
    } else {
      this.fail(t, `expected a field name but got ${this.describe(t)}`);
    }
    let params: Param[] | undefined;
    let fnLoc: Loc | undefined;
    if (this.isOp('(')) {
      fnLoc = this.tok.loc;
      params = this.params();
    }
    const opTok = this.tok;
    const fo = opTok.t === 'op' ? FIELD_OPS[opTok.v] : undefined;
    if (!fo) this.fail(opTok, `expected ':' but got ${this.describe(opTok)}`);
    if (params && fo.plus) this.fail(opTok, 'a method cannot use +:');
    this.i++;
    let body = this.expr();
    if (params) body = { k: 'func', params, body, loc: fnLoc! };
    return { name, vis: fo.vis, plus: fo.plus, body };
  }
}
