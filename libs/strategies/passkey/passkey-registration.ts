import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addNodeMessage,
  addUiMessage,
  type FlowContext,
  type RegistrationFlowEntity,
  type RegistrationResult,
  setNodeValue,
  submitNode,
  traitMessage,
} from '../../flow/index.js';
import { IdentityConflictError, IdentityService, LoginHintsFinder } from '../../identity/index.js';
import {
  identifierFields,
  IdentitySchemaRegistry,
  type LoadedIdentitySchema,
  passkeyDisplayName,
} from '../../schema/index.js';
import { WebAuthnText } from '../../text/index.js';
import { coerceTraits } from '../password/index.js';
import {
  creationOptions,
  hiddenNode,
  methodEnabled,
  newChallenge,
  newUserHandle,
  relyingParty,
  rememberCeremony,
  scriptNode,
  triggerNode,
  verifyAttestation,
  CeremonyStore,
  passkeyUserVerification,
} from '../webauthn/index.js';

const CEREMONY = 'passkey_register';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sign-up with a passkey. On the one-step form in two rounds on one flow: the traits first
 * (`method=passkey`; the flow comes back with the creation options bound to a new user handle),
 * then the attestation, which creates the identity. On `profile_first`'s credentials screen the
 * traits are known already: it carries the creation options and the trigger at once, as Kratos'
 * PopulateRegistrationMethodCredentials, and the attestation alone signs up.
 */
@Injectable()
export class PasskeyRegistration {
  constructor(
    private readonly config: ConfigService,
    private readonly ceremonies: CeremonyStore,
    private readonly identities: IdentityService,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly hints: LoginHintsFinder,
  ) {}

  populate(
    flow: RegistrationFlowEntity,
    screen: 'unified' | 'credentials',
    traits: Record<string, unknown>,
  ): void {
    if (!methodEnabled(this.config, 'passkey') || flow.type !== 'browser') return;
    if (screen === 'credentials') {
      const schema = this.schemaOf(flow);
      this.offerCreation(flow, schema, this.displayName(schema, traits));
      return;
    }
    flow.ui.nodes.push(submitNode('passkey', 'method', 'passkey', WebAuthnText.registerWithPasskey()));
  }

  private schemaOf(flow: RegistrationFlowEntity): LoadedIdentitySchema {
    return flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
  }

  async register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    const attestation = body['passkey_register'];
    const responsible =
      body['method'] === 'passkey' || (body['method'] === undefined && Boolean(attestation));
    if (!responsible || !methodEnabled(this.config, 'passkey') || flow.type !== 'browser')
      return { kind: 'not_responsible' };
    const schema = this.schemaOf(flow);
    const traits = coerceTraits(schema, isObject(body['traits']) ? body['traits'] : {});
    for (const field of schema.fields) {
      const value = field.segments.reduce<unknown>((c, s) => (isObject(c) ? c[s] : undefined), traits);
      if (value !== undefined) setNodeValue(flow.ui, `traits.${field.path}`, value);
    }
    const result = this.schemas.validateTraits(schema.id, traits);
    if (!result.ok) {
      for (const failure of result.errors) addNodeMessage(flow.ui, failure.path, traitMessage(failure));
      return { kind: 'invalid' };
    }
    const userName = this.displayName(schema, traits);
    if (typeof attestation !== 'string' || attestation === '') {
      this.offerCreation(flow, schema, userName);
      return { kind: 'invalid' };
    }
    const ceremony = await this.ceremonies.take(flow, CEREMONY);
    const key = ceremony?.user_handle
      ? await verifyAttestation(attestation, ceremony, relyingParty(this.config, 'passkey'), {
          displayName: userName,
          passwordless: true,
          now: ctx.now,
          requireUserVerification: passkeyUserVerification(this.config) === 'required',
        })
      : null;
    this.offerCreation(flow, schema, userName);
    if (!key || !ceremony?.user_handle) {
      addNodeMessage(flow.ui, 'passkey_register', WebAuthnText.verifierWrong());
      return { kind: 'invalid' };
    }
    try {
      const identity = await this.identities.create({
        schemaId: schema.id,
        traits,
        builtCredentials: [
          {
            type: 'passkey',
            config: { credentials: [key.key], user_handle: ceremony.user_handle },
            identifiers: [ceremony.user_handle],
          },
        ],
      });
      return { kind: 'created', identity, method: 'passkey' };
    } catch (error) {
      if (!(error instanceof IdentityConflictError)) throw error;
      addUiMessage(flow.ui, await this.hints.duplicateMessage(schema, traits));
      return { kind: 'invalid' };
    }
  }

  private displayName(schema: LoadedIdentitySchema, traits: Record<string, unknown>): string {
    const named = passkeyDisplayName(schema, traits);
    if (named) return named;
    const field = this.displayField(schema);
    const value = field?.segments.reduce<unknown>((c, s) => (isObject(c) ? c[s] : undefined), traits);
    return typeof value === 'string' && value !== '' ? value : 'passkey';
  }

  private displayField(schema: LoadedIdentitySchema) {
    const marked = schema.fields.find((f) => f.extension.credentials?.passkey?.display_name);
    return marked ?? identifierFields(schema)[0] ?? schema.fields[0];
  }

  /** The second round's nodes, with a fresh challenge and user handle remembered on the flow. */
  private offerCreation(flow: RegistrationFlowEntity, schema: LoadedIdentitySchema, userName: string): void {
    const userHandle = newUserHandle();
    const challenge = newChallenge();
    rememberCeremony(flow, CEREMONY, { challenge, user_handle: userHandle });
    const residentKey =
      this.config.get<'required' | 'preferred' | 'discouraged'>(
        'selfservice.methods.passkey.config.authenticator_selection.resident_key',
      ) ?? 'required';
    const userVerification = passkeyUserVerification(this.config);
    const options = creationOptions({
      rp: relyingParty(this.config, 'passkey'),
      challenge,
      userHandle,
      userName,
      exclude: [],
      residentKey,
      userVerification,
    });
    const field = this.displayField(schema);
    const createData = {
      credentialOptions: options,
      ...(field ? { displayNameFieldName: `traits.${field.path}` } : {}),
    };
    const keep = new Set(['passkey_create_data', 'passkey_register', 'passkey_register_trigger']);
    flow.ui.nodes = flow.ui.nodes.filter(
      (n) => !(n.group === 'passkey' && keep.has(String(n.attributes['name']))) && n.type !== 'script',
    );
    flow.ui.nodes.push(
      scriptNode('passkey', this.config.url('public', '/.well-known/ory/webauthn.js')),
      hiddenNode('passkey', 'passkey_create_data', JSON.stringify(createData)),
      hiddenNode('passkey', 'passkey_register'),
      triggerNode(
        'passkey',
        'passkey_register_trigger',
        'oryPasskeyRegistration',
        WebAuthnText.registerWithPasskey(),
      ),
    );
  }
}
