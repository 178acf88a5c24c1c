import { type TraitValidationError } from '../../schema/index.js';
import { Text, uiText, type UiText } from '../../text/index.js';

const error = (id: number, text: string, context?: Record<string, unknown>) =>
  uiText(id, text, 'error', context);

function lengthOf(value: unknown): number {
  return typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : 0;
}

/** A JSON Schema failure on a trait, as the contract's UI message for that keyword. */
export function traitMessage(failure: TraitValidationError): UiText {
  const p = failure.params;
  switch (failure.keyword) {
    case 'required':
      return Text.missingProperty(String(p['missingProperty'] ?? failure.path.split('.').at(-1)));
    case 'format':
      if (p['format'] === 'email') return Text.invalidEmail(failure.value);
      if (p['format'] === 'tel')
        return error(4000041, 'Enter a valid phone number', { value: failure.value });
      return error(4000001, `does not match format "${String(p['format'])}"`, { reason: failure.message });
    case 'minLength':
      return error(4000003, `length must be >= ${String(p['limit'])}, but got ${lengthOf(failure.value)}`, {
        min_length: p['limit'],
        actual_length: lengthOf(failure.value),
      });
    case 'maxLength':
      return Text.tooLong(p['limit'], lengthOf(failure.value));
    case 'pattern':
      return error(4000004, `does not match pattern "${String(p['pattern'])}"`, { pattern: p['pattern'] });
    case 'minimum':
      return error(4000018, `must be >= ${String(p['limit'])} but found ${String(failure.value)}`, {
        minimum: p['limit'],
        actual: failure.value,
      });
    case 'maximum':
      return error(4000020, `must be <= ${String(p['limit'])} but found ${String(failure.value)}`, {
        maximum: p['limit'],
        actual: failure.value,
      });
    case 'type': {
      const actual =
        failure.value === null ? 'null' : Array.isArray(failure.value) ? 'array' : typeof failure.value;
      const allowed = String(p['type']).split(',');
      return error(4000026, `expected ${allowed.join(' or ')}, but got ${actual}`, {
        allowed_types: allowed,
        actual_type: actual,
      });
    }
    case 'const':
      return error(4000029, `must be equal to constant ${JSON.stringify(p['allowedValue'])}`, {
        expected: p['allowedValue'],
      });
    default:
      return Text.reason(failure.message);
  }
}
