import { Injectable } from '@nestjs/common';
import {
  addNodeMessage,
  inputNode,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  submitNode,
  type UiNode,
} from '../../flow/index.js';
import { PasswordHasher } from '../../hash/index.js';
import { type IdentityEntity, IdentityService } from '../../identity/index.js';
import { credentialIdentifiers, IdentitySchemaRegistry } from '../../schema/index.js';
import { SettingsText, Text } from '../../text/index.js';
import { SecretCheckGuard } from './brute-force.js';
import { PasswordPolicy, policyMessage } from './policy/index.js';

export function passwordSettingsNodes(): UiNode[] {
  return [
    inputNode(
      'password',
      { name: 'password', type: 'password', required: true, autocomplete: 'new-password' },
      Text.labelPassword(),
    ),
    submitNode('password', 'method', 'password', SettingsText.save()),
  ];
}

/**
 * A new password from a signed-in identity: only on a privileged session, never the current one
 * again, the registration policy, then the new hash (a first password after passwordless sign-up
 * creates the credential).
 */
@Injectable()
export class PasswordSettings {
  constructor(
    private readonly identities: IdentityService,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly guard: SecretCheckGuard,
  ) {}

  async settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    const password = body['password'];
    if (typeof password !== 'string' || password === '') {
      addNodeMessage(flow.ui, 'password', Text.missingProperty('password'));
      return { kind: 'invalid' };
    }
    if (await this.isCurrent(ctx.identity, password, ctx.device.ipAddress)) {
      addNodeMessage(flow.ui, 'password', SettingsText.samePassword());
      return { kind: 'invalid' };
    }
    const schema = this.schemas.find(ctx.identity.schemaId) ?? this.schemas.getDefault();
    const identifiers = credentialIdentifiers(schema, ctx.identity.traits).password;
    const violation = await this.policy.check(password, identifiers);
    if (violation) {
      addNodeMessage(flow.ui, 'password', policyMessage(violation));
      return { kind: 'invalid' };
    }
    const hashed = await this.guard.hash(() => this.hasher.hash(password));
    return { kind: 'updated', identity: await this.identities.setPasswordHash(ctx.identity.id, hashed) };
  }

  /** Compares with the stored hash (the hasher's comparison is constant-time); counted like a login. */
  private async isCurrent(identity: IdentityEntity, password: string, ip: string | null): Promise<boolean> {
    const hashed = identity.credentials?.find((c) => c.type === 'password')?.config['hashed_password'];
    if (typeof hashed !== 'string') return false;
    if (Buffer.byteLength(password) > 4096) return false;
    return this.guard.check('settings_password', identity.id, ip, () =>
      this.guard.hash(() => this.hasher.verify(password, hashed).catch(() => false)),
    );
  }
}
