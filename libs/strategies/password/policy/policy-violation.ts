/** Why a password is refused, by the contract's text id. */
export type PolicyViolation =
  | { id: 4000032; context: { min_length: number; actual_length: number } }
  | { id: 4000033; context: { max_length: number; actual_length: number } }
  | { id: 4000031; context: Record<string, never> }
  | { id: 4000034; context: { breaches: number } }
  | { id: 4000005; context: { reason: string } };

export const PolicyViolationId = {
  PolicyViolationGeneric: 4000005,
  IdentifierTooSimilar: 4000031,
  MinLength: 4000032,
  MaxLength: 4000033,
  TooManyBreaches: 4000034,
} as const;

export interface PolicyMessage {
  id: number;
  text: string;
  type: 'error';
  context?: Record<string, unknown>;
}

/** The ui text of a violation, with Kratos' English wording; it goes on the `password` node. */
export function policyMessage(violation: PolicyViolation): PolicyMessage {
  const context = Object.keys(violation.context).length > 0 ? { context: { ...violation.context } } : {};
  return { id: violation.id, text: englishText(violation), type: 'error', ...context };
}

function englishText(violation: PolicyViolation): string {
  switch (violation.id) {
    case 4000032:
      return `The password must be at least ${violation.context.min_length} characters long, but got ${violation.context.actual_length}.`;
    case 4000033:
      return `The password must be at most ${violation.context.max_length} characters long, but got ${violation.context.actual_length}.`;
    case 4000031:
      return 'The password can not be used because it is too similar to the identifier.';
    case 4000034:
      return 'The password has been found in data breaches and must no longer be used.';
    case 4000005:
      return `The password can not be used because ${violation.context.reason}.`;
  }
}
