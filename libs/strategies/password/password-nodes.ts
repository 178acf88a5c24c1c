import { inputNode, submitNode, type UiNode } from '../../flow/index.js';
import { identifierFields, type LoadedIdentitySchema } from '../../schema/index.js';
import { Text } from '../../text/index.js';

/** The login identifier's label: the single identifier trait's title, else "ID". */
function identifierLabel(schema: LoadedIdentitySchema) {
  const fields = identifierFields(schema);
  const title = fields.length === 1 ? fields[0]!.schema['title'] : undefined;
  return typeof title === 'string' ? Text.labelTrait(title, `traits.${fields[0]!.path}`) : Text.labelId();
}

export function loginNodes(schema: LoadedIdentitySchema, identifier = ''): UiNode[] {
  return [
    inputNode(
      'default',
      { name: 'identifier', type: 'text', value: identifier, required: true },
      identifierLabel(schema),
    ),
    inputNode(
      'password',
      { name: 'password', type: 'password', required: true, autocomplete: 'current-password' },
      Text.labelPassword(),
    ),
    submitNode('password', 'method', 'password', Text.signInWithPassword()),
  ];
}

/** Confirming it is really them: the signed-in identifier is fixed, only the password is asked. */
export function refreshNodes(identifier: string): UiNode[] {
  return [
    inputNode('default', { name: 'identifier', type: 'hidden', value: identifier, required: true }),
    inputNode(
      'password',
      { name: 'password', type: 'password', required: true, autocomplete: 'current-password' },
      Text.labelPassword(),
    ),
    submitNode('password', 'method', 'password', Text.signIn()),
  ];
}

export function registrationNodes(): UiNode[] {
  return [
    inputNode(
      'password',
      { name: 'password', type: 'password', required: true, autocomplete: 'new-password' },
      Text.labelPassword(),
    ),
    submitNode('password', 'method', 'password', Text.signUp()),
  ];
}
