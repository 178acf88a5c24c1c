import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addNodeMessage,
  addUiMessage,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  submitNode,
} from '../../flow/index.js';
import { type IdentityEntity, InvalidIdentityError } from '../../identity/index.js';
import { IdentitySchemaRegistry, passkeyDisplayName, credentialIdentifiers } from '../../schema/index.js';
import { Text, WebAuthnText } from '../../text/index.js';
import {
  creationOptions,
  hiddenNode,
  keyIdHex,
  KeyStore,
  methodEnabled,
  newChallenge,
  relyingParty,
  rememberCeremony,
  scriptNode,
  triggerNode,
  verifyAttestation,
  CeremonyStore,
  passkeyUserVerification,
} from '../webauthn/index.js';

const CEREMONY = 'passkey_settings_register';

/** Passkeys in the settings flow: add one, remove one (never the last way to sign in). */
@Injectable()
export class PasskeySettings {
  constructor(
    private readonly config: ConfigService,
    private readonly ceremonies: CeremonyStore,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly keys: KeyStore,
  ) {}

  private userName(identity: IdentityEntity): string {
    const schema = this.schemas.find(identity.schemaId) ?? this.schemas.getDefault();
    const ids = credentialIdentifiers(schema, identity.traits);
    return passkeyDisplayName(schema, identity.traits) ?? ids.password[0] ?? ids.code[0] ?? identity.id;
  }

  populate(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    if (!methodEnabled(this.config, 'passkey') || flow.type !== 'browser') return Promise.resolve();
    flow.ui.nodes = flow.ui.nodes.filter((n) => n.group !== 'passkey');
    const config = this.keys.configOf(identity, 'passkey');
    const userHandle = this.keys.userHandleOf(identity, 'passkey');
    const challenge = newChallenge();
    rememberCeremony(flow, CEREMONY, { challenge, user_handle: userHandle });
    for (const key of config.credentials) {
      flow.ui.nodes.push(
        submitNode(
          'passkey',
          'passkey_remove',
          keyIdHex(key),
          WebAuthnText.removePasskey(key.display_name, new Date(key.added_at)),
        ),
      );
    }
    const options = creationOptions({
      rp: relyingParty(this.config, 'passkey'),
      challenge,
      userHandle,
      userName: this.userName(identity),
      exclude: config.credentials,
      residentKey: 'required',
      userVerification: passkeyUserVerification(this.config),
    });
    flow.ui.nodes.push(
      hiddenNode('passkey', 'passkey_create_data', JSON.stringify({ credentialOptions: options })),
      hiddenNode('passkey', 'passkey_settings_register'),
      triggerNode(
        'passkey',
        'passkey_register_trigger',
        'oryPasskeySettingsRegistration',
        WebAuthnText.addPasskey(),
      ),
      scriptNode('passkey', this.config.url('public', '/.well-known/ory/webauthn.js')),
    );
    return Promise.resolve();
  }

  async settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    const remove = body['passkey_remove'];
    const register = body['passkey_settings_register'];
    if (!methodEnabled(this.config, 'passkey')) return { kind: 'not_responsible' };
    if (typeof remove === 'string' && remove !== '') return this.remove(flow, remove, ctx);
    if (typeof register === 'string' && register !== '') return this.register(flow, register, ctx);
    if (body['method'] !== 'passkey') return { kind: 'not_responsible' };
    addNodeMessage(flow.ui, 'passkey_settings_register', Text.missingProperty('passkey_settings_register'));
    return { kind: 'invalid' };
  }

  private async remove(
    flow: SettingsFlowEntity,
    hexId: string,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    const config = this.keys.configOf(ctx.identity, 'passkey');
    const rest = config.credentials.filter((k) => keyIdHex(k) !== hexId.toLowerCase());
    if (rest.length === config.credentials.length) {
      addUiMessage(flow.ui, Text.reason('You tried to remove a passkey which does not exist.'));
      return { kind: 'invalid' };
    }
    try {
      const identity = await this.keys.save(ctx.identity, 'passkey', { ...config, credentials: rest });
      return { kind: 'updated', identity };
    } catch (error) {
      if (!(error instanceof InvalidIdentityError)) throw error;
      addUiMessage(
        flow.ui,
        Text.reason('You cannot remove the last passkey, it is your only way to sign in.'),
      );
      return { kind: 'invalid' };
    }
  }

  private async register(
    flow: SettingsFlowEntity,
    raw: string,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    const ceremony = await this.ceremonies.take(flow, CEREMONY);
    await this.populate(flow, ctx.identity);
    const rp = relyingParty(this.config, 'passkey');
    const key = ceremony?.user_handle
      ? await verifyAttestation(raw, ceremony, rp, {
          displayName: this.userName(ctx.identity),
          passwordless: true,
          now: ctx.now,
          requireUserVerification: passkeyUserVerification(this.config) === 'required',
        })
      : null;
    if (!key || !ceremony?.user_handle) {
      addNodeMessage(flow.ui, 'passkey_settings_register', WebAuthnText.verifierWrong());
      return { kind: 'invalid' };
    }
    const config = this.keys.configOf(ctx.identity, 'passkey');
    if (config.credentials.some((k) => k.id === key.key.id)) {
      addUiMessage(flow.ui, Text.reason('This passkey has already been added.'));
      return { kind: 'invalid' };
    }
    const identity = await this.keys.save(ctx.identity, 'passkey', {
      credentials: [...config.credentials, key.key],
      user_handle: config.user_handle || ceremony.user_handle,
    });
    return { kind: 'updated', identity };
  }
}
