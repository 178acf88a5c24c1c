import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { type WebHookCaller, type WebHookData } from '../../flow/index.js';
import { IdentityPresenter, type IdentityJson } from '../../identity/index.js';
import { Jsonnet } from '../../jsonnet/index.js';
import { AppLogger, currentRequest } from '../../logging/index.js';
import { IdentitySchemaRegistry } from '../../schema/index.js';
import { SessionPresenter } from '../../session/index.js';
import { BackgroundWebHooks, type WebHookCall } from './background-web-hooks.js';
import {
  applyIdentityPatch,
  badGateway,
  gatewayTimeout,
  hookFailed,
  upstreamFailed,
  interruption,
} from './web-hook-answer.js';
import { DEFAULT_HEADER_ALLOWLIST, flowFields, requestFields, unsavedIdentity } from './web-hook-context.js';
import { deliver, WebHookDeliveryError } from './web-hook-delivery.js';
import { buildCall, parseWebHookConfig, type WebHookConfig } from './web-hook.config.js';
import { WebHookCancelled, WebHookTemplateError, WebHookTemplates } from './web-hook-template.js';
import { patchRejection } from './web-hook-patch.js';

/** Kratos runs web hook templates with 1 s and 512 KiB. */
const TEMPLATE_LIMITS = { maxMillis: 1000, maxOutputBytes: 512 * 1024 };

/** Kratos' `web_hook` action: builds the request from the Jsonnet body and `ctx`, sends, reads the answer. */
@Injectable()
export class WebHookService implements WebHookCaller {
  private readonly templates: WebHookTemplates;
  /** Each configured hook's `config` object, read once (the configuration does not change). */
  private readonly configs = new WeakMap<Record<string, unknown>, WebHookConfig>();

  constructor(
    private readonly config: ConfigService,
    private readonly identities: IdentityPresenter,
    private readonly sessions: SessionPresenter,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly background: BackgroundWebHooks,
    private readonly logger: AppLogger,
  ) {
    this.templates = new WebHookTemplates(new Jsonnet(TEMPLATE_LIMITS), process.cwd());
  }

  get retryWaitMs(): number {
    return this.config.duration('clients.web_hook.retry_wait', '1s');
  }

  async call(raw: Record<string, unknown>, data: WebHookData): Promise<void> {
    let config = this.configs.get(raw);
    if (!config) {
      config = parseWebHookConfig(raw);
      this.configs.set(raw, config);
    }
    if (config.ignore) {
      const call = await this.build(config, data).catch((error: Error) => {
        this.logger.warn('web hook not sent', { hook_id: config.id, reason: error.message });
        return undefined;
      });
      if (call) await this.background.enqueue(call);
      return;
    }
    let call: WebHookCall | undefined;
    try {
      call = await this.build(config, data);
    } catch (error) {
      if (error instanceof WebHookCancelled) return;
      if (error instanceof WebHookTemplateError) throw hookFailed(error.message);
      throw error;
    }
    if (!call) return;
    let answer;
    try {
      answer = await deliver(call, this.retryWaitMs);
    } catch (error) {
      if (!(error instanceof WebHookDeliveryError)) throw error;
      this.logger.warn('web hook failed', { hook_id: config.id, reason: error.message });
      throw error.timedOut
        ? gatewayTimeout(error.message)
        : upstreamFailed(`The web hook failed: ${error.message}`);
    }
    if (answer.status >= 400) {
      this.logger.warn('web hook refused', { hook_id: config.id, status: answer.status });
      if (config.parse || config.canInterrupt) throw interruption(answer.body, answer.status);
      throw badGateway(answer.status);
    }
    if (config.parse && answer.status === 200 && data.identity) {
      if (answer.body.trim() === '') throw hookFailed('The web hook answered HTTP 200 with an empty body.');
      if (applyIdentityPatch(answer.body, data.identity) && data.prePersist) {
        const rejected = patchRejection(this.schemas, data.identity);
        if (rejected) throw rejected;
      }
    }
  }

  /** The request to send, or undefined when the template cancelled it. */
  private async build(config: WebHookConfig, data: WebHookData): Promise<WebHookCall | undefined> {
    const ctx = this.context(data);
    try {
      return buildCall(config, {
        body: config.method === 'TRACE' ? undefined : await this.templates.render(config.body, ctx),
        timeoutMs: this.config.duration('clients.web_hook.timeout', '30s'),
        ...(config.emitAnalyticsEvent ? { triggerId: randomUUID() } : {}),
      });
    } catch (error) {
      if (error instanceof WebHookCancelled && config.ignore) return undefined;
      throw error;
    }
  }

  /** Kratos' `ctx`: the flow, the request, and the identity and session where the flow has them. */
  private context(data: WebHookData): Record<string, unknown> {
    const allowlist =
      this.config.get<string[]>('clients.web_hook.header_allowlist') ?? DEFAULT_HEADER_ALLOWLIST;
    const identitySource = data.identity ?? (data.kind === 'settings' ? data.session?.identity : undefined);
    let identity: IdentityJson | undefined = identitySource
      ? this.identities.present(identitySource, { admin: false })
      : undefined;
    if (identity && data.prePersist && data.kind === 'registration') identity = unsavedIdentity(identity);
    return {
      flow: flowFields(data, identity),
      ...requestFields(currentRequest(), allowlist),
      ...(data.identity && identity ? { identity } : {}),
      ...(data.session ? { session: this.sessions.present(data.session, { admin: false }) } : {}),
    };
  }
}
