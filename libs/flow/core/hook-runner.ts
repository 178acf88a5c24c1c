import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { beforeIdentityWrite, type IdentityEntity } from '../../identity/index.js';
import { AppLogger } from '../../logging/index.js';
import { Database } from '../../persistence/index.js';
import { type SessionEntity } from '../../session/index.js';
import { type FlowKind } from './flow-factory.js';
import { type SelfServiceFlow } from './flow.entity.js';
import {
  type AfterLogin,
  type AfterRecovery,
  type AfterRegistration,
  type AfterSettings,
  type AfterVerification,
  FLOW_HOOKS,
  type FlowHook,
  type HookConfig,
  WEB_HOOK_CALLER,
  type WebHookCaller,
  type WebHookData,
} from './hooks.js';

const WEB_HOOK = 'web_hook';

/** A configured hook as the runner uses it: a named hook, or a web hook with its config. */
type Planned = { kind: 'named'; hook: FlowHook } | { kind: 'web'; config: Record<string, unknown> };

/** `response.parse` or the deprecated `can_interrupt`: the hook runs before the identity is stored. */
function parses(config: Record<string, unknown>): boolean {
  const response = config['response'] as { parse?: unknown } | undefined;
  return response?.parse === true || config['can_interrupt'] === true;
}

/**
 * Runs the hooks configured for a flow as Kratos does: `before` hooks while a flow is made (only
 * `web_hook`); `after` hooks per method, falling back to the flow's global list when the method
 * list has none for the phase; registration and settings in two phases around the write of the
 * identity, the `session` hook last. Unknown names are logged once and skipped.
 */
@Injectable()
export class HookRunner {
  private readonly byName: Map<string, FlowHook>;
  private readonly warned = new Set<string>();

  constructor(
    @Inject(FLOW_HOOKS) hooks: FlowHook[],
    private readonly config: ConfigService,
    private readonly logger: AppLogger,
    private readonly db: Database,
    @Optional() @Inject(WEB_HOOK_CALLER) private readonly web?: WebHookCaller,
  ) {
    this.byName = new Map(hooks.map((hook) => [hook.name, hook]));
  }

  private list(key: string): HookConfig[] {
    const value = this.config.get<HookConfig[]>(key);
    return Array.isArray(value) ? value : [];
  }

  private plan(entries: HookConfig[], kind: FlowKind, where: string): Planned[] {
    return entries.flatMap((entry): Planned[] => {
      if (entry.hook === WEB_HOOK && this.web) return [{ kind: 'web', config: entry.config ?? {} }];
      const hook = entry.hook === WEB_HOOK ? undefined : this.byName.get(entry.hook);
      if (hook) return [{ kind: 'named', hook }];
      if (!this.warned.has(`${where}:${entry.hook}`)) {
        this.warned.add(`${where}:${entry.hook}`);
        this.logger.warn(`hook "${entry.hook}" is not supported here and is skipped`, { flow: kind, where });
      }
      return [];
    });
  }

  /** The method's list if it yields a hook for this phase, else the flow's global list. */
  private after(kind: FlowKind, method: string | null, phase: (p: Planned) => boolean): Planned[] {
    const base = `selfservice.flows.${kind}.after`;
    if (method) {
      const own = this.plan(this.list(`${base}.${method}.hooks`), kind, `after.${method}`).filter(phase);
      if (own.length > 0) return own;
    }
    return this.plan(this.list(`${base}.hooks`), kind, 'after').filter(phase);
  }

  private async callWeb(config: Record<string, unknown>, data: WebHookData): Promise<void> {
    await this.web!.call(config, data);
  }

  /** `before` hooks: run while the flow is made, before it is stored; an error stops the creation. */
  async before(kind: FlowKind, flow: SelfServiceFlow, session?: SessionEntity | null): Promise<void> {
    const planned = this.plan(this.list(`selfservice.flows.${kind}.before.hooks`), kind, 'before');
    for (const step of planned) {
      if (step.kind !== 'web') continue;
      await this.callWeb(step.config, { kind, flow, ...(session ? { session } : {}) });
    }
  }

  /**
   * Runs `work` (a registration or settings method) so that the method's parsing web hooks see the
   * identity right before it is written, may change it, or refuse it (nothing is then stored).
   */
  async prePersist<T>(
    kind: 'registration' | 'settings',
    method: string,
    flow: SelfServiceFlow,
    session: SessionEntity | null,
    work: () => Promise<T>,
  ): Promise<T> {
    const base = `selfservice.flows.${kind}.after.${method}.hooks`;
    const planned = this.plan(this.list(base), kind, `after.${method}`).filter(
      (p): p is Extract<Planned, { kind: 'web' }> => p.kind === 'web' && parses(p.config),
    );
    if (planned.length === 0) return work();
    return beforeIdentityWrite(async (identity: IdentityEntity) => {
      for (const step of planned) {
        await this.callWeb(step.config, {
          kind,
          flow,
          identity,
          ...(kind === 'settings' && session ? { session } : {}),
          prePersist: true,
        });
      }
    }, work);
  }

  /**
   * A web hook after the write: `ignore`d ones are recorded in the transaction (the outbox), the
   * others called after it commits.
   */
  private async afterCommitWeb(config: Record<string, unknown>, data: WebHookData): Promise<void> {
    const response = config['response'] as { ignore?: unknown } | undefined;
    if (response?.ignore === true) await this.callWeb(config, data);
    else await this.db.afterCommit(() => this.callWeb(config, data));
  }

  /** Whether a login by `method` has any `after` hook to run. */
  hasAfterLogin(method: string): boolean {
    return this.after('login', method, () => true).length > 0;
  }

  /**
   * In the transaction that made the session. A web hook that answers synchronously is called
   * once that transaction has committed, so no transaction waits on a receiver; its failure
   * reaches the caller, which revokes the session before anyone has seen it.
   */
  async afterLogin(context: AfterLogin): Promise<void> {
    const identity = context.identity ?? context.session.identity;
    for (const step of this.after('login', context.method, () => true)) {
      if (step.kind === 'named') await step.hook.afterLogin?.(context);
      else
        await this.afterCommitWeb(step.config, {
          kind: 'login',
          flow: context.flow,
          session: context.session,
          ...(identity ? { identity } : {}),
        });
    }
  }

  /** The post-persist phase; runs in the flow's transaction, web hooks after it commits. */
  async afterRegistration(context: AfterRegistration): Promise<void> {
    const steps = this.after('registration', context.method, (p) => p.kind === 'named' || !parses(p.config));
    const last = steps.filter((s) => s.kind === 'named' && s.hook.name === 'session');
    for (const step of [...steps.filter((s) => !last.includes(s)), ...last]) {
      if (step.kind === 'named') await step.hook.afterRegistration?.(context);
      else
        await this.afterCommitWeb(step.config, {
          kind: 'registration',
          flow: context.flow,
          identity: context.identity,
        });
    }
  }

  /** As `afterLogin`: synchronous web hooks after the commit; the caller revokes on failure. */
  async afterRecovery(context: AfterRecovery): Promise<void> {
    for (const step of this.after('recovery', null, () => true)) {
      if (step.kind === 'named') await step.hook.afterRecovery?.(context);
      else
        await this.afterCommitWeb(step.config, {
          kind: 'recovery',
          flow: context.flow,
          identity: context.identity,
        });
    }
  }

  /** The post-persist phase; runs in the flow's transaction, web hooks after it commits. */
  async afterSettings(context: AfterSettings): Promise<void> {
    for (const step of this.after(
      'settings',
      context.method,
      (p) => p.kind === 'named' || !parses(p.config),
    )) {
      if (step.kind === 'named') await step.hook.afterSettings?.(context);
      else
        await this.afterCommitWeb(step.config, {
          kind: 'settings',
          flow: context.flow,
          identity: context.identity,
          session: context.session,
        });
    }
  }

  /** After the address was marked verified (stored). */
  async afterVerification(context: AfterVerification): Promise<void> {
    for (const step of this.after('verification', null, () => true)) {
      if (step.kind !== 'web') continue;
      await this.callWeb(step.config, {
        kind: 'verification',
        flow: context.flow,
        identity: context.identity,
      });
    }
  }
}
