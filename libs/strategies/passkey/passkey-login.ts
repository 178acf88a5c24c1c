import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addUiMessage,
  type FlowContext,
  type IdentifierHint,
  type LoginAudience,
  type LoginFlowEntity,
  type LoginResult,
} from '../../flow/index.js';
import { IdentityRepository } from '../../identity/index.js';
import { IdentitySchemaRegistry } from '../../schema/index.js';
import { Text, WebAuthnText } from '../../text/index.js';
import { ensureLoginIdentifier } from '../login-identifier.js';
import {
  assertedUserHandle,
  hiddenNode,
  KeyStore,
  methodEnabled,
  newChallenge,
  onloadNode,
  relyingParty,
  rememberCeremony,
  requestOptions,
  scriptNode,
  triggerNode,
  CeremonyStore,
  passkeyUserVerification,
  type UserVerification,
} from '../webauthn/index.js';

const CEREMONY = 'passkey_login';

/** Sign-in with a discoverable key: the assertion's user handle names the identity. */
@Injectable()
export class PasskeyLogin {
  constructor(
    private readonly config: ConfigService,
    private readonly ceremonies: CeremonyStore,
    private readonly identities: IdentityRepository,
    private readonly keys: KeyStore,
    private readonly schemas: IdentitySchemaRegistry,
  ) {}

  populate(flow: LoginFlowEntity, { identity }: LoginAudience): Promise<void> {
    if (!methodEnabled(this.config, 'passkey') || flow.type !== 'browser') return Promise.resolve();
    // Passkeys are a first factor: not offered to step up to aal2.
    if (flow.requestedAal === 'aal2' && !flow.refresh) return Promise.resolve();
    const allow = identity && flow.refresh ? this.keys.configOf(identity, 'passkey').credentials : [];
    if (identity && flow.refresh && allow.length === 0) return Promise.resolve();
    this.discoverable(flow, allow, true);
    return Promise.resolve();
  }

  /** identifier_first, step one: the challenge and the autofill on the identifier, no button yet. */
  populateIdentification(flow: LoginFlowEntity): Promise<void> {
    if (methodEnabled(this.config, 'passkey') && flow.type === 'browser') this.discoverable(flow, [], false);
    return Promise.resolve();
  }

  /** identifier_first, step two: the button, when the identity has a passkey (or mitigating). */
  populateIdentifierFirstCredentials(flow: LoginFlowEntity, hint: IdentifierHint): Promise<boolean> {
    if (!methodEnabled(this.config, 'passkey')) return Promise.resolve(false);
    const usable = hint.identity
      ? this.keys.configOf(hint.identity, 'passkey').credentials.length > 0
      : false;
    // Passkeys are offered to browsers only; the ceremony nodes came with step one.
    if ((usable || hint.mitigate) && flow.type === 'browser') flow.ui.nodes.push(this.trigger());
    return Promise.resolve(usable);
  }

  private trigger() {
    return triggerNode(
      'passkey',
      'passkey_login_trigger',
      'oryPasskeyLogin',
      WebAuthnText.loginWithPasskey(),
    );
  }

  /** A fresh challenge, the hidden nodes that carry it and the assertion back, and the script. */
  private discoverable(
    flow: LoginFlowEntity,
    allow: ReturnType<KeyStore['configOf']>['credentials'],
    withTrigger: boolean,
  ): void {
    flow.ui.nodes = flow.ui.nodes.filter((n) => n.group !== 'passkey');
    const challenge = newChallenge();
    rememberCeremony(flow, CEREMONY, { challenge });
    const options = requestOptions(
      relyingParty(this.config, 'passkey'),
      challenge,
      allow,
      this.verification(),
    );
    // A fresh sign-in also offers the browser's passkey autofill (conditional UI) on the identifier.
    const conditional = !flow.refresh;
    if (conditional) ensureLoginIdentifier(flow, this.schemas, 'username webauthn');
    flow.ui.nodes.push(
      hiddenNode('passkey', 'passkey_challenge', JSON.stringify(options)),
      conditional
        ? onloadNode('passkey', 'passkey_login', 'oryPasskeyLoginAutocompleteInit')
        : hiddenNode('passkey', 'passkey_login'),
      ...(withTrigger ? [this.trigger()] : []),
      scriptNode('passkey', this.config.url('public', '/.well-known/ory/webauthn.js')),
    );
  }

  private verification(): UserVerification {
    return passkeyUserVerification(this.config);
  }

  async login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    const submitted = body['passkey_login'];
    const responsible = body['method'] === 'passkey' || (body['method'] === undefined && Boolean(submitted));
    if (!responsible || !methodEnabled(this.config, 'passkey')) return { kind: 'not_responsible' };
    if (typeof submitted !== 'string' || submitted === '') {
      addUiMessage(flow.ui, Text.missingProperty('passkey_login'));
      return { kind: 'invalid' };
    }
    const ceremony = await this.ceremonies.take(flow, CEREMONY);
    const audience =
      ctx.session && flow.refresh ? await this.identities.findById(ctx.session.identityId) : null;
    await this.populate(flow, { session: ctx.session, identity: audience });
    const handle = assertedUserHandle(submitted);
    const credential = handle ? await this.identities.findCredentialByIdentifier('passkey', handle) : null;
    const identity = credential ? await this.identities.findById(credential.identityId) : null;
    const wrongPerson = audience !== null && identity !== null && audience.id !== identity.id;
    if (!ceremony || !identity || wrongPerson) {
      addUiMessage(flow.ui, Text.invalidCredentials());
      return { kind: 'invalid' };
    }
    const updated = await this.keys.assert(identity, 'passkey', submitted, {
      ceremony,
      rp: relyingParty(this.config, 'passkey'),
      keys: this.keys.configOf(identity, 'passkey').credentials,
      requireUserVerification: this.verification() === 'required',
    });
    if (!updated) {
      addUiMessage(flow.ui, Text.invalidCredentials());
      return { kind: 'invalid' };
    }
    return { kind: 'identified', identity: updated, method: 'passkey', aal: 'aal1' };
  }
}
