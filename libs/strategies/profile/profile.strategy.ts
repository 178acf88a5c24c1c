import { Injectable } from '@nestjs/common';
import {
  addNodeMessage,
  addUiMessage,
  type FlowContext,
  type RegistrationFlowEntity,
  type RegistrationResult,
  type RegistrationScreen,
  type RegistrationStrategy,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  type SettingsStrategy,
  setNodeValue,
  submitNode,
  traitMessage,
  type UiNode,
} from '../../flow/index.js';
import { type IdentityEntity, IdentityConflictError, IdentityService } from '../../identity/index.js';
import { IdentitySchemaRegistry, type LoadedIdentitySchema, traitNodes } from '../../schema/index.js';
import { SettingsText, Text } from '../../text/index.js';
import { coerceTraits } from '../password/index.js';
import { ProfileRegistration } from './profile-registration.js';
import { changesProtectedTraits } from './profile-settings.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `profile` method: in settings the identity's traits as a form, validated and saved; in
 * registration the first screen of `profile_first` (see ProfileRegistration).
 */
@Injectable()
export class ProfileStrategy implements SettingsStrategy, RegistrationStrategy {
  readonly id = 'profile';

  constructor(
    private readonly schemas: IdentitySchemaRegistry,
    private readonly identities: IdentityService,
    private readonly registration: ProfileRegistration,
  ) {}

  populateRegistration(flow: RegistrationFlowEntity, screen: RegistrationScreen): void {
    this.registration.populate(flow, screen);
  }

  register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    _ctx: FlowContext,
  ): Promise<RegistrationResult> {
    return Promise.resolve(this.registration.register(flow, body));
  }

  private schemaOf(identity: IdentityEntity): LoadedIdentitySchema {
    return this.schemas.find(identity.schemaId) ?? this.schemas.getDefault();
  }

  async populateSettings(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    const nodes = traitNodes(this.schemaOf(identity), identity.traits, 'profile') as unknown as UiNode[];
    flow.ui.nodes.push(...nodes, submitNode('profile', 'method', 'profile', SettingsText.save()));
  }

  async settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (body['method'] !== this.id) return { kind: 'not_responsible' };
    const schema = this.schemaOf(ctx.identity);
    if (!isObject(body['traits'])) {
      addNodeMessage(flow.ui, 'traits', Text.missingProperty('traits'));
      return { kind: 'invalid' };
    }
    const traits = coerceTraits(schema, body['traits']);
    for (const field of schema.fields) {
      const value = field.segments.reduce<unknown>(
        (cursor, s) => (isObject(cursor) ? cursor[s] : undefined),
        traits,
      );
      setNodeValue(flow.ui, `traits.${field.path}`, value);
    }
    const result = this.schemas.validateTraits(schema.id, traits);
    if (!result.ok) {
      for (const failure of result.errors) addNodeMessage(flow.ui, failure.path, traitMessage(failure));
      return { kind: 'invalid' };
    }
    if (!ctx.privileged && changesProtectedTraits(schema, ctx.identity.traits, traits)) {
      return { kind: 'privileged_session_required' };
    }
    try {
      return { kind: 'updated', identity: await this.identities.updateTraits(ctx.identity.id, traits) };
    } catch (error) {
      if (!(error instanceof IdentityConflictError)) throw error;
      addUiMessage(flow.ui, Text.duplicateIdentifier());
      return { kind: 'invalid' };
    }
  }
}
