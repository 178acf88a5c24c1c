import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  addNodeMessage,
  addressProblem,
  addUiMessage,
  CodeLimits,
  CodeMailer,
  type FlowContext,
  type LoginFlowEntity,
  type LoginResult,
  OneTimeCodes,
  SendFloor,
  setNodeValue,
  stillHeld,
} from '../../flow/index.js';
import { IdentityRepository, IdentityService } from '../../identity/index.js';
import { Database } from '../../persistence/index.js';
import { normalizeIdentifier } from '../../schema/index.js';
import { SessionService } from '../../session/index.js';
import { CodeText, Text } from '../../text/index.js';
import { toCodeStep } from './code-nodes.js';

const str = (body: Record<string, unknown>, name: string) =>
  typeof body[name] === 'string' ? (body[name] as string).trim() : '';

/**
 * Sign-in with a one-time code: `identifier` sends a code (flow state sent_email, a 400 with the
 * flow, as Kratos answers), `code` signs in. As a second factor (`aal=aal2`), `address` picks one of
 * the identity's code addresses. Unknown identifiers get the same answer, in the same time, and no
 * message.
 */
@Injectable()
export class CodeLogin {
  constructor(
    private readonly codes: OneTimeCodes,
    private readonly mailer: CodeMailer,
    private readonly limits: CodeLimits,
    private readonly identities: IdentityService,
    private readonly repository: IdentityRepository,
    private readonly config: ConfigService,
    private readonly db: Database,
    private readonly floor: SendFloor,
    private readonly sessions: SessionService,
  ) {}

  async login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    const mfa = flow.requestedAal === 'aal2' && !flow.refresh;
    const code = str(body, 'code');
    const resend = body['resend'] === 'code';
    if (flow.state === 'sent_email' && code && !resend) return this.redeem(flow, code, mfa, ctx);
    return mfa ? this.sendSecondFactor(flow, body, ctx) : this.sendFirstFactor(flow, body, ctx);
  }

  private async sendFirstFactor(
    flow: LoginFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<LoginResult> {
    const raw =
      str(body, 'identifier') || String((flow.internalContext?.['code_identifier'] as string) ?? '');
    if (!raw) {
      addUiMessage(flow.ui, Text.missingProperty('identifier'));
      return { kind: 'invalid' };
    }
    const problem = addressProblem(raw, 'identifier');
    if (problem) {
      addNodeMessage(flow.ui, 'identifier', problem);
      return { kind: 'invalid' };
    }
    const identifier = normalizeIdentifier(raw, 'email');
    // As long for an unknown identifier as for a known one (SendFloor).
    await this.floor.hold(async () => {
      const credential = await this.repository.findCredentialByIdentifier('code', identifier);
      await this.send(flow, identifier, credential?.identityId ?? null, ctx);
    });
    flow.internalContext = { ...flow.internalContext, code_identifier: identifier };
    setNodeValue(flow.ui, 'identifier', raw);
    toCodeStep(flow.ui, (name) => name === 'identifier', CodeText.labelLoginCode());
    setNodeValue(flow.ui, 'identifier', raw);
    return { kind: 'invalid' };
  }

  private async sendSecondFactor(
    flow: LoginFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<LoginResult> {
    if (!ctx.session) return { kind: 'not_responsible' };
    const identity = await this.identities.get(ctx.session.identityId);
    const addresses = (identity.credentials ?? [])
      .filter((c) => c.type === 'code')
      .flatMap((c) =>
        ((c.config['addresses'] as { address: string }[] | undefined) ?? []).map((a) => a.address),
      );
    const chosen =
      str(body, 'address') || String((flow.internalContext?.['code_identifier'] as string) ?? '');
    const address = addresses.find((a) => a === normalizeIdentifier(chosen, 'email'));
    if (!address) {
      addUiMessage(flow.ui, CodeText.noCodeUser());
      return { kind: 'invalid' };
    }
    await this.send(flow, address, identity.id, ctx);
    flow.internalContext = { ...flow.internalContext, code_identifier: address };
    toCodeStep(flow.ui, () => false, CodeText.labelLoginCode());
    return { kind: 'invalid' };
  }

  private async send(
    flow: LoginFlowEntity,
    address: string,
    identityId: string | null,
    ctx: FlowContext,
  ): Promise<void> {
    await this.db.transaction(async () => {
      const allowed = await this.limits.maySend(address, ctx.device.ipAddress);
      flow.state = 'sent_email';
      addUiMessage(flow.ui, CodeText.loginCodeSent());
      // Refused by the send limit: nothing issued, so the code last sent keeps working.
      if (!allowed) return;
      const code = await this.codes.issue(
        'login_code',
        flow.id,
        { address, via: 'email', identityId },
        flow.expiresAt,
      );
      if (!identityId) return;
      const identity = await this.identities.get(identityId);
      await this.mailer.send({
        template: 'login_code_valid',
        to: address,
        via: 'email',
        flow,
        identity,
        fields: { LoginCode: code },
      });
    });
  }

  private async redeem(
    flow: LoginFlowEntity,
    code: string,
    mfa: boolean,
    ctx: FlowContext,
  ): Promise<LoginResult> {
    const lifespan = flow.expiresAt.getTime() - flow.issuedAt.getTime();
    const sentTo = flow.internalContext?.['code_identifier'];
    const ip = ctx.device.ipAddress;
    const redeemed = await this.limits.tryCode(
      {
        scope: 'login_code',
        flowId: flow.id,
        lifespanMs: lifespan,
        identifier: typeof sentTo === 'string' ? sentTo : flow.id,
        ip,
        knownAddress:
          ip && typeof sentTo === 'string' ? () => this.signedInFrom(sentTo, mfa, ctx, ip) : undefined,
      },
      () => this.codes.redeem('login_code', flow.id, code),
      () => this.codes.invalidate('login_code', flow.id),
    );
    const identity = redeemed?.identityId
      ? await this.identities.get(redeemed.identityId).catch(() => null)
      : null;
    const codeIdentifiers = (identity?.credentials ?? [])
      .filter((credential) => credential.type === 'code')
      .flatMap((credential) => credential.identifiers ?? [])
      .map(({ identifier, createdAt }) => ({ value: identifier, createdAt }));
    if (
      !identity ||
      (mfa && identity.id !== ctx.session?.identityId) ||
      !stillHeld(redeemed!, codeIdentifiers)
    ) {
      addUiMessage(flow.ui, CodeText.loginCodeInvalid());
      return { kind: 'invalid' };
    }
    return { kind: 'identified', identity, method: 'code', aal: mfa ? 'aal2' : 'aal1' };
  }

  /** Whether the owner of the address a code went to has signed in from `ip` before. */
  private async signedInFrom(address: string, mfa: boolean, ctx: FlowContext, ip: string): Promise<boolean> {
    const identityId = mfa
      ? (ctx.session?.identityId ?? null)
      : ((await this.repository.findCredentialByIdentifier('code', address))?.identityId ?? null);
    return this.sessions.signedInFrom(identityId, ip);
  }

  get passwordless(): boolean {
    return this.config.get<boolean>('selfservice.methods.code.passwordless_enabled') === true;
  }

  get mfa(): boolean {
    return this.config.get<boolean>('selfservice.methods.code.mfa_enabled') === true;
  }
}
