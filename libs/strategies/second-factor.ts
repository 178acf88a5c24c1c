import { Injectable } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { ApiError } from '../errors/index.js';
import {
  addNodeMessage,
  addUiMessage,
  type FlowContext,
  type LoginAudience,
  type LoginFlowEntity,
  type LoginResult,
  type SettingsFlowEntity,
  type UiNode,
} from '../flow/index.js';
import { Cipher } from '../hash/index.js';
import { IdentityRepository, IdentityService, isSecondFactor } from '../identity/index.js';
import { AppLogger } from '../logging/index.js';
import { aal2Required, type SessionEntity } from '../session/index.js';
import { Text, type UiText } from '../text/index.js';
import { type LoginPart } from './login-settings.strategy.js';
import { SecretCheckGuard } from './password/index.js';

/** Form booleans arrive as `true` (JSON) or `"true"` (form posts). */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * The session a second factor is checked for. Only an `aal=aal2` login flow takes second
 * factors (null otherwise: the method is not offered there); it needs a signed-in session.
 */
export function secondFactorSession(flow: LoginFlowEntity, ctx: FlowContext): SessionEntity | null {
  if (flow.requestedAal !== 'aal2') return null;
  if (!ctx.session) {
    throw new ApiError(401, {
      id: 'session_aal1_required',
      reason: 'You can not requested a higher AAL (AAL2/AAL3) without an active session.',
      message: 'aal2 and aal3 can only be requested if a session exists already',
    });
  }
  return ctx.session;
}

/** Where a browser goes to raise its session to aal2 (answers that need aal2 carry it). */
@Injectable()
export class StepUp {
  constructor(private readonly config: ConfigService) {}

  required(): ApiError {
    const login = new URL(this.config.url('public', 'self-service/login/browser'));
    login.searchParams.set('aal', 'aal2');
    return aal2Required(login.href);
  }
}

/**
 * A secret a settings flow shows before it is saved (a TOTP seed, new backup codes). It stays in
 * the flow's internal context, sealed to that flow and identity, until confirmed or dropped.
 */
export class PendingSecret {
  constructor(
    private readonly cipher: Cipher,
    /** Where in the internal context it is kept. */
    private readonly key: string,
    /** Binds the ciphertext to this purpose, besides the flow and the identity. */
    private readonly purpose: string,
  ) {}

  private context(flow: SettingsFlowEntity): string {
    return `${this.purpose}:${flow.id}:${flow.identityId}`;
  }

  keep(flow: SettingsFlowEntity, plain: string): void {
    flow.internalContext = {
      ...flow.internalContext,
      [this.key]: this.cipher.encrypt(plain, this.context(flow)),
    };
  }

  /** The kept secret, or null when there is none or it does not open here. */
  read(flow: SettingsFlowEntity): string | null {
    const sealed = flow.internalContext?.[this.key];
    if (typeof sealed !== 'string') return null;
    try {
      return this.cipher.decrypt(sealed, this.context(flow));
    } catch {
      return null;
    }
  }

  forget(flow: SettingsFlowEntity): void {
    if (!flow.internalContext) return;
    const { [this.key]: _, ...rest } = flow.internalContext;
    flow.internalContext = rest;
  }
}

/**
 * The second step of an aal2 login with a typed secret (TOTP, backup code). Offered only to
 * identities that can use the credential; each attempt is counted per identity and address, and
 * a secret that passes identifies the session's identity at aal2. The subclass checks the secret.
 */
@Injectable()
export abstract class SecretSecondFactorLogin implements LoginPart {
  protected abstract readonly factor: {
    /** The credential type: also the `method`, the node group and the brute-force scope. */
    type: 'totp' | 'lookup_secret';
    /** The body field holding the secret. */
    field: string;
    loginNodes: () => UiNode[];
  };

  constructor(
    protected readonly identities: IdentityRepository,
    protected readonly identityService: IdentityService,
    protected readonly cipher: Cipher,
    private readonly guard: SecretCheckGuard,
    protected readonly logger: AppLogger,
  ) {}

  /**
   * Checks (and spends) `given` for the identity: null when it passes, else the flow's message.
   * Spending is a compare-and-set on the credential, so one secret gets in at most once.
   */
  protected abstract check(
    identityId: string,
    given: string,
    now: Date,
    flowId: string,
  ): Promise<UiText | null>;

  populate(flow: LoginFlowEntity, { identity }: LoginAudience): Promise<void> {
    const { type, loginNodes } = this.factor;
    const usable = identity?.credentials?.some((c) => c.type === type && isSecondFactor(c));
    if (flow.requestedAal === 'aal2' && usable) flow.ui.nodes.push(...loginNodes());
    return Promise.resolve();
  }

  async login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    const { type, field } = this.factor;
    if (body['method'] !== type) return { kind: 'not_responsible' };
    const session = secondFactorSession(flow, ctx);
    if (!session) return { kind: 'not_responsible' };
    const given = body[field];
    if (typeof given !== 'string' || given.trim() === '') {
      addNodeMessage(flow.ui, field, Text.missingProperty(field));
      return { kind: 'invalid' };
    }
    const identityId = session.identityId;
    let failure = null as UiText | null;
    await this.guard.check(type, identityId, ctx.device.ipAddress, async () => {
      failure = await this.check(identityId, given, ctx.now, flow.id);
      return failure === null;
    });
    if (failure) {
      addUiMessage(flow.ui, failure);
      return { kind: 'invalid' };
    }
    const identity = await this.identityService.get(identityId);
    return { kind: 'identified', identity, method: type, aal: 'aal2' };
  }
}
