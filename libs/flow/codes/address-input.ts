import { Text, type UiText } from '../../text/index.js';

/** Longer than any deliverable address (RFC 5321 allows 254); also what the columns hold. */
export const MAX_ADDRESS_LENGTH = 320;

/** The `email` format of JSON Schema (ajv-formats' full format), as Kratos' body schema has it. */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** What is wrong with an address a client asks a code for (too long first: no regex on 100 KiB). */
export function addressProblem(value: string, format: 'email' | 'identifier'): UiText | null {
  const length = [...value].length;
  if (length > MAX_ADDRESS_LENGTH) return Text.tooLong(MAX_ADDRESS_LENGTH, length);
  if (format === 'email' && !EMAIL.test(value)) return Text.invalidEmail(value);
  return null;
}
