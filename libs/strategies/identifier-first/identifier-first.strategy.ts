import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addNodeMessage,
  type InputAttributes,
  type LoginAudience,
  type LoginFlowEntity,
  type LoginResult,
  type LoginStrategy,
  setNodeValue,
  submitNode,
} from '../../flow/index.js';
import { IdentityRepository } from '../../identity/index.js';
import { IdentitySchemaRegistry, normalizeIdentifier } from '../../schema/index.js';
import { CodeText, Text } from '../../text/index.js';
import { loginIdentifierNode } from '../login-identifier.js';

/** Longest identifier echoed back into the form (no stored identifier is longer than 255). */
const MAX_ECHO = 4096;

const jsonType = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'object'
        ? 'object'
        : typeof value;

/**
 * `selfservice.flows.login.style: identifier_first` (Kratos' idfirst strategy): step one asks for
 * the identifier only (group `identifier_first`, `method=identifier_first`); submitting it looks
 * the identifier up and hands the flow on to step two, where every method shows what the
 * identifier can use. With `security.account_enumeration.mitigate` nobody looks: step two offers
 * every configured method, account or not.
 */
@Injectable()
export class IdentifierFirstStrategy implements LoginStrategy {
  readonly id = 'identifier_first';

  constructor(
    private readonly config: ConfigService,
    private readonly identities: IdentityRepository,
    private readonly schemas: IdentitySchemaRegistry,
  ) {}

  private get enabled(): boolean {
    return this.config.get<string>('selfservice.flows.login.style') === 'identifier_first';
  }

  /** The one-step form has no part for this method. */
  populateLogin(_flow: LoginFlowEntity, _audience: LoginAudience): Promise<void> {
    return Promise.resolve();
  }

  /** The identifier (autofill for passkeys too) and Continue; an identifier a method added moves here. */
  populateIdentification(flow: LoginFlowEntity): Promise<void> {
    const schema = flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
    const identifier = {
      ...loginIdentifierNode(schema, '', 'username webauthn'),
      group: 'identifier_first' as const,
    };
    const at = flow.ui.nodes.findIndex((n) => (n.attributes as InputAttributes).name === 'identifier');
    if (at >= 0) flow.ui.nodes[at] = identifier;
    else flow.ui.nodes.push(identifier);
    flow.ui.nodes.push(submitNode('identifier_first', 'method', this.id, CodeText.labelContinue()));
    return Promise.resolve();
  }

  /** Kratos asks this method with whatever no other method took, on first-factor flows. */
  async login(flow: LoginFlowEntity, body: Record<string, unknown>): Promise<LoginResult> {
    if (!this.enabled || flow.requestedAal === 'aal2') return { kind: 'not_responsible' };
    const raw = body['identifier'] ?? '';
    if (typeof raw !== 'string') {
      addNodeMessage(flow.ui, 'identifier', Text.reason(`expected string, but got ${jsonType(raw)}`));
      return { kind: 'invalid' };
    }
    setNodeValue(flow.ui, 'identifier', raw.slice(0, MAX_ECHO));
    if ('identifier' in body && raw === '') {
      addNodeMessage(flow.ui, 'identifier', Text.tooShort(1, 0));
      return { kind: 'invalid' };
    }
    const mitigate = this.config.get<boolean>('security.account_enumeration.mitigate') === true;
    // Mitigated, the answer must not depend on the account: it is never looked up.
    const identity = mitigate
      ? null
      : await this.identities.findByCredentialIdentifier(normalizeIdentifier(raw));
    return { kind: 'identifier_first', hint: { identifier: raw, identity, mitigate } };
  }
}
