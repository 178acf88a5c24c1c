import { createHash } from 'node:crypto';
import type { Evaluator } from '../evaluator.js';
import { runtimeError } from '../failure.js';
import { escapeStringJson, fromJson, manifestJsonEx } from '../manifest.js';
import { JArray, arrayOf, typeOf, type Value } from '../values.js';
import { arr, str, values, type StdTable } from './args.js';

/** A string of code points < 256 or an array of byte numbers, as bytes. */
function bytesOf(fn: string, ev: Evaluator, v: Value): Buffer {
  if (typeof v === 'string') {
    const out = Buffer.alloc(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c > 255) throw runtimeError(`std.${fn}: character code ${c} is not a byte`);
      out[i] = c;
    }
    return out;
  }
  const xs = values(ev, arr(fn, v));
  return Buffer.from(
    xs.map((x) => {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 255) {
        throw runtimeError(`std.${fn}: array element is not a byte`);
      }
      return x;
    }),
  );
}

function decodeBase64(s: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    throw runtimeError('std.base64Decode: input is not valid base64');
  }
  return Buffer.from(s, 'base64');
}

function hash(name: string, algorithm: string): { params: string[]; fn: (a: Value[]) => Value } {
  return { params: ['s'], fn: ([s]) => createHash(algorithm).update(str(name, s!), 'utf8').digest('hex') };
}

function jsonStyle(fn: string, indent: Value, newline: Value, sep: Value) {
  return { indent: str(fn, indent), newline: str(fn, newline), keyValSep: str(fn, sep) };
}

export const encodingFunctions: StdTable = {
  base64: { params: ['input'], fn: ([v], ev) => bytesOf('base64', ev, v!).toString('base64') },
  base64Decode: { params: ['str'], fn: ([s]) => decodeBase64(str('base64Decode', s!)).toString('latin1') },
  base64DecodeBytes: {
    params: ['str'],
    fn: ([s]) => arrayOf([...decodeBase64(str('base64DecodeBytes', s!))]),
  },
  md5: hash('md5', 'md5'),
  sha1: hash('sha1', 'sha1'),
  sha256: hash('sha256', 'sha256'),
  sha512: hash('sha512', 'sha512'),
  encodeUTF8: { params: ['str'], fn: ([s]) => arrayOf([...Buffer.from(str('encodeUTF8', s!), 'utf8')]) },
  decodeUTF8: {
    params: ['arr'],
    fn: ([a], ev) => {
      if (!(a instanceof JArray)) throw runtimeError(`std.decodeUTF8 expected array, got ${typeOf(a!)}`);
      return bytesOf('decodeUTF8', ev, a).toString('utf8');
    },
  },
  parseJson: {
    params: ['str'],
    fn: ([s], ev) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(str('parseJson', s!));
      } catch (err) {
        throw runtimeError(`std.parseJson: ${(err as Error).message}`);
      }
      return fromJson(parsed, ev);
    },
  },
  manifestJson: {
    params: ['value'],
    fn: ([v], ev) => manifestJsonEx(ev, v!, { indent: '    ', newline: '\n', keyValSep: ': ' }),
  },
  manifestJsonMinified: {
    params: ['value'],
    fn: ([v], ev) => manifestJsonEx(ev, v!, { indent: '', newline: '', keyValSep: ':' }),
  },
  manifestJsonEx: {
    params: ['value', 'indent', ['newline', '\n'], ['key_val_sep', ': ']],
    fn: ([v, i, n, k], ev) => manifestJsonEx(ev, v!, jsonStyle('manifestJsonEx', i!, n!, k!)),
  },
  escapeStringJson: { params: ['str_'], fn: ([s], ev) => escapeStringJson(ev.toStr(s!)) },
};
