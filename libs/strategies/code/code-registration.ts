import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import {
  addNodeMessage,
  addUiMessage,
  CodeLimits,
  CodeMailer,
  type FlowContext,
  OneTimeCodes,
  type RegistrationFlowEntity,
  type RegistrationResult,
  setNodeValue,
  submitNode,
  traitMessage,
} from '../../flow/index.js';
import { ConfigService } from '../../config/index.js';
import { IdentityConflictError, IdentityService, LoginHintsFinder } from '../../identity/index.js';
import { Database } from '../../persistence/index.js';
import { codeAddresses, IdentitySchemaRegistry } from '../../schema/index.js';
import { CodeText, Text } from '../../text/index.js';
import { coerceTraits } from '../password/index.js';
import { toCodeStep } from './code-nodes.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Sign-up with a one-time code: step 1 `traits` sends `registration_code_valid` to the code
 * addresses (400 with the flow, state sent_email); step 2 the same `traits` and the `code` create
 * the identity, its code address verified by the code. Under `profile_first` the code step offers
 * `screen=credential-selection`, back to the other methods.
 */
@Injectable()
export class CodeRegistration {
  constructor(
    private readonly schemas: IdentitySchemaRegistry,
    private readonly identities: IdentityService,
    private readonly codes: OneTimeCodes,
    private readonly mailer: CodeMailer,
    private readonly limits: CodeLimits,
    private readonly db: Database,
    private readonly config: ConfigService,
    private readonly hints: LoginHintsFinder,
  ) {}

  async register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    const schema = flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
    const traits = coerceTraits(schema, isObject(body['traits']) ? body['traits'] : {});
    for (const field of schema.fields) {
      const value = field.segments.reduce<unknown>((c, s) => (isObject(c) ? c[s] : undefined), traits);
      if (value !== undefined) setNodeValue(flow.ui, `traits.${field.path}`, value);
    }
    const validation = this.schemas.validateTraits(schema.id, traits);
    if (!validation.ok) {
      for (const failure of validation.errors) addNodeMessage(flow.ui, failure.path, traitMessage(failure));
      return { kind: 'invalid' };
    }
    const addresses = codeAddresses(schema, traits);
    if (addresses.length === 0) {
      addUiMessage(flow.ui, Text.noIdentifier());
      return { kind: 'invalid' };
    }
    const code = typeof body['code'] === 'string' ? body['code'].trim() : '';
    if (flow.state === 'sent_email' && code && body['resend'] !== 'code') {
      if (!isDeepStrictEqual(flow.internalContext?.['code_traits'], traits)) {
        addUiMessage(flow.ui, CodeText.traitsMismatch());
        return { kind: 'invalid' };
      }
      return this.create(flow, schema.id, traits, addresses, code, ctx);
    }
    await this.db.transaction(async () => {
      // A code per address: the one entered tells which address it proves (as Kratos does).
      const secrets = await this.codes.issueEach(
        'registration_code',
        flow.id,
        addresses.map((address) => ({ address: address.value, via: address.via, identityId: null })),
        flow.expiresAt,
      );
      for (const [n, address] of addresses.entries()) {
        const allowed = await this.limits.maySend(address.value, ctx.device.ipAddress);
        const secret = secrets[n]!;
        if (allowed && address.via === 'email') {
          await this.mailer.send({
            template: 'registration_code_valid',
            to: address.value,
            via: 'email',
            flow,
            identity: null,
            fields: { RegistrationCode: secret, Traits: traits },
          });
        }
      }
    });
    flow.state = 'sent_email';
    flow.internalContext = { ...flow.internalContext, code_traits: traits };
    toCodeStep(flow.ui, (name) => name.startsWith('traits.'), CodeText.labelRegistrationCode());
    // `profile_first`: back to the credential methods for the same traits (Kratos' code back node).
    if (this.config.registrationStyle === 'profile_first')
      flow.ui.nodes.push(submitNode('profile', 'screen', 'credential-selection', Text.signUpBack()));
    addUiMessage(flow.ui, CodeText.registrationCodeSent());
    return { kind: 'invalid' };
  }

  private async create(
    flow: RegistrationFlowEntity,
    schemaId: string,
    traits: unknown,
    addresses: { value: string; via: 'email' | 'sms' }[],
    code: string,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    const lifespan = flow.expiresAt.getTime() - flow.issuedAt.getTime();
    const redeemed = await this.limits.tryCode(
      {
        scope: 'registration_code',
        flowId: flow.id,
        lifespanMs: lifespan,
        identifier: flow.id,
        ip: ctx.device.ipAddress,
      },
      () => this.codes.redeem('registration_code', flow.id, code),
      () => this.codes.invalidate('registration_code', flow.id),
    );
    if (!redeemed) {
      addUiMessage(flow.ui, CodeText.registrationCodeInvalid());
      return { kind: 'invalid' };
    }
    const proven = addresses.find((a) => a.value === redeemed.address);
    try {
      const identity = await this.identities.create({
        schemaId,
        traits,
        verifiableAddresses: proven
          ? [
              {
                value: proven.value,
                via: proven.via,
                verified: true,
                status: 'completed',
                verified_at: new Date().toISOString(),
              },
            ]
          : [],
      });
      return { kind: 'created', identity, method: 'code' };
    } catch (error) {
      if (!(error instanceof IdentityConflictError)) throw error;
      addUiMessage(flow.ui, await this.hints.duplicateMessage(this.schemas.get(schemaId), traits));
      return { kind: 'invalid' };
    }
  }
}
