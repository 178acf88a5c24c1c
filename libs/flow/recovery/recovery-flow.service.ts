import { Injectable } from '@nestjs/common';
import { type IdentityEntity } from '../../identity/index.js';
import { type SessionEntity, SessionService } from '../../session/index.js';
import { type CodeFlowOutcome, CodeFlowService, type CodeSubmission } from '../codes/code-flow.service.js';
import { stillHeld } from '../codes/code-address.js';
import { type AddressMethod } from '../codes/code-nodes.js';
import { type OneTimeCodeEntity } from '../codes/one-time-code.entity.js';
import { RecoveryFlowEntity, type SettingsFlowEntity } from '../core/index.js';
import { SettingsHandOff } from './settings-hand-off.js';

export interface SubmitRecovery extends CodeSubmission {
  /** The browser's CSRF cookie token, which the settings flow is bound to. */
  csrfToken?: string;
}

export interface Recovered {
  kind: 'recovered';
  flow: RecoveryFlowEntity;
  session: SessionEntity;
  token: string;
  settings: SettingsFlowEntity;
}

export type RecoveryOutcome = CodeFlowOutcome<RecoveryFlowEntity> | Recovered;

/** The recovery code flow; a valid code or link signs the identity in and opens a settings flow. */
@Injectable()
export class RecoveryFlowService extends CodeFlowService<RecoveryFlowEntity, Recovered, SubmitRecovery> {
  constructor(
    private readonly sessions: SessionService,
    private readonly settings: SettingsHandOff,
  ) {
    super('recovery', RecoveryFlowEntity);
  }

  /** A link, sent by the link method or created by an admin, counts whichever method the form offers. */
  protected override methodOf(input: SubmitRecovery): AddressMethod | undefined {
    return input.token ? 'link' : super.methodOf(input);
  }

  protected findAddress(value: string) {
    return this.addresses.findRecoveryAddress('email', value);
  }

  protected messageFields(flow: RecoveryFlowEntity, secret: string): Record<string, unknown> {
    return this.method === 'code'
      ? { RecoveryCode: secret }
      : { RecoveryURL: this.mailer.link('recovery', flow.id, 'token', secret) };
  }

  protected async complete(
    flow: RecoveryFlowEntity,
    redeemed: OneTimeCodeEntity,
    via: AddressMethod,
    input: SubmitRecovery,
  ): Promise<Recovered | null> {
    const identity = redeemed.identityId ? await this.identityOrNull(redeemed.identityId) : null;
    if (!identity || identity.state !== 'active') return null;
    if (!stillHeld(redeemed, identity.recoveryAddresses ?? [])) return null;
    // A synchronous web hook runs after the commit; if it fails, the session is revoked unseen.
    let issuedId: string | undefined;
    const recovered = this.db.transaction(async (): Promise<Recovered | null> => {
      // Deleted meanwhile: the code is spent on nobody. Held, a delete waits for this commit.
      if (!(await this.identities.holdForReference(identity.id))) return null;
      const now = this.clock.now();
      if (redeemed.address)
        await this.addresses.markVerified(redeemed.via ?? 'email', redeemed.address, identity.id, now);
      const { session, token } = await this.sessions.issue(
        identity,
        { method: `${via}_recovery`, aal: 'aal1' },
        input.device,
      );
      flow.state = 'passed_challenge';
      await this.hooks.afterRecovery({ flow, identity, session });
      const settings = await this.settings.createFor({
        type: flow.type,
        requestUrl: flow.requestUrl,
        returnTo: flow.returnTo,
        identity,
        session,
        csrfToken: input.csrfToken,
      });
      flow.state = 'passed_challenge';
      await this.save(flow, 200);
      this.sessions.forgetIdentity(identity.id);
      issuedId = session.id;
      return { kind: 'recovered', flow, session, token, settings };
    });
    return recovered.catch(async (error: unknown) => {
      if (issuedId) await this.db.transaction(() => this.sessions.revoke(issuedId!));
      throw error;
    });
  }

  private async identityOrNull(id: string): Promise<IdentityEntity | null> {
    try {
      return await this.identities.get(id);
    } catch {
      return null;
    }
  }
}
