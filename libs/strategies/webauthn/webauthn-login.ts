import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addUiMessage,
  type FlowContext,
  type LoginAudience,
  type LoginFlowEntity,
  type LoginResult,
} from '../../flow/index.js';
import { type IdentityEntity, IdentityService } from '../../identity/index.js';
import { WebAuthnText } from '../../text/index.js';
import { methodEnabled, relyingParty } from './relying-party.js';
import { rememberCeremony, requestOptions } from './webauthn-ceremony.js';
import { newChallenge, type StoredKey, webAuthnConfig } from './webauthn-credentials.js';
import { CeremonyStore } from './ceremony-store.js';
import { KeyStore } from './key-store.js';
import { hiddenNode, scriptNode, triggerNode } from './webauthn-nodes.js';

const CEREMONY = 'webauthn_login';

/** The security key as a second factor: offered on aal2 flows of identities that have one. */
@Injectable()
export class WebAuthnLogin {
  constructor(
    private readonly config: ConfigService,
    private readonly ceremonies: CeremonyStore,
    private readonly identities: IdentityService,
    private readonly keys: KeyStore,
  ) {}

  private mfaKeys(identity: IdentityEntity): StoredKey[] {
    const credential = identity.credentials?.find((c) => c.type === 'webauthn');
    return webAuthnConfig(credential?.config).credentials.filter((k) => !k.is_passwordless);
  }

  async populate(flow: LoginFlowEntity, { identity }: LoginAudience): Promise<void> {
    if (!methodEnabled(this.config, 'webauthn') || flow.requestedAal !== 'aal2' || !identity) return;
    const keys = this.mfaKeys(identity);
    if (keys.length === 0) return;
    flow.ui.nodes = flow.ui.nodes.filter((n) => n.group !== 'webauthn');
    const challenge = newChallenge();
    rememberCeremony(flow, CEREMONY, { challenge });
    const options = JSON.stringify(
      requestOptions(relyingParty(this.config, 'webauthn'), challenge, keys, 'discouraged'),
    );
    flow.ui.nodes.push(
      triggerNode(
        'webauthn',
        'webauthn_login_trigger',
        'oryWebAuthnLogin',
        WebAuthnText.loginWithSecurityKey(),
        options,
        true,
      ),
      hiddenNode('webauthn', 'webauthn_login'),
      scriptNode('webauthn', this.config.url('public', '/.well-known/ory/webauthn.js')),
    );
  }

  async login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    const submitted = body['webauthn_login'];
    const responsible = body['method'] === 'webauthn' || (body['method'] === undefined && Boolean(submitted));
    if (!responsible || !methodEnabled(this.config, 'webauthn')) return { kind: 'not_responsible' };
    if (flow.requestedAal !== 'aal2' || !ctx.session) {
      addUiMessage(flow.ui, WebAuthnText.noWebAuthnUser());
      return { kind: 'invalid' };
    }
    const identity = await this.identities.get(ctx.session.identityId);
    const ceremony = await this.ceremonies.take(flow, CEREMONY);
    // A fresh challenge for the next try: the one just taken is spent whatever the outcome.
    await this.populate(flow, { session: ctx.session, identity });
    const keys = this.mfaKeys(identity);
    if (keys.length === 0) {
      addUiMessage(flow.ui, WebAuthnText.noWebAuthnDevice());
      return { kind: 'invalid' };
    }
    if (!ceremony) {
      addUiMessage(flow.ui, WebAuthnText.verifierWrong());
      return { kind: 'invalid' };
    }
    const updated = await this.keys.assert(identity, 'webauthn', submitted, {
      ceremony,
      rp: relyingParty(this.config, 'webauthn'),
      keys,
      requireUserVerification: false,
    });
    if (!updated) {
      addUiMessage(flow.ui, WebAuthnText.verifierWrong());
      return { kind: 'invalid' };
    }
    return { kind: 'identified', identity: updated, method: 'webauthn', aal: 'aal2' };
  }
}
