import { inputNode, submitNode, type UiNode } from '../../flow/index.js';
import { type LoadedIdentitySchema } from '../../schema/index.js';
import { loginIdentifierNode } from '../login-identifier.js';
import { Text } from '../../text/index.js';

export function loginNodes(schema: LoadedIdentitySchema, identifier = ''): UiNode[] {
  return [loginIdentifierNode(schema, identifier), ...passwordSignInNodes()];
}

/** The password and its submit button; identifier_first's step two has the identifier already. */
export function passwordSignInNodes(): UiNode[] {
  return [
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
