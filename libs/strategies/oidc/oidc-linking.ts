import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  type CredentialLinker,
  FlowFactory,
  type InputAttributes,
  type LoginFlowEntity,
} from '../../flow/index.js';
import { SecretCipher } from '../../hash/index.js';
import {
  type IdentityEntity,
  IdentityRepository,
  IdentityService,
  LoginHintsFinder,
} from '../../identity/index.js';
import { normalizeIdentifier } from '../../schema/index.js';
import { Text } from '../../text/index.js';
import { OidcProviders } from './oidc-providers.js';
import { type ProviderIdentity } from './providers/index.js';

const KEY = 'oidc_link';

/** An OIDC sign-up whose identifier another identity already has. */
export class OidcDuplicateError extends Error {
  constructor(
    readonly provider: string,
    readonly person: ProviderIdentity,
    readonly duplicateIdentifier: string,
  ) {
    super('The OpenID Connect identity conflicts with an existing identity.');
  }
}

interface HeldLink {
  provider: string;
  subject: string;
  duplicate_identifier: string;
  /** Sealed under `oidc-link:<login flow id>` until the owner signs in; resealed for the identity then. */
  tokens: Record<'id_token' | 'access_token' | 'refresh_token', string>;
}

const nameOf = (attributes: unknown) => String((attributes as InputAttributes).name ?? '');

/**
 * Kratos' account linking: the conflicting OIDC credential waits on a new login flow (message
 * 1010016, the identifier fixed); once the owner of that identifier signs in on the flow, it is
 * added to their identity. Failed sign-ins link nothing; another identity gets 4010009.
 */
@Injectable()
export class OidcLinking implements CredentialLinker {
  private readonly cipher: SecretCipher;

  constructor(
    config: ConfigService,
    private readonly providers: OidcProviders,
    private readonly factory: FlowFactory,
    private readonly repository: IdentityRepository,
    private readonly identities: IdentityService,
    private readonly hints: LoginHintsFinder,
  ) {
    const secrets = (path: string) => config.get<string[]>(path) ?? [];
    this.cipher = new SecretCipher([...secrets('secrets.cipher'), ...secrets('secrets.default')]);
  }

  /** Holds the credential on a fresh login flow and shapes its form (the caller saves it). */
  async hold(flow: LoginFlowEntity, duplicate: OidcDuplicateError): Promise<void> {
    const { provider, person, duplicateIdentifier } = duplicate;
    const context = `oidc-link:${flow.id}`;
    const held: HeldLink = {
      provider,
      subject: person.claims.sub,
      duplicate_identifier: duplicateIdentifier,
      tokens: {
        id_token: person.tokens.id_token ? this.cipher.encrypt(person.tokens.id_token, context) : '',
        access_token: person.tokens.access_token
          ? this.cipher.encrypt(person.tokens.access_token, context)
          : '',
        refresh_token: person.tokens.refresh_token
          ? this.cipher.encrypt(person.tokens.refresh_token, context)
          : '',
      },
    };
    flow.internalContext = { ...(flow.internalContext ?? {}), [KEY]: held };

    // Kratos tells which ways the account signs in only with `login_hints` on, and then offers
    // only those; otherwise the lists stay empty and every other method is offered.
    const existing = this.hints.enabled ? await this.owner(duplicateIdentifier) : null;
    const hints = existing ? this.hints.ofIdentity(existing, duplicateIdentifier) : null;
    const types = hints?.availableCredentialTypes ?? [];
    const linkedProviders = hints?.availableOidcProviders ?? [];
    const label = this.providers.labelOf(this.providers.get(provider));
    flow.ui.messages = [
      Text.linkExisting(duplicateIdentifier, label, {
        new_login_url: this.factory.uiUrl('login', flow.id),
        available_credential_types: types,
        available_providers: linkedProviders,
        availableCredentialTypes: types,
        availableProviders: linkedProviders,
      }),
    ];
    flow.ui.nodes = flow.ui.nodes.filter((n) => {
      if (n.group === 'default' || !n.meta.label) return true;
      const isProvider = n.group === 'oidc' && nameOf(n.attributes) === 'provider';
      const value = String((n.attributes as InputAttributes).value);
      if (isProvider && value === provider) return false;
      if (!hints) return true;
      if (isProvider && !linkedProviders.includes(value)) return false;
      return types.includes(n.group);
    });
    for (const node of flow.ui.nodes) {
      const attributes = node.attributes as InputAttributes;
      if (nameOf(attributes) === 'identifier') {
        Object.assign(attributes, { type: 'hidden', value: duplicateIdentifier });
        delete node.meta.label;
      } else if (node.group === 'oidc' && nameOf(attributes) === 'provider') {
        const other = String(attributes.value);
        const otherLabel = node.meta.label?.context?.['provider'];
        node.meta.label = Text.confirmWith(typeof otherLabel === 'string' ? otherLabel : other, other);
      } else if (nameOf(attributes) === 'method' && attributes.type === 'submit') {
        node.meta.label = Text.signInAndLink();
      }
    }
  }

  holds(flow: LoginFlowEntity): boolean {
    return Boolean(flow.internalContext?.[KEY]);
  }

  async link(flow: LoginFlowEntity, identity: IdentityEntity) {
    const held = flow.internalContext?.[KEY] as HeldLink | undefined;
    if (!held) return null;
    if (!this.owns(identity, held.duplicate_identifier)) {
      return { kind: 'mismatch' as const, text: Text.linkedCredentialsMismatch() };
    }
    const open = (sealed: string) => (sealed ? this.cipher.decrypt(sealed, `oidc-link:${flow.id}`) : '');
    const seal = (token: string) => (token ? this.cipher.encrypt(token, `oidc:${identity.id}`) : '');
    await this.identities.linkOidcProvider(identity.id, {
      provider: held.provider,
      subject: held.subject,
      initial_id_token: seal(open(held.tokens.id_token)),
      initial_access_token: seal(open(held.tokens.access_token)),
      initial_refresh_token: seal(open(held.tokens.refresh_token)),
    });
    const { [KEY]: _linked, ...rest } = flow.internalContext!;
    flow.internalContext = Object.keys(rest).length > 0 ? rest : null;
    return {
      kind: 'linked' as const,
      auth: { method: 'oidc', aal: 'aal1' as const, provider: held.provider },
    };
  }

  /** The identity that has the identifier as a login identifier or a verifiable address. */
  private async owner(identifier: string): Promise<IdentityEntity | null> {
    for (const type of ['password', 'code'] as const) {
      const credential = await this.repository.findCredentialByIdentifier(type, identifier);
      if (credential) return this.repository.findById(credential.identityId);
    }
    return null;
  }

  private owns(identity: IdentityEntity, identifier: string): boolean {
    const wanted = normalizeIdentifier(identifier);
    const identifiers = (identity.credentials ?? []).flatMap((c) => c.identifiers.map((i) => i.identifier));
    const addresses = (identity.verifiableAddresses ?? []).map((a) => a.value);
    return [...identifiers, ...addresses].some((value) => normalizeIdentifier(value) === wanted);
  }
}
