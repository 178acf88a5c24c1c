import { Text } from '../../text/index.js';
import {
  addNodeMessage,
  type FlowContext,
  type IdentifierHint,
  type InputAttributes,
  type LoginFlowEntity,
  type LoginAnswer,
  type LoginStrategy,
  nodeNamed,
} from '../core/index.js';

/** `selfservice.flows.login.style: identifier_first` with a first-factor flow that does not know who signs in. */
export function asksIdentifierFirst(
  style: string | undefined,
  flow: LoginFlowEntity,
  refreshing: boolean,
): boolean {
  return style === 'identifier_first' && flow.requestedAal !== 'aal2' && !refreshing;
}

export type IdentifierFirstStep =
  /** Step two is on the flow. */
  | { kind: 'offered' }
  /** A method went straight on (the code method sent its code), or the account is unknown. */
  | { kind: 'answered'; result: LoginAnswer; method?: string };

const isStepOneSubmit = (attributes: InputAttributes) =>
  attributes.name === 'method' && attributes.type === 'submit';

/**
 * Step two of identifier_first login (Kratos' idfirst strategy): every method adds what the
 * identifier can use, or, mitigating account enumeration, what it could use if the account
 * existed. No method for the identifier and no mitigation: 4000037 on the identifier, still step
 * one. Otherwise the identifier stays on the form, hidden, and Continue goes.
 */
export async function offerMethods(
  strategies: LoginStrategy[],
  flow: LoginFlowEntity,
  hint: IdentifierHint,
  ctx: FlowContext,
): Promise<IdentifierFirstStep> {
  const usable: LoginStrategy[] = [];
  for (const strategy of strategies) {
    if (await strategy.populateIdentifierFirstCredentials?.(flow, hint)) usable.push(strategy);
  }
  const only = usable.length === 1 ? usable[0]! : undefined;
  const fast = only && !hint.mitigate ? await only.fastLogin?.(flow, hint, ctx) : null;
  if (fast) return { kind: 'answered', result: fast, method: only!.id };
  if (usable.length === 0 && !hint.mitigate) {
    addNodeMessage(flow.ui, 'identifier', Text.accountNotFound());
    return { kind: 'answered', result: { kind: 'invalid' } };
  }
  flow.ui.nodes = flow.ui.nodes.filter(
    (n) => !(n.group === 'identifier_first' && isStepOneSubmit(n.attributes as InputAttributes)),
  );
  const identifier = nodeNamed(flow.ui, 'identifier');
  if (identifier) Object.assign(identifier.attributes, { type: 'hidden', autocomplete: 'username webauthn' });
  return { kind: 'offered' };
}
