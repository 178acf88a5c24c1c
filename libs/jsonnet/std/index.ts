import { JObject, objectOf, type Value } from '../values.js';
import { natives } from './args.js';
import { arrayFunctions } from './arrays.js';
import { encodingFunctions } from './encoding.js';
import { mathFunctions } from './math.js';
import { objectFunctions } from './objects.js';
import { stringFunctions } from './strings.js';
import { typeFunctions } from './types.js';
import { format } from './format.js';

const base: JObject = objectOf(
  [
    ...natives({
      ...typeFunctions,
      ...objectFunctions,
      ...stringFunctions,
      ...arrayFunctions,
      ...mathFunctions,
      ...encodingFunctions,
      format: {
        params: ['str', 'vals'],
        fn: ([s, v], ev) => format(ev, typeof s === 'string' ? s : ev.toStr(s!), v!),
      },
    }),
    ['pi', Math.PI],
  ] as [string, Value][],
  'hidden',
);

/** The `std` object for a program named `file` (shared natives plus `std.thisFile`). */
export function stdFor(file: string): JObject {
  return new JObject([...base.layers, ...objectOf([['thisFile', file]], 'hidden').layers]);
}
