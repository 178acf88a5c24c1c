import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addNodeMessage,
  addUiMessage,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  submitNode,
  type UiNode,
} from '../../flow/index.js';
import { type IdentityEntity, InvalidIdentityError } from '../../identity/index.js';
import { credentialIdentifiers, IdentitySchemaRegistry } from '../../schema/index.js';
import { Text, type UiText, WebAuthnText } from '../../text/index.js';
import { CeremonyStore } from './ceremony-store.js';
import { KeyStore } from './key-store.js';
import { methodEnabled, relyingParty, type UserVerification, type WebAuthnMethod } from './relying-party.js';
import { creationOptions, rememberCeremony, verifyAttestation } from './webauthn-ceremony.js';
import { keyIdHex, newChallenge, type StoredKey } from './webauthn-credentials.js';
import { scriptNode } from './webauthn-nodes.js';

/**
 * Keys in the settings flow, security keys and passkeys alike: a remove button per key, and a
 * registration ceremony started on every render whose attestation adds a key. Both need a
 * privileged session. The subclass says what differs: nodes, names, texts, and how strict the
 * authenticator must be.
 */
@Injectable()
export abstract class KeySettings {
  /** The credential type, node group and `selfservice.methods` entry. */
  protected abstract readonly type: WebAuthnMethod;
  /** The hidden field webauthn.js fills with the attestation; the ceremony is kept under it too. */
  protected abstract readonly registerField: string;
  /** Passkeys are discoverable and sign in on their own; security keys are a second factor. */
  protected abstract readonly passwordless: boolean;
  /**
   * Reasons for removing an unknown key, adding a key the identity has already, and (where that
   * can happen) removing the key that is the identity's last way to sign in.
   */
  protected abstract readonly texts: { unknownKey: string; duplicateKey: string; lastKey?: string };

  constructor(
    protected readonly config: ConfigService,
    private readonly ceremonies: CeremonyStore,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly keys: KeyStore,
  ) {}

  protected abstract removeLabel(key: StoredKey): UiText;
  protected abstract userVerification(): UserVerification;
  /** The nodes that start the registration ceremony with these creation options. */
  protected abstract registrationNodes(options: object): UiNode[];
  /** The display name the new key is stored with. */
  protected abstract keyName(body: Record<string, unknown>, identity: IdentityEntity): string;

  /** Whether the method shows its nodes on this flow. */
  protected offered(_flow: SettingsFlowEntity): boolean {
    return methodEnabled(this.config, this.type);
  }

  /** The name the authenticator shows: the trait marked for this method, else a login identifier. */
  protected userName(identity: IdentityEntity): string {
    const schema = this.schemas.find(identity.schemaId) ?? this.schemas.getDefault();
    const ids = credentialIdentifiers(schema, identity.traits);
    return ids[this.type][0] ?? ids.password[0] ?? ids.code[0] ?? identity.id;
  }

  async populate(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    if (!this.offered(flow)) return;
    flow.ui.nodes = flow.ui.nodes.filter((n) => n.group !== this.type);
    const config = this.keys.configOf(identity, this.type);
    const userHandle = this.keys.userHandleOf(identity, this.type);
    const challenge = newChallenge();
    rememberCeremony(flow, this.registerField, { challenge, user_handle: userHandle });
    for (const key of config.credentials)
      flow.ui.nodes.push(submitNode(this.type, `${this.type}_remove`, keyIdHex(key), this.removeLabel(key)));
    const options = creationOptions({
      rp: relyingParty(this.config, this.type),
      challenge,
      userHandle,
      userName: this.userName(identity),
      exclude: config.credentials,
      residentKey: this.passwordless ? 'required' : 'discouraged',
      userVerification: this.userVerification(),
    });
    flow.ui.nodes.push(
      ...this.registrationNodes(options),
      scriptNode(this.type, this.config.url('public', '/.well-known/ory/webauthn.js')),
    );
  }

  async settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (!methodEnabled(this.config, this.type)) return { kind: 'not_responsible' };
    const remove = body[`${this.type}_remove`];
    const register = body[this.registerField];
    if (typeof remove === 'string' && remove !== '') return this.remove(flow, remove, ctx);
    if (typeof register === 'string' && register !== '') return this.register(flow, body, ctx);
    if (body['method'] !== this.type) return { kind: 'not_responsible' };
    addNodeMessage(flow.ui, this.registerField, Text.missingProperty(this.registerField));
    return { kind: 'invalid' };
  }

  private async remove(
    flow: SettingsFlowEntity,
    hexId: string,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    const config = this.keys.configOf(ctx.identity, this.type);
    const rest = config.credentials.filter((k) => keyIdHex(k) !== hexId.toLowerCase());
    if (rest.length === config.credentials.length) {
      addUiMessage(flow.ui, Text.reason(this.texts.unknownKey));
      return { kind: 'invalid' };
    }
    try {
      const identity = await this.keys.save(ctx.identity, this.type, { ...config, credentials: rest });
      return { kind: 'updated', identity };
    } catch (error) {
      // The identity service refuses to leave an identity without a way to sign in.
      if (!this.texts.lastKey || !(error instanceof InvalidIdentityError)) throw error;
      addUiMessage(flow.ui, Text.reason(this.texts.lastKey));
      return { kind: 'invalid' };
    }
  }

  private async register(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    const ceremony = await this.ceremonies.take(flow, this.registerField);
    // A fresh challenge for the next try: the one just taken is spent whatever the outcome.
    await this.populate(flow, ctx.identity);
    const rp = relyingParty(this.config, this.type);
    const key = ceremony?.user_handle
      ? await verifyAttestation(body[this.registerField], ceremony, rp, {
          displayName: this.keyName(body, ctx.identity),
          passwordless: this.passwordless,
          now: ctx.now,
          requireUserVerification: this.userVerification() === 'required',
        })
      : null;
    if (!key || !ceremony?.user_handle) {
      addNodeMessage(flow.ui, this.registerField, WebAuthnText.verifierWrong());
      return { kind: 'invalid' };
    }
    const config = this.keys.configOf(ctx.identity, this.type);
    if (config.credentials.some((k) => k.id === key.key.id)) {
      addUiMessage(flow.ui, Text.reason(this.texts.duplicateKey));
      return { kind: 'invalid' };
    }
    const identity = await this.keys.save(ctx.identity, this.type, {
      credentials: [...config.credentials, key.key],
      user_handle: config.user_handle || ceremony.user_handle,
    });
    // A security key is a second factor; a passkey (or a passwordless key) a first one.
    const aal = this.passwordless ? 'aal1' : 'aal2';
    return { kind: 'updated', identity, authenticated: { method: this.type, aal } };
  }
}
