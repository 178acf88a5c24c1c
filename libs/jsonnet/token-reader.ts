import { KEYWORDS } from './grammar.js';
import { type Token } from './lexer.js';
import { JsonnetSyntaxError } from './syntax-error.js';

/** A cursor over the tokens of one file: peeking, expecting, and syntax errors with a location. */
export class TokenReader {
  protected i = 0;
  constructor(
    protected readonly toks: Token[],
    protected readonly file: string,
  ) {}

  protected get tok(): Token {
    return this.toks[this.i]!;
  }

  protected fail(t: Token, msg: string): never {
    throw new JsonnetSyntaxError(`${this.file}:${t.loc.line}:${t.loc.col}`, msg);
  }

  protected describe(t: Token): string {
    return t.t === 'eof' ? 'end of file' : t.t === 'str' ? 'string' : `'${t.v}'`;
  }

  protected isOp(v: string): boolean {
    return this.tok.t === 'op' && this.tok.v === v;
  }

  protected isKw(v: string): boolean {
    return this.tok.t === 'id' && this.tok.v === v;
  }

  protected op(v: string): Token {
    const t = this.tok;
    if (t.t !== 'op' || t.v !== v) this.fail(t, `expected '${v}' but got ${this.describe(t)}`);
    this.i++;
    return t;
  }

  protected kw(v: string): Token {
    const t = this.tok;
    if (t.t !== 'id' || t.v !== v) this.fail(t, `expected '${v}' but got ${this.describe(t)}`);
    this.i++;
    return t;
  }

  protected ident(): string {
    const t = this.tok;
    if (t.t !== 'id' || KEYWORDS.has(t.v)) {
      this.fail(t, `expected an identifier but got ${this.describe(t)}`);
    }
    this.i++;
    return t.v;
  }

  expectEof(): void {
    if (this.tok.t !== 'eof') this.fail(this.tok, `unexpected ${this.describe(this.tok)}`);
  }
}
