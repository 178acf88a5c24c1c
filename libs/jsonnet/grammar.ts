import type { Visibility } from './ast.js';

/** Binary operator precedence (higher binds tighter), field operators and reserved words. */
export const PREC: Record<string, number> = {
  '*': 10,
  '/': 10,
  '%': 10,
  '+': 9,
  '-': 9,
  '<<': 8,
  '>>': 8,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  in: 7,
  '==': 6,
  '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

export const FIELD_OPS: Record<string, { vis: Visibility; plus: boolean }> = {
  ':': { vis: 'default', plus: false },
  '::': { vis: 'hidden', plus: false },
  ':::': { vis: 'visible', plus: false },
  '+:': { vis: 'default', plus: true },
  '+::': { vis: 'hidden', plus: true },
  '+:::': { vis: 'visible', plus: true },
};

export const KEYWORDS = new Set([
  'assert',
  'else',
  'error',
  'false',
  'for',
  'function',
  'if',
  'import',
  'importstr',
  'importbin',
  'in',
  'local',
  'null',
  'tailstrict',
  'then',
  'self',
  'super',
  'true',
]);
