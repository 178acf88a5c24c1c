import { Injectable } from '@nestjs/common';
import { MfaText, type UiText } from '../../text/index.js';
import { SecretSecondFactorLogin } from '../second-factor.js';
import { matchTotp, secretOfTotpUrl } from './totp.js';
import { totpLoginNodes } from './totp-nodes.js';
import { totpCredentialContext } from './totp-settings.js';

/**
 * The second step of an aal2 login with an authenticator app. A code's time step is spent once it
 * signed someone in: the step is written with a compare-and-set on the credential, so a replayed
 * code (or two concurrent requests with one code) gets in at most once.
 */
@Injectable()
export class TotpLogin extends SecretSecondFactorLogin {
  protected readonly factor = { type: 'totp', field: 'totp_code', loginNodes: totpLoginNodes } as const;

  protected async check(identityId: string, code: string, now: Date, flowId: string): Promise<UiText | null> {
    const credential = await this.identities.findCredential(identityId, 'totp');
    const sealed = credential?.config['totp_url'];
    if (!credential || typeof sealed !== 'string') return MfaText.noTotp();
    const context = totpCredentialContext(identityId);
    const url = this.cipher.decrypt(sealed, context);
    const secret = secretOfTotpUrl(url);
    const step = matchTotp(secret, code.trim(), now.getTime());
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
        now,
      ));
    this.logger.debug('totp checked', { flow_id: flowId, matched: step !== null, fresh, spent });
    return spent ? null : MfaText.totpInvalid();
  }
}
