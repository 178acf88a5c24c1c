import { Injectable } from '@nestjs/common';
import { MfaText, type UiText } from '../../text/index.js';
import { SecretSecondFactorLogin } from '../second-factor.js';
import { findLookupCode, type StoredLookupCode } from './lookup-codes.js';
import { lookupLoginNodes } from './lookup-nodes.js';
import { lookupCredentialContext } from './lookup-settings.js';

/**
 * The second step of an aal2 login with a backup code. Each code works once: it is marked used
 * with a compare-and-set on the credential, so two requests racing with one code cannot both pass.
 */
@Injectable()
export class LookupSecretLogin extends SecretSecondFactorLogin {
  protected readonly factor = {
    type: 'lookup_secret',
    field: 'lookup_secret',
    loginNodes: lookupLoginNodes,
  } as const;

  protected async check(
    identityId: string,
    given: string,
    now: Date,
    flowId: string,
  ): Promise<UiText | null> {
    const outcome = await this.spend(identityId, given.slice(0, 64), now);
    this.logger.debug('lookup secret checked', { flow_id: flowId, outcome });
    if (outcome !== 'spent') return MfaText[outcome]();
    // The last unused code spent means no second factor left: cached available AALs must go.
    this.identityService.credentialsChanged(identityId);
    return null;
  }

  /**
   * Marks the code used if it is valid and unused. A lost compare-and-set is read again: the
   * winner may have spent another code, in which case this one still counts.
   */
  private async spend(
    identityId: string,
    given: string,
    now: Date,
  ): Promise<'spent' | 'noLookup' | 'lookupInvalid' | 'lookupUsed'> {
    const context = lookupCredentialContext(identityId);
    for (let attempt = 0; attempt < 3; attempt++) {
      const credential = await this.identities.findCredential(identityId, 'lookup_secret');
      const stored = credential?.config['recovery_codes'] as StoredLookupCode[] | undefined;
      if (!credential || !Array.isArray(stored) || stored.length === 0) return 'noLookup';
      const plain = stored.map((c) => this.cipher.decrypt(c.code, context));
      const index = findLookupCode(plain, given);
      if (index < 0) return 'lookupInvalid';
      if (stored[index]!.used_at) return 'lookupUsed';
      // Codes sealed with a retired `secrets.cipher` entry are written again under the current one.
      const recoveryCodes = stored.map((c, i) => ({
        ...c,
        ...(this.cipher.isStale(c.code) ? { code: this.cipher.encrypt(plain[i]!, context) } : {}),
        ...(i === index ? { used_at: now.toISOString() } : {}),
      }));
      const config = { ...credential.config, recovery_codes: recoveryCodes };
      if (await this.identities.updateCredentialConfig(credential, config, now)) return 'spent';
    }
    return 'lookupUsed';
  }
}
