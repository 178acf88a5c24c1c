import { Injectable } from '@nestjs/common';
import {
  addNodeMessage,
  addUiMessage,
  type FlowContext,
  type LoginFlowEntity,
  type LoginResult,
} from '../../flow/index.js';
import { Cipher } from '../../hash/index.js';
import { IdentityRepository, IdentityService } from '../../identity/index.js';
import { AppLogger } from '../../logging/index.js';
import { Text, MfaText } from '../../text/index.js';
import { SecretCheckGuard } from '../password/index.js';
import { secondFactorSession } from '../second-factor.js';
import { matchTotp, secretOfTotpUrl } from './totp.js';
import { totpCredentialContext } from './totp-settings.js';

/**
 * The second step of an aal2 login with an authenticator app. A code's time step is spent once it
 * signed someone in: the step is written with a compare-and-set on the credential, so a replayed
 * code (or two concurrent requests with one code) gets in at most once.
 */
@Injectable()
export class TotpLogin {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly identityService: IdentityService,
    private readonly cipher: Cipher,
    private readonly guard: SecretCheckGuard,
    private readonly logger: AppLogger,
  ) {}

  async login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    const session = secondFactorSession(flow, ctx);
    if (!session) return { kind: 'not_responsible' };
    const code = body['totp_code'];
    if (typeof code !== 'string' || code.trim() === '') {
      addNodeMessage(flow.ui, 'totp_code', Text.missingProperty('totp_code'));
      return { kind: 'invalid' };
    }
    const identityId = session.identityId;
    await this.guard.attempt('totp', identityId, ctx.device.ipAddress);
    const credential = await this.identities.findCredential(identityId, 'totp');
    const sealed = credential?.config['totp_url'];
    if (!credential || typeof sealed !== 'string') {
      addUiMessage(flow.ui, MfaText.noTotp());
      return { kind: 'invalid' };
    }
    const context = totpCredentialContext(identityId);
    const url = this.cipher.decrypt(sealed, context);
    const secret = secretOfTotpUrl(url);
    const step = matchTotp(secret, code.trim(), ctx.now.getTime());
    const lastUsed = credential.config['last_used_step'];
    const fresh = step !== null && (typeof lastUsed !== 'number' || step > lastUsed);
    const spent =
      fresh &&
      (await this.identities.updateCredentialConfig(
        credential,
        {
          ...credential.config,
          last_used_step: step,
          // Sealed with a retired `secrets.cipher` entry: written again under the current one.
          ...(this.cipher.isStale(sealed) ? { totp_url: this.cipher.encrypt(url, context) } : {}),
        },
        ctx.now,
      ));
    this.logger.debug('totp checked', { flow_id: flow.id, matched: step !== null, fresh, spent });
    if (!spent) {
      addUiMessage(flow.ui, MfaText.totpInvalid());
      return { kind: 'invalid' };
    }
    await this.guard.succeeded('totp', identityId);
    const identity = await this.identityService.get(identityId);
    return { kind: 'identified', identity, method: 'totp', aal: 'aal2' };
  }
}
