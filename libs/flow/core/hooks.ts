import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { AppLogger } from '../../logging/index.js';
import { type DeviceInfo, type SessionEntity } from '../../session/index.js';
import { type FlowKind } from './flow-factory.js';
import { type LoginFlowEntity, type RegistrationFlowEntity } from './flow.entity.js';

export interface AfterLogin {
  flow: LoginFlowEntity;
  session: SessionEntity;
  method: string;
}

export interface AfterRegistration {
  flow: RegistrationFlowEntity;
  identity: IdentityEntity;
  method: string;
  device: DeviceInfo;
  /** Set by a hook that signs the new identity in (the `session` hook). */
  issued?: { session: SessionEntity; token: string };
}

/** An after-hook, named as in `selfservice.flows.<flow>.after[.<method>].hooks[].hook`. */
export interface FlowHook {
  readonly name: string;
  afterLogin?(context: AfterLogin): Promise<void>;
  afterRegistration?(context: AfterRegistration): Promise<void>;
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
}
