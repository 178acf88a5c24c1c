import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { AppLogger } from '../../logging/index.js';
import { type DeviceInfo, type SessionEntity } from '../../session/index.js';
import { type UiText } from '../../text/index.js';
import { type FlowKind } from './flow-factory.js';
import { type VerificationStarted } from './verification-sender.js';
import {
  type LoginFlowEntity,
  type RecoveryFlowEntity,
  type RegistrationFlowEntity,
  type SettingsFlowEntity,
} from './flow.entity.js';

export interface AfterLogin {
  flow: LoginFlowEntity;
  session: SessionEntity;
  method: string;
}

export interface AfterRegistration {
  flow: RegistrationFlowEntity;
  identity: IdentityEntity;
  method: string;
  /** The OIDC provider the identity signed up with, for the session's authentication method. */
  provider?: string;
  device: DeviceInfo;
  /** Set by a hook that signs the new identity in (the `session` hook). */
  issued?: { session: SessionEntity; token: string };
  /** The verification flows started for the new identity's addresses. */
  verifications: VerificationStarted[];
  /** Set by `show_verification_ui`: browsers go to the verification UI instead of the return URL. */
  showVerificationUi?: boolean;
}

/**
 * A hook refusing the flow with a message on it (e.g. `require_verified_address`); nothing the
 * flow did in the same transaction is kept.
 */
export class FlowRejectedError extends Error {
  constructor(readonly text: UiText) {
    super(text.text);
    this.name = 'FlowRejectedError';
  }
}

export interface AfterRecovery {
  flow: RecoveryFlowEntity;
  identity: IdentityEntity;
  /** The session the recovery issued. */
  session: SessionEntity;
}

export interface AfterSettings {
  flow: SettingsFlowEntity;
  /** The identity as saved. */
  identity: IdentityEntity;
  /** The session the change was made with; it stays. */
  session: SessionEntity;
  method: string;
  /** The verification flows started for addresses the change added. */
  verifications: VerificationStarted[];
  /** Set by `show_verification_ui`: browsers go to the verification UI instead of the return URL. */
  showVerificationUi?: boolean;
}

/** An after-hook, named as in `selfservice.flows.<flow>.after[.<method>].hooks[].hook`. */
export interface FlowHook {
  readonly name: string;
  afterLogin?(context: AfterLogin): Promise<void>;
  afterRegistration?(context: AfterRegistration): Promise<void>;
  afterRecovery?(context: AfterRecovery): Promise<void>;
  afterSettings?(context: AfterSettings): Promise<void>;
}

/** The hooks the application offers, provided by its composition root. */
export const FLOW_HOOKS = Symbol('FLOW_HOOKS');

/** Runs the hooks configured for a flow and method, in configured order. */
@Injectable()
export class HookRunner {
  private readonly byName: Map<string, FlowHook>;
  private readonly warned = new Set<string>();

  constructor(
    @Inject(FLOW_HOOKS) hooks: FlowHook[],
    private readonly config: ConfigService,
    private readonly logger: AppLogger,
  ) {
    this.byName = new Map(hooks.map((hook) => [hook.name, hook]));
  }

  private configured(kind: FlowKind, method: string): FlowHook[] {
    type Hooks = { hook: string }[];
    const names = (
      this.config.get<Hooks>(`selfservice.flows.${kind}.after.${method}.hooks`) ??
      this.config.get<Hooks>(`selfservice.flows.${kind}.after.hooks`) ??
      []
    ).map((h) => h.hook);
    return names.flatMap((name) => {
      const hook = this.byName.get(name);
      if (!hook && !this.warned.has(name)) {
        this.warned.add(name);
        this.logger.warn(`hook "${name}" is not supported by Tessera yet and is skipped`, {
          flow: kind,
          method,
        });
      }
      return hook ? [hook] : [];
    });
  }

  async afterLogin(context: AfterLogin): Promise<void> {
    for (const hook of this.configured('login', context.method)) await hook.afterLogin?.(context);
  }

  async afterRegistration(context: AfterRegistration): Promise<void> {
    for (const hook of this.configured('registration', context.method))
      await hook.afterRegistration?.(context);
  }

  async afterRecovery(context: AfterRecovery): Promise<void> {
    for (const hook of this.configured('recovery', 'code')) await hook.afterRecovery?.(context);
  }

  async afterSettings(context: AfterSettings): Promise<void> {
    for (const hook of this.configured('settings', context.method)) await hook.afterSettings?.(context);
  }
}
