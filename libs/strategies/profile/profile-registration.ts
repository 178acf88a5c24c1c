import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addNodeMessage,
  addUiMessage,
  type RegistrationFlowEntity,
  type RegistrationResult,
  type RegistrationScreen,
  setNodeValue,
  submitNode,
  traitMessage,
} from '../../flow/index.js';
import { IdentitySchemaRegistry } from '../../schema/index.js';
import { Text } from '../../text/index.js';
import { coerceTraits } from '../password/index.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `profile_first` registration (Kratos' `selfservice/strategy/profile`): the first screen asks for
 * the traits only (`method=profile`); once they are valid against the identity schema the second
 * screen carries them as hidden inputs next to every credential method, with `screen=previous` to
 * go back and change them. `screen=credential-selection` (the code step's back button) returns to
 * the second screen. Under `style: unified` this method takes no part.
 */
@Injectable()
export class ProfileRegistration {
  constructor(
    private readonly config: ConfigService,
    private readonly schemas: IdentitySchemaRegistry,
  ) {}

  populate(flow: RegistrationFlowEntity, screen: RegistrationScreen): void {
    if (screen === 'profile') {
      flow.ui.nodes.push(submitNode('profile', 'method', 'profile', Text.signUp()));
    } else if (screen === 'credentials') {
      // The traits were given on the first screen: they travel along, out of sight.
      for (const node of flow.ui.nodes) {
        if (node.group === 'default' && node.type === 'input') node.attributes['type'] = 'hidden';
      }
      flow.ui.nodes.push(submitNode('profile', 'screen', 'previous', Text.signUpBack()));
      addUiMessage(flow.ui, Text.chooseCredentials());
    }
  }

  register(flow: RegistrationFlowEntity, body: Record<string, unknown>): RegistrationResult {
    if (this.config.registrationStyle !== 'profile_first') return { kind: 'not_responsible' };
    const method = body['method'];
    const screen = typeof body['screen'] === 'string' ? body['screen'] : '';
    if (method !== 'profile' && method !== 'profile:back' && screen === '')
      return { kind: 'not_responsible' };
    const schema = flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
    const traits = coerceTraits(schema, isObject(body['traits']) ? body['traits'] : {});
    // Kratos' "profile:back" is the former name of `screen=previous`.
    if (screen === 'previous' || (method === 'profile:back' && screen === ''))
      return { kind: 'screen', screen: 'profile', traits };
    if (screen !== '' && screen !== 'credential-selection') {
      addNodeMessage(
        flow.ui,
        'screen',
        Text.reason('value must be one of "credential-selection", "previous"'),
      );
      return { kind: 'invalid' };
    }
    for (const field of schema.fields) {
      const value = field.segments.reduce<unknown>((c, s) => (isObject(c) ? c[s] : undefined), traits);
      if (value !== undefined) setNodeValue(flow.ui, `traits.${field.path}`, value);
    }
    const validation = this.schemas.validateTraits(schema.id, traits);
    if (!validation.ok) {
      for (const failure of validation.errors) addNodeMessage(flow.ui, failure.path, traitMessage(failure));
      return { kind: 'invalid' };
    }
    return { kind: 'screen', screen: 'credentials', traits };
  }
}
