import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addNodeMessage,
  addUiMessage,
  type FlowContext,
  type RegistrationFlowEntity,
  type RegistrationResult,
  submitNode,
  traitMessage,
  type UiNode,
} from '../../flow/index.js';
import { SecretCipher } from '../../hash/index.js';
import {
  IdentityConflictError,
  IdentityService,
  InvalidIdentityError,
  type AddressVia,
} from '../../identity/index.js';
import { newId } from '../../persistence/index.js';
import { credentialIdentifiers, IdentitySchemaRegistry, traitNodes } from '../../schema/index.js';
import { OidcDuplicateError } from './oidc-linking.js';
import { Text } from '../../text/index.js';
import { OidcMapper } from './oidc-mapper.js';
import { OidcProviders } from './oidc-providers.js';
import { type OidcResume } from './oidc-resume.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sign-up from the provider's claims: the mapper's traits (form traits win key by key), schema
 * validation (invalid → the same flow, prefilled, with a "Continue" button), verified addresses
 * from the mapper only, and the `oidc` credential with its tokens sealed under the identity id.
 */
@Injectable()
export class OidcRegistration {
  private readonly cipher: SecretCipher;

  constructor(
    config: ConfigService,
    private readonly providers: OidcProviders,
    private readonly mapper: OidcMapper,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly identities: IdentityService,
  ) {
    const secrets = (path: string) => config.get<string[]>(path) ?? [];
    this.cipher = new SecretCipher([...secrets('secrets.cipher'), ...secrets('secrets.default')]);
  }

  async register(
    flow: RegistrationFlowEntity,
    resume: OidcResume,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    const provider = this.providers.get(resume.provider);
    const { claims, tokens } = resume.person;
    const mapped = await this.mapper.map(provider, claims);
    if (!mapped.ok) {
      addUiMessage(flow.ui, Text.reason(mapped.reason));
      return { kind: 'invalid' };
    }
    const traits = { ...mapped.identity.traits, ...(isObject(body['traits']) ? body['traits'] : {}) };
    const schema = flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
    const validation = this.schemas.validateTraits(schema.id, traits);
    if (!validation.ok) {
      this.continueForm(flow, resume.provider, traits);
      for (const failure of validation.errors) addNodeMessage(flow.ui, failure.path, traitMessage(failure));
      return { kind: 'invalid' };
    }
    const id = newId(ctx.now.getTime());
    const seal = (token: string) => (token ? this.cipher.encrypt(token, `oidc:${id}`) : '');
    try {
      const identity = await this.identities.create({
        id,
        schemaId: schema.id,
        traits,
        metadataPublic: mapped.identity.metadataPublic,
        metadataAdmin: mapped.identity.metadataAdmin,
        credentials: {
          oidc: {
            config: {
              providers: [
                {
                  provider: resume.provider,
                  subject: claims.sub,
                  initial_id_token: seal(tokens.id_token),
                  initial_access_token: seal(tokens.access_token),
                  initial_refresh_token: seal(tokens.refresh_token),
                },
              ],
            },
          },
        },
        verifiableAddresses: mapped.identity.verifiedAddresses.map((a) => ({
          via: a.via as AddressVia,
          value: a.value,
          verified: true,
          status: 'completed' as const,
          verified_at: ctx.now.toISOString(),
        })),
      });
      return { kind: 'created', identity, method: 'oidc', provider: resume.provider };
    } catch (error) {
      if (error instanceof IdentityConflictError) {
        const found = credentialIdentifiers(schema, traits);
        const duplicate = found.password[0] ?? found.code[0] ?? claims.email ?? '';
        throw new OidcDuplicateError(resume.provider, resume.person, duplicate);
      }
      if (error instanceof InvalidIdentityError) {
        this.continueForm(flow, resume.provider, traits);
        addUiMessage(flow.ui, Text.reason(error.message));
        return { kind: 'invalid' };
      }
      throw error;
    }
  }

  /** Kratos' reset after a flow error: CSRF, the traits filled in, the provider's "Continue". */
  private continueForm(
    flow: RegistrationFlowEntity,
    provider: string,
    traits: Record<string, unknown>,
  ): void {
    const schema = flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
    const csrf = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === 'csrf_token');
    flow.ui.nodes = [
      ...(csrf ? [csrf] : []),
      ...(traitNodes(schema, traits, 'oidc') as unknown as UiNode[]),
      submitNode('oidc', 'provider', provider, Text.continueSignUp()),
    ];
  }
}
