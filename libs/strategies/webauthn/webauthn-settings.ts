import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addNodeMessage,
  addUiMessage,
  inputNode,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  submitNode,
} from '../../flow/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { credentialIdentifiers, IdentitySchemaRegistry } from '../../schema/index.js';
import { Text, WebAuthnText } from '../../text/index.js';
import { CeremonyStore } from './ceremony-store.js';
import { KeyStore } from './key-store.js';
import { methodEnabled, relyingParty } from './relying-party.js';
import { creationOptions, rememberCeremony, verifyAttestation } from './webauthn-ceremony.js';
import { keyIdHex, newChallenge } from './webauthn-credentials.js';
import { hiddenNode, scriptNode, triggerNode } from './webauthn-nodes.js';

const CEREMONY = 'webauthn_register';
const MAX_NAME = 255;

/** Security keys in the settings flow: add one (named), remove one. Both need a privileged session. */
@Injectable()
export class WebAuthnSettings {
  constructor(
    private readonly config: ConfigService,
    private readonly ceremonies: CeremonyStore,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly keys: KeyStore,
  ) {}

  private userName(identity: IdentityEntity): string {
    const schema = this.schemas.find(identity.schemaId) ?? this.schemas.getDefault();
    const ids = credentialIdentifiers(schema, identity.traits);
    return ids.webauthn[0] ?? ids.password[0] ?? ids.code[0] ?? identity.id;
  }

  populate(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    if (!methodEnabled(this.config, 'webauthn')) return Promise.resolve();
    flow.ui.nodes = flow.ui.nodes.filter((n) => n.group !== 'webauthn');
    const config = this.keys.configOf(identity, 'webauthn');
    const userHandle = this.keys.userHandleOf(identity, 'webauthn');
    const challenge = newChallenge();
    rememberCeremony(flow, CEREMONY, { challenge, user_handle: userHandle });
    for (const key of config.credentials) {
      flow.ui.nodes.push(
        submitNode(
          'webauthn',
          'webauthn_remove',
          keyIdHex(key),
          WebAuthnText.removeSecurityKey(key.display_name, new Date(key.added_at)),
        ),
      );
    }
    const options = creationOptions({
      rp: relyingParty(this.config, 'webauthn'),
      challenge,
      userHandle,
      userName: this.userName(identity),
      exclude: config.credentials,
      residentKey: 'discouraged',
      userVerification: 'discouraged',
    });
    const json = JSON.stringify(options);
    flow.ui.nodes.push(
      inputNode(
        'webauthn',
        { name: 'webauthn_register_displayname', type: 'text', value: '' },
        WebAuthnText.securityKeyName(),
      ),
      hiddenNode('webauthn', 'webauthn_register'),
      triggerNode(
        'webauthn',
        'webauthn_register_trigger',
        'oryWebAuthnRegistration',
        WebAuthnText.addSecurityKey(),
        json,
        true,
      ),
      scriptNode('webauthn', this.config.url('public', '/.well-known/ory/webauthn.js')),
    );
    return Promise.resolve();
  }

  async settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    const remove = body['webauthn_remove'];
    const register = body['webauthn_register'];
    const named = body['method'] === 'webauthn';
    if (!methodEnabled(this.config, 'webauthn')) return { kind: 'not_responsible' };
    if (typeof remove === 'string' && remove !== '') return this.remove(flow, remove, ctx);
    if (typeof register === 'string' && register !== '') return this.register(flow, body, ctx);
    if (!named) return { kind: 'not_responsible' };
    addNodeMessage(flow.ui, 'webauthn_register', Text.missingProperty('webauthn_register'));
    return { kind: 'invalid' };
  }

  private async remove(
    flow: SettingsFlowEntity,
    hexId: string,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    const config = this.keys.configOf(ctx.identity, 'webauthn');
    const rest = config.credentials.filter((k) => keyIdHex(k) !== hexId.toLowerCase());
    if (rest.length === config.credentials.length) {
      addUiMessage(flow.ui, Text.reason('You tried to remove a WebAuthn credential which does not exist.'));
      return { kind: 'invalid' };
    }
    const identity = await this.keys.save(ctx.identity, 'webauthn', { ...config, credentials: rest });
    return { kind: 'updated', identity };
  }

  private async register(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    const ceremony = await this.ceremonies.take(flow, CEREMONY);
    await this.populate(flow, ctx.identity);
    const rawName = body['webauthn_register_displayname'];
    const displayName = typeof rawName === 'string' ? rawName.trim().slice(0, MAX_NAME) : '';
    const rp = relyingParty(this.config, 'webauthn');
    const key = ceremony?.user_handle
      ? await verifyAttestation(body['webauthn_register'], ceremony, rp, {
          displayName,
          passwordless: false,
          now: ctx.now,
          requireUserVerification: false,
        })
      : null;
    if (!key || !ceremony?.user_handle) {
      addNodeMessage(flow.ui, 'webauthn_register', WebAuthnText.verifierWrong());
      return { kind: 'invalid' };
    }
    const config = this.keys.configOf(ctx.identity, 'webauthn');
    if (config.credentials.some((k) => k.id === key.key.id)) {
      addUiMessage(flow.ui, Text.reason('This security key has already been added.'));
      return { kind: 'invalid' };
    }
    const identity = await this.keys.save(ctx.identity, 'webauthn', {
      credentials: [...config.credentials, key.key],
      user_handle: config.user_handle || ceremony.user_handle,
    });
    return { kind: 'updated', identity };
  }
}
