import type { Evaluator } from '../evaluator.js';
import { runtimeError } from '../failure.js';
import { JArray, JObject, cpLength, typeOf, type Value } from '../values.js';

/** One `%...` conversion of a format string, Python style. */
interface Code {
  key: string | null;
  alt: boolean;
  zero: boolean;
  left: boolean;
  blank: boolean;
  plus: boolean;
  width: number | '*';
  prec: number | '*' | null;
  type: string;
  caps: boolean;
}

const TYPES: Record<string, [string, boolean]> = {
  d: ['d', false],
  i: ['d', false],
  u: ['d', false],
  o: ['o', false],
  x: ['x', false],
  X: ['x', true],
  e: ['e', false],
  E: ['e', true],
  f: ['f', false],
  F: ['f', true],
  g: ['g', false],
  G: ['g', true],
  c: ['c', false],
  s: ['s', false],
  '%': ['%', false],
};

function parseFormat(s: string): (string | Code)[] {
  const out: (string | Code)[] = [];
  let lit = '';
  let i = 0;
  const at = (): string => {
    if (i >= s.length) throw runtimeError('truncated format code');
    return s[i]!;
  };
  const digits = (): number | '*' => {
    if (at() === '*') {
      i++;
      return '*';
    }
    let v = 0;
    while (i < s.length && s[i]! >= '0' && s[i]! <= '9') v = v * 10 + Number(s[i++]);
    return v;
  };
  while (i < s.length) {
    const c = s[i++]!;
    if (c !== '%') {
      lit += c;
      continue;
    }
    out.push(lit);
    lit = '';
    let key: string | null = null;
    if (at() === '(') {
      const end = s.indexOf(')', i);
      if (end < 0) throw runtimeError('truncated format code');
      key = s.slice(i + 1, end);
      i = end + 1;
    }
    const code: Code = {
      key,
      alt: false,
      zero: false,
      left: false,
      blank: false,
      plus: false,
      width: 0,
      prec: null,
      type: 's',
      caps: false,
    };
    for (let f = at(); '#0- +'.includes(f); f = at()) {
      if (f === '#') code.alt = true;
      else if (f === '0') code.zero = true;
      else if (f === '-') code.left = true;
      else if (f === ' ') code.blank = true;
      else code.plus = true;
      i++;
    }
    code.width = digits();
    if (at() === '.') {
      i++;
      code.prec = digits();
    }
    if ('hlL'.includes(at())) i++;
    const t = TYPES[at()];
    if (!t) throw runtimeError(`unrecognised conversion type: ${at()}`);
    i++;
    [code.type, code.caps] = t;
    out.push(code);
  }
  out.push(lit);
  return out;
}

function renderInt(
  neg: boolean,
  mag: number,
  minChars: number,
  minDigits: number,
  blank: boolean,
  plus: boolean,
  radix: number,
  prefix: string,
): string {
  const digits = mag === 0 ? '0' : prefix + BigInt(mag).toString(radix);
  const zp = Math.max(minChars - (neg || blank || plus ? 1 : 0), minDigits);
  return (neg ? '-' : plus ? '+' : blank ? ' ' : '') + digits.padStart(zp, '0');
}

function renderHex(n: number, minChars: number, minDigits: number, c: Code): string {
  const mag = Math.floor(Math.abs(n));
  let hex = mag === 0 ? '0' : BigInt(mag).toString(16);
  if (c.caps) hex = hex.toUpperCase();
  const neg = n < 0;
  const zp = Math.max(minChars - (neg || c.blank || c.plus ? 1 : 0) - (c.alt ? 2 : 0), minDigits);
  const body = (c.alt ? (c.caps ? '0X' : '0x') : '') + hex.padStart(zp, '0');
  return (neg ? '-' : c.plus ? '+' : c.blank ? ' ' : '') + body;
}

function stripZeros(s: string): string {
  return s.replace(/0+$/, '');
}

function renderDec(
  n: number,
  zeroPad: number,
  c: Code,
  ensurePoint: boolean,
  trailing: boolean,
  prec: number,
): string {
  const abs = Math.abs(n);
  const denominator = Math.pow(10, prec);
  const numerator = abs * denominator + 0.5;
  const whole = abs === 0 ? 0 : Math.floor(numerator / denominator);
  const frac = Math.floor(numerator) % denominator;
  const dotSize = prec === 0 && !ensurePoint ? 0 : 1;
  const head = renderInt(n < 0, whole, zeroPad - prec - dotSize, 0, c.blank, c.plus, 10, '');
  if (prec === 0) return head + (ensurePoint ? '.' : '');
  if (!trailing && frac <= 0) return head;
  const fracStr = renderInt(false, frac, prec, 0, false, false, 10, '');
  return head + '.' + (trailing ? fracStr : stripZeros(fracStr));
}

function renderSci(
  n: number,
  zeroPad: number,
  c: Code,
  ensurePoint: boolean,
  trailing: boolean,
  prec: number,
): string {
  const exponent = n === 0 ? 0 : Math.floor(Math.log(Math.abs(n)) / Math.log(10));
  const suffix =
    (c.caps ? 'E' : 'e') + renderInt(exponent < 0, Math.abs(exponent), 3, 0, false, true, 10, '');
  const mantissa = exponent === -324 ? (n * 10) / Math.pow(10, exponent + 1) : n / Math.pow(10, exponent);
  return renderDec(mantissa, zeroPad - suffix.length, c, ensurePoint, trailing, prec) + suffix;
}

function needNumber(v: Value, at: string | number): number {
  if (typeof v !== 'number') throw runtimeError(`format required number at ${at}, got ${typeOf(v)}`);
  return v;
}

function formatCode(
  ev: Evaluator,
  v: Value,
  c: Code,
  width: number,
  precOrNull: number | null,
  at: string | number,
): string {
  const fpprec = precOrNull ?? 6;
  const iprec = precOrNull ?? 0;
  const zp = c.zero && !c.left ? width : 0;
  switch (c.type) {
    case 's':
      return ev.toStr(v);
    case 'd': {
      const n = needNumber(v, at);
      return renderInt(n <= -1, Math.floor(Math.abs(n)), zp, iprec, c.blank, c.plus, 10, '');
    }
    case 'o': {
      const n = needNumber(v, at);
      return renderInt(n <= -1, Math.floor(Math.abs(n)), zp, iprec, c.blank, c.plus, 8, c.alt ? '0' : '');
    }
    case 'x':
      return renderHex(needNumber(v, at), zp, iprec, c);
    case 'f':
      return renderDec(needNumber(v, at), zp, c, c.alt, true, fpprec);
    case 'e':
      return renderSci(needNumber(v, at), zp, c, c.alt, true, fpprec);
    case 'g': {
      const n = needNumber(v, at);
      const exponent = Math.floor(Math.log(Math.abs(n)) / Math.log(10));
      if (exponent < -4 || exponent >= fpprec) return renderSci(n, zp, c, c.alt, c.alt, fpprec - 1);
      return renderDec(n, zp, c, c.alt, c.alt, fpprec - Math.max(1, exponent + 1));
    }
    case 'c':
      if (typeof v === 'number') return String.fromCodePoint(v);
      if (typeof v === 'string') {
        if (cpLength(v) !== 1) throw runtimeError(`%c expected 1-sized string got: ${cpLength(v)}`);
        return v;
      }
      throw runtimeError(`%c expected number / string, got: ${typeOf(v)}`);
    default:
      throw runtimeError(`unknown format code: ${c.type}`);
  }
}

function pad(ev: Evaluator, s: string, width: number, left: boolean): string {
  if (s.length >= width) return s;
  ev.checkSize(width, 'string length');
  return left ? s.padEnd(width, ' ') : s.padStart(width, ' ');
}

function widthOf(v: Value): number {
  if (typeof v !== 'number') throw runtimeError(`format field width must be a number, got ${typeOf(v)}`);
  return v;
}

/** `std.format(str, vals)` and `str % vals`. */
export function format(ev: Evaluator, s: string, vals: Value): string {
  const codes = parseFormat(s);
  ev.tick(codes.length);
  let out = '';
  const emit = (part: string) => {
    ev.checkSize(out.length + part.length, 'string length');
    out += part;
  };
  if (vals instanceof JObject) {
    for (const c of codes) {
      if (typeof c === 'string') {
        emit(c);
        continue;
      }
      if (c.type === '%') {
        emit('%');
        continue;
      }
      if (c.key === null) throw runtimeError('format: mapping keys required');
      if (c.width === '*' || c.prec === '*') throw runtimeError('format: cannot use * with an object');
      if (vals.find(c.key) < 0) throw runtimeError(`format: no such field: ${c.key}`);
      const v = ev.field(vals, c.key);
      emit(pad(ev, formatCode(ev, v, c, c.width, c.prec, c.key), c.width, c.left));
    }
    return out;
  }
  const args = vals instanceof JArray ? vals.elems.map((t) => ev.force(t)) : [vals];
  let j = 0;
  const next = (): Value => {
    if (j >= args.length)
      throw runtimeError(`not enough values to format: ${args.length}, expected more than ${j}`);
    return args[j++]!;
  };
  for (const c of codes) {
    if (typeof c === 'string') {
      emit(c);
      continue;
    }
    const width = c.width === '*' ? widthOf(next()) : c.width;
    const prec = c.prec === '*' ? widthOf(next()) : c.prec;
    const s2 = c.type === '%' ? '%' : formatCode(ev, next(), c, width, prec, j - 1);
    emit(pad(ev, s2, width, c.left));
  }
  if (j < args.length) throw runtimeError(`too many values to format: ${args.length}, expected ${j}`);
  return out;
}
