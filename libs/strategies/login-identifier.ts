import {
  inputNode,
  type InputAttributes,
  type LoginFlowEntity,
  nodeNamed,
  type UiNode,
} from '../flow/index.js';
import { identifierFields, type IdentitySchemaRegistry, type LoadedIdentitySchema } from '../schema/index.js';
import { Text } from '../text/index.js';

/** The login identifier's label: the single identifier trait's title, else "ID". */
function identifierLabel(schema: LoadedIdentitySchema) {
  const fields = identifierFields(schema);
  const title = fields.length === 1 ? fields[0]!.schema['title'] : undefined;
  return typeof title === 'string' ? Text.labelTrait(title, `traits.${fields[0]!.path}`) : Text.labelId();
}

/** The first-factor `identifier` input every sign-in method shares (group `default`). */
export function loginIdentifierNode(schema: LoadedIdentitySchema, value = '', autocomplete?: string): UiNode {
  return inputNode(
    'default',
    { name: 'identifier', type: 'text', value, required: true, ...(autocomplete ? { autocomplete } : {}) },
    identifierLabel(schema),
  );
}

/**
 * Adds the identifier input when no earlier method did (a passwordless-only setup), labelled
 * from the flow's schema; `autocomplete` is set on it either way.
 */
export function ensureLoginIdentifier(
  flow: LoginFlowEntity,
  schemas: IdentitySchemaRegistry,
  autocomplete?: string,
): void {
  const existing = nodeNamed(flow.ui, 'identifier');
  if (existing) {
    if (autocomplete) (existing.attributes as InputAttributes).autocomplete = autocomplete;
    return;
  }
  const schema = flow.identitySchema ? schemas.get(flow.identitySchema) : schemas.getDefault();
  flow.ui.nodes.push(loginIdentifierNode(schema, '', autocomplete));
}
