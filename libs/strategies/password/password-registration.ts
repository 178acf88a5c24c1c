import { Injectable } from '@nestjs/common';
import {
  addNodeMessage,
  addUiMessage,
  type FlowContext,
  type RegistrationFlowEntity,
  type RegistrationResult,
  setNodeValue,
  traitMessage,
} from '../../flow/index.js';
import { PasswordHasher } from '../../hash/index.js';
import { IdentityConflictError, IdentityService, LoginHintsFinder } from '../../identity/index.js';
import { credentialIdentifiers, IdentitySchemaRegistry } from '../../schema/index.js';
import { Text } from '../../text/index.js';
import { SecretCheckGuard } from './brute-force.js';
import { PasswordPolicy, policyMessage } from './policy/index.js';
import { coerceTraits } from './trait-coercion.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sign-up with traits and a password: schema, identifiers, policy, hash, then one identity. */
@Injectable()
export class PasswordRegistration {
  constructor(
    private readonly identities: IdentityService,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly guard: SecretCheckGuard,
    private readonly hints: LoginHintsFinder,
  ) {}

  async register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    _ctx: FlowContext,
  ): Promise<RegistrationResult> {
    const schema = flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
    const traits = coerceTraits(schema, isObject(body['traits']) ? body['traits'] : {});
    for (const field of schema.fields) {
      const value = field.segments.reduce<unknown>(
        (cursor, s) => (isObject(cursor) ? cursor[s] : undefined),
        traits,
      );
      if (value !== undefined) setNodeValue(flow.ui, `traits.${field.path}`, value);
    }
    const password = body['password'];
    const result = this.schemas.validateTraits(schema.id, traits);
    let invalid = false;
    if (!result.ok) {
      for (const failure of result.errors) addNodeMessage(flow.ui, failure.path, traitMessage(failure));
      invalid = true;
    }
    if (typeof password !== 'string' || password === '') {
      addNodeMessage(flow.ui, 'password', Text.missingProperty('password'));
      invalid = true;
    }
    if (invalid) return { kind: 'invalid' };

    const identifiers = credentialIdentifiers(schema, traits).password;
    if (identifiers.length === 0) {
      addUiMessage(flow.ui, Text.noIdentifier());
      return { kind: 'invalid' };
    }
    const violation = await this.policy.check(password as string, identifiers);
    if (violation) {
      addNodeMessage(flow.ui, 'password', policyMessage(violation));
      return { kind: 'invalid' };
    }
    const hashed = await this.guard.hash(() => this.hasher.hash(password as string));
    try {
      const identity = await this.identities.create({
        schemaId: schema.id,
        traits,
        credentials: { password: { config: { hashed_password: hashed } } },
      });
      return { kind: 'created', identity, method: 'password' };
    } catch (error) {
      if (!(error instanceof IdentityConflictError)) throw error;
      addUiMessage(flow.ui, await this.hints.duplicateMessage(schema, traits));
      return { kind: 'invalid' };
    }
  }
}
