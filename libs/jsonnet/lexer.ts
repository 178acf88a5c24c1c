import type { Loc } from './ast.js';
import { JsonnetSyntaxError } from './syntax-error.js';

export type TokenKind = 'id' | 'num' | 'str' | 'op' | 'eof';

export interface Token {
  readonly t: TokenKind;
  readonly v: string;
  readonly loc: Loc;
  /** For strings: whether it was a text block or verbatim (irrelevant to meaning, kept for errors). */
  readonly num?: number;
}

const OP_CHARS = '!:~+-&|^=<>*/%';
const PUNCT = '{}[],.();$';
const BAD_LAST = '+-~!';

/** Splits Jsonnet source into tokens; comments and whitespace are dropped. */
export function tokenize(src: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (at: number, msg: string): never => {
    const before = src.slice(0, at);
    const l = before.split('\n').length;
    const c = at - before.lastIndexOf('\n');
    throw new JsonnetSyntaxError(`${file}:${l}:${c}`, msg);
  };
  const loc = (at: number): Loc => ({ line, col: at - lineStart + 1 });
  const newline = (at: number) => {
    line++;
    lineStart = at + 1;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      newline(i);
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) fail(i, 'unterminated comment');
      for (let j = i; j < end; j++) if (src[j] === '\n') newline(j);
      i = end + 2;
      continue;
    }
    const start = loc(i);
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < src.length && isIdPart(src[j]!)) j++;
      out.push({ t: 'id', v: src.slice(i, j), loc: start });
      i = j;
      continue;
    }
    if (c >= '0' && c <= '9') {
      const m = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i, i + 400));
      if (!m) fail(i, 'bad number');
      const text = m![0];
      out.push({ t: 'num', v: text, loc: start, num: Number(text) });
      i += text.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= src.length) fail(i, 'unterminated string');
        const d = src[j]!;
        if (d === c) break;
        if (d === '\n') newline(j);
        if (d !== '\\') {
          s += d;
          j++;
          continue;
        }
        const e = src[j + 1];
        j += 2;
        switch (e) {
          case '"':
          case "'":
          case '\\':
          case '/':
            s += e;
            break;
          case 'b':
            s += '\b';
            break;
          case 'f':
            s += '\f';
            break;
          case 'n':
            s += '\n';
            break;
          case 'r':
            s += '\r';
            break;
          case 't':
            s += '\t';
            break;
          case 'u': {
            const hex = src.slice(j, j + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(j - 2, 'bad \\u escape in string');
            s += String.fromCharCode(parseInt(hex, 16));
            j += 4;
            break;
          }
          default:
            fail(j - 2, `unknown escape sequence in string: \\${e ?? ''}`);
        }
      }
      out.push({ t: 'str', v: s, loc: start });
      i = j + 1;
      continue;
    }
    if (c === '@' && (src[i + 1] === '"' || src[i + 1] === "'")) {
      const q = src[i + 1]!;
      let j = i + 2;
      let s = '';
      for (;;) {
        if (j >= src.length) fail(i, 'unterminated verbatim string');
        const d = src[j]!;
        if (d === q) {
          if (src[j + 1] === q) {
            s += q;
            j += 2;
            continue;
          }
          break;
        }
        if (d === '\n') newline(j);
        s += d;
        j++;
      }
      out.push({ t: 'str', v: s, loc: start });
      i = j + 1;
      continue;
    }
    if (c === '|' && src.startsWith('|||', i)) {
      i = textBlock(i, start);
      continue;
    }
    if (PUNCT.includes(c)) {
      out.push({ t: 'op', v: c, loc: start });
      i++;
      continue;
    }
    if (OP_CHARS.includes(c)) {
      let j = i;
      while (j < src.length && OP_CHARS.includes(src[j]!)) {
        if (src[j] === '/' && (src[j + 1] === '/' || src[j + 1] === '*')) break;
        j++;
      }
      while (j - i > 1 && BAD_LAST.includes(src[j - 1]!)) j--;
      out.push({ t: 'op', v: src.slice(i, j), loc: start });
      i = j;
      continue;
    }
    fail(i, `unexpected character '${c}'`);
  }
  out.push({ t: 'eof', v: '', loc: loc(i) });
  return out;

  function textBlock(at: number, start: Loc): number {
    let j = at + 3;
    let chomp = false;
    if (src[j] === '-') {
      chomp = true;
      j++;
    }
    while (src[j] === ' ' || src[j] === '\t' || src[j] === '\r') j++;
    if (src[j] !== '\n') fail(j, 'text block requires a new line after |||');
    newline(j);
    j++;
    let indent = '';
    while (src[j] === ' ' || src[j] === '\t') indent += src[j++];
    if (indent === '') fail(j, 'text block first line must start with whitespace');
    let s = '';
    for (;;) {
      // j is at the start of a line's content (after the indent).
      const eol = src.indexOf('\n', j);
      if (eol < 0) fail(at, 'unterminated text block');
      s += src.slice(j, eol + 1);
      newline(eol);
      j = eol + 1;
      // Blank lines belong to the block.
      while (src[j] === '\n' || (src[j] === '\r' && src[j + 1] === '\n')) {
        s += '\n';
        const e2 = src.indexOf('\n', j);
        newline(e2);
        j = e2 + 1;
      }
      if (src.startsWith(indent, j)) {
        j += indent.length;
        continue;
      }
      let k = j;
      while (src[k] === ' ' || src[k] === '\t') k++;
      if (!src.startsWith('|||', k)) fail(k, 'text block not terminated with |||');
      if (chomp) s = s.replace(/\n$/, '');
      out.push({ t: 'str', v: s, loc: start });
      return k + 3;
    }
  }
}

function isIdStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdPart(c: string): boolean {
  return isIdStart(c) || (c >= '0' && c <= '9');
}
