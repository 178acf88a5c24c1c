import { runtimeError } from '../failure.js';
import { checkNumber, modulo } from '../operators.js';
import { bool, num, type StdTable } from './args.js';
import { format } from './format.js';

function unary(name: string, f: (x: number) => number): { params: string[]; fn: (a: unknown[]) => number } {
  return { params: ['x'], fn: ([x]) => checkNumber(f(num(name, x as number))) };
}

/** Rounds half up, as Jsonnet's `std.floor(x + 0.5)`. */
function round(x: number): number {
  return Math.floor(x + 0.5);
}

export const mathFunctions: StdTable = {
  abs: unary('abs', Math.abs),
  sign: unary('sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : 0)),
  floor: unary('floor', Math.floor),
  ceil: unary('ceil', Math.ceil),
  round: unary('round', round),
  trunc: unary('trunc', Math.trunc),
  sqrt: unary('sqrt', Math.sqrt),
  exp: unary('exp', Math.exp),
  log: unary('log', Math.log),
  log2: unary('log2', Math.log2),
  log10: unary('log10', Math.log10),
  sin: unary('sin', Math.sin),
  cos: unary('cos', Math.cos),
  tan: unary('tan', Math.tan),
  asin: unary('asin', Math.asin),
  acos: unary('acos', Math.acos),
  atan: unary('atan', Math.atan),
  atan2: { params: ['y', 'x'], fn: ([y, x]) => checkNumber(Math.atan2(num('atan2', y!), num('atan2', x!))) },
  pow: { params: ['x', 'n'], fn: ([x, n]) => checkNumber(Math.pow(num('pow', x!), num('pow', n!))) },
  mod: {
    params: ['a', 'b'],
    fn: ([a, b], ev) => {
      if (typeof a === 'string') return format(ev, a, b!);
      if (typeof a !== 'number') throw runtimeError(`std.mod expected number or string, got ${typeof a}`);
      return modulo(a, b!);
    },
  },
  modulo: { params: ['x', 'y'], fn: ([x, y]) => modulo(num('modulo', x!), num('modulo', y!)) },
  min: { params: ['a', 'b'], fn: ([a, b]) => Math.min(num('min', a!), num('min', b!)) },
  max: { params: ['a', 'b'], fn: ([a, b]) => Math.max(num('max', a!), num('max', b!)) },
  clamp: {
    params: ['x', 'minVal', 'maxVal'],
    fn: ([x, lo, hi]) => Math.min(Math.max(num('clamp', x!), num('clamp', lo!)), num('clamp', hi!)),
  },
  isEven: { params: ['x'], fn: ([x]) => Math.trunc(num('isEven', x!)) % 2 === 0 },
  isOdd: { params: ['x'], fn: ([x]) => Math.abs(Math.trunc(num('isOdd', x!)) % 2) === 1 },
  isInteger: { params: ['x'], fn: ([x]) => Number.isInteger(num('isInteger', x!)) },
  isDecimal: { params: ['x'], fn: ([x]) => !Number.isInteger(num('isDecimal', x!)) },
  xor: { params: ['x', 'y'], fn: ([x, y]) => bool('xor', x!) !== bool('xor', y!) },
  xnor: { params: ['x', 'y'], fn: ([x, y]) => bool('xnor', x!) === bool('xnor', y!) },
};
