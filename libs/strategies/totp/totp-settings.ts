import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addNodeMessage,
  addUiMessage,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
} from '../../flow/index.js';
import { Cipher } from '../../hash/index.js';
import { type IdentityEntity, IdentityService } from '../../identity/index.js';
import { credentialIdentifiers, IdentitySchemaRegistry, totpAccountName } from '../../schema/index.js';
import { MfaText, Text } from '../../text/index.js';
import { SecretCheckGuard } from '../password/index.js';
import { PendingSecret, StepUp, truthy } from '../second-factor.js';
import { matchTotp, newTotpSecret, secretOfTotpUrl, totpUrl } from './totp.js';
import { totpEnrolNodes, totpUnlinkNodes } from './totp-nodes.js';

/** Ciphertexts are bound to where they belong: a seed copied to another identity does not open. */
export const totpCredentialContext = (identityId: string) => `totp:${identityId}`;

/**
 * Linking and unlinking an authenticator app. The seed shown in the flow stays in the flow's
 * internal context (encrypted) until a correct code proves the app has it; only then it becomes
 * the identity's `totp` credential.
 */
@Injectable()
export class TotpSettings {
  private readonly pending: PendingSecret;

  constructor(
    private readonly identities: IdentityService,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly cipher: Cipher,
    private readonly config: ConfigService,
    private readonly guard: SecretCheckGuard,
    private readonly stepUp: StepUp,
  ) {
    this.pending = new PendingSecret(cipher, 'totp_url', 'totp-pending');
  }

  async populate(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    if (identity.credentials?.some((c) => c.type === 'totp')) {
      flow.ui.nodes.push(...totpUnlinkNodes());
      return;
    }
    const url = this.pending.read(flow) ?? this.newPendingUrl(flow, identity);
    // qrcode loads with the first enrolment, not at start-up.
    const { default: QRCode } = await import('qrcode');
    const qr = await QRCode.toDataURL(url, { width: 256, margin: 1 });
    flow.ui.nodes.push(...totpEnrolNodes(qr, secretOfTotpUrl(url)));
  }

  async settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (body['method'] !== 'totp') return { kind: 'not_responsible' };
    const linked = ctx.identity.credentials?.some((c) => c.type === 'totp') ?? false;
    if (truthy(body['totp_unlink'])) {
      if (!linked) {
        addUiMessage(flow.ui, MfaText.noTotp());
        return { kind: 'invalid' };
      }
      if (!ctx.privileged) return { kind: 'privileged_session_required' };
      if (ctx.session.aal !== 'aal2') throw this.stepUp.required();
      const identity = await this.identities.removeCredential(ctx.identity.id, 'totp');
      this.pending.forget(flow);
      return { kind: 'updated', identity };
    }
    if (linked) {
      addUiMessage(flow.ui, Text.reason('An authenticator app is linked already. Unlink it first.'));
      return { kind: 'invalid' };
    }
    const code = body['totp_code'];
    if (typeof code !== 'string' || code.trim() === '') {
      addNodeMessage(flow.ui, 'totp_code', Text.missingProperty('totp_code'));
      return { kind: 'invalid' };
    }
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    const url = this.pending.read(flow);
    let step = null as number | null;
    await this.guard.check('totp', ctx.identity.id, ctx.device.ipAddress, async () => {
      step = url ? matchTotp(secretOfTotpUrl(url), code.trim(), ctx.now.getTime()) : null;
      return step !== null;
    });
    if (!url || step === null) {
      addNodeMessage(flow.ui, 'totp_code', MfaText.totpInvalid());
      return { kind: 'invalid' };
    }
    // The confirming code's step counts as used: it cannot sign in a moment later.
    const identity = await this.identities.putCredential(ctx.identity.id, 'totp', {
      totp_url: this.cipher.encrypt(url, totpCredentialContext(ctx.identity.id)),
      last_used_step: step,
    });
    this.pending.forget(flow);
    return { kind: 'updated', identity, authenticated: { method: 'totp', aal: 'aal2' } };
  }

  private newPendingUrl(flow: SettingsFlowEntity, identity: IdentityEntity): string {
    const url = totpUrl(this.issuer(), this.accountName(identity), newTotpSecret());
    this.pending.keep(flow, url);
    return url;
  }

  private issuer(): string {
    return (
      this.config.get<string>('selfservice.methods.totp.config.issuer') ||
      new URL(this.config.url('public', '')).hostname
    );
  }

  /** The trait marked `totp.account_name`, else the first login identifier, else the id. */
  private accountName(identity: IdentityEntity): string {
    const schema = this.schemas.find(identity.schemaId) ?? this.schemas.getDefault();
    const ids = credentialIdentifiers(schema, identity.traits);
    return (
      totpAccountName(schema, identity.traits) ??
      ids.password[0] ??
      ids.code[0] ??
      ids.webauthn[0] ??
      identity.id
    );
  }
}
