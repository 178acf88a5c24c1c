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
import { MfaText, Text } from '../../text/index.js';
import { SecretCheckGuard } from '../password/index.js';
import { secondFactorSession } from '../second-factor.js';
import { findLookupCode, type StoredLookupCode } from './lookup-codes.js';
import { lookupCredentialContext } from './lookup-settings.js';

/**
 * The second step of an aal2 login with a backup code. Each code works once: it is marked used
 * with a compare-and-set on the credential, so two requests racing with one code cannot both pass.
 */
@Injectable()
export class LookupSecretLogin {
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
    const given = body['lookup_secret'];
    if (typeof given !== 'string' || given.trim() === '') {
      addNodeMessage(flow.ui, 'lookup_secret', Text.missingProperty('lookup_secret'));
      return { kind: 'invalid' };
    }
    const identityId = session.identityId;
    await this.guard.attempt('lookup_secret', identityId, ctx.device.ipAddress);
    const outcome = await this.spend(identityId, given.slice(0, 64), ctx.now);
    this.logger.debug('lookup secret checked', { flow_id: flow.id, outcome });
    if (outcome !== 'spent') {
      addUiMessage(flow.ui, MfaText[outcome]());
      return { kind: 'invalid' };
    }
    await this.guard.succeeded('lookup_secret', identityId);
    // The last unused code spent means no second factor left: cached available AALs must go.
    this.identityService.credentialsChanged(identityId);
    const identity = await this.identityService.get(identityId);
    return { kind: 'identified', identity, method: 'lookup_secret', aal: 'aal2' };
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
