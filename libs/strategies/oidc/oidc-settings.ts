import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addUiMessage,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  submitNode,
  type UiNode,
} from '../../flow/index.js';
import { SecretCipher } from '../../hash/index.js';
import {
  type IdentityEntity,
  IdentityConflictError,
  IdentityRepository,
  IdentityService,
  InvalidIdentityError,
} from '../../identity/index.js';
import { SettingsText, Text } from '../../text/index.js';
import { OidcProviders } from './oidc-providers.js';
import { OidcStart } from './oidc-start.js';
import { oidcIdentifier, oidcResumeOf } from './oidc-resume.js';

/** The `<provider>:<subject>` connections an identity has, as `{provider, subject}`. */
export function connectionsOf(identity: IdentityEntity): { provider: string; subject: string }[] {
  const credential = identity.credentials?.find((c) => c.type === 'oidc');
  return (credential?.config['providers'] as { provider: string; subject: string }[] | undefined) ?? [];
}

/**
 * Kratos' count of first-factor credentials an identity could still sign in with: a password with
 * a hash, each OIDC connection, passkeys, and the passwordless code when it is enabled.
 */
function firstFactorCount(identity: IdentityEntity, codePasswordless: boolean): number {
  let count = connectionsOf(identity).length;
  for (const credential of identity.credentials ?? []) {
    if (credential.type === 'password' && typeof credential.config['hashed_password'] === 'string') count++;
    if (credential.type === 'passkey' || credential.type === 'saml') count++;
    if (credential.type === 'code' && codePasswordless) count++;
  }
  return count;
}

/** Linking and unlinking providers in the settings flow. */
@Injectable()
export class OidcSettings {
  private readonly cipher: SecretCipher;

  constructor(
    private readonly config: ConfigService,
    private readonly providers: OidcProviders,
    private readonly starter: OidcStart,
    private readonly repository: IdentityRepository,
    private readonly identities: IdentityService,
  ) {
    const secrets = (path: string) => config.get<string[]>(path) ?? [];
    this.cipher = new SecretCipher([...secrets('secrets.cipher'), ...secrets('secrets.default')]);
  }

  private codePasswordless(): boolean {
    return this.config.get<boolean>('selfservice.methods.code.passwordless_enabled') === true;
  }

  nodes(identity: IdentityEntity): UiNode[] {
    const linked = new Set(connectionsOf(identity).map((c) => c.provider));
    const canUnlink = firstFactorCount(identity, this.codePasswordless()) > 1;
    const nodes: UiNode[] = [];
    for (const provider of this.providers.all()) {
      const id = provider.config.id;
      const label = this.providers.labelOf(provider);
      if (!linked.has(id)) nodes.push(submitNode('oidc', 'link', id, SettingsText.linkProvider(label)));
      else if (canUnlink) nodes.push(submitNode('oidc', 'unlink', id, SettingsText.unlinkProvider(label)));
    }
    return nodes;
  }

  async settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    const resume = oidcResumeOf(ctx);
    if (resume) return this.linkReturned(flow, ctx, resume.provider, resume.person);
    const link = typeof body['link'] === 'string' ? body['link'] : '';
    const unlink = typeof body['unlink'] === 'string' ? body['unlink'] : '';
    if (link && unlink) {
      addUiMessage(flow.ui, Text.reason('Linking and unlinking a provider at once is not possible.'));
      return { kind: 'invalid' };
    }
    const linked = connectionsOf(ctx.identity);
    if (link) {
      const known = this.providers.all().some((p) => p.config.id === link);
      if (!known || linked.some((c) => c.provider === link)) {
        addUiMessage(
          flow.ui,
          Text.reason('can not link unknown or already existing OpenID Connect connection'),
        );
        return { kind: 'invalid' };
      }
      if (!ctx.privileged) return { kind: 'privileged_session_required' };
      const redirect = await this.starter.start(flow, 'settings', link, body, ctx);
      return redirect ? { kind: 'redirect', redirect } : { kind: 'invalid' };
    }
    if (!unlink) {
      addUiMessage(flow.ui, Text.reason('Choose a provider to link or unlink.'));
      return { kind: 'invalid' };
    }
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    const connection = linked.find((c) => c.provider === unlink);
    if (!connection) {
      addUiMessage(flow.ui, Text.reason('can not unlink non-existing OpenID Connect connection'));
      return { kind: 'invalid' };
    }
    if (firstFactorCount(ctx.identity, this.codePasswordless()) < 2) {
      addUiMessage(
        flow.ui,
        Text.reason(
          'can not unlink OpenID Connect connection because it is the last remaining first factor credential',
        ),
      );
      return { kind: 'invalid' };
    }
    try {
      await this.identities.deleteCredentials(
        ctx.identity.id,
        'oidc',
        oidcIdentifier(connection.provider, connection.subject),
      );
    } catch (error) {
      if (!(error instanceof InvalidIdentityError)) throw error;
      addUiMessage(flow.ui, Text.reason(error.message));
      return { kind: 'invalid' };
    }
    return { kind: 'updated', identity: await this.identities.get(ctx.identity.id) };
  }

  private async linkReturned(
    flow: SettingsFlowEntity,
    ctx: SettingsContext,
    provider: string,
    person: {
      claims: { sub: string };
      tokens: Record<'id_token' | 'access_token' | 'refresh_token', string>;
    },
  ): Promise<SettingsResult> {
    const owner = await this.repository.findCredentialByIdentifier(
      'oidc',
      oidcIdentifier(provider, person.claims.sub),
    );
    if (owner && owner.identityId !== ctx.identity.id) {
      addUiMessage(flow.ui, Text.duplicateOidcLink());
      return { kind: 'invalid' };
    }
    const seal = (token: string) => (token ? this.cipher.encrypt(token, `oidc:${ctx.identity.id}`) : '');
    try {
      const identity = await this.identities.linkOidcProvider(ctx.identity.id, {
        provider,
        subject: person.claims.sub,
        initial_id_token: seal(person.tokens.id_token),
        initial_access_token: seal(person.tokens.access_token),
        initial_refresh_token: seal(person.tokens.refresh_token),
      });
      return { kind: 'updated', identity, authenticated: { method: 'oidc', aal: 'aal1', provider } };
    } catch (error) {
      if (!(error instanceof IdentityConflictError)) throw error;
      addUiMessage(flow.ui, Text.duplicateOidcLink());
      return { kind: 'invalid' };
    }
  }
}
