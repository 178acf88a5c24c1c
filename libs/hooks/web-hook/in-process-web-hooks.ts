import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { AppLogger } from '../../logging/index.js';
import { Database } from '../../persistence/index.js';
import { BackgroundWebHooks, type WebHookCall } from './background-web-hooks.js';
import { deliver } from './web-hook-delivery.js';

/**
 * `response.ignore` hooks sent from this process once the flow's transaction commits, with the
 * same retries as a synchronous call; the outcome is only logged (Kratos' fire and forget). A
 * call still pending when the process dies is lost.
 */
@Injectable()
export class InProcessBackgroundWebHooks extends BackgroundWebHooks {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly config: ConfigService,
    private readonly logger: AppLogger,
  ) {
    super();
  }

  async enqueue(call: WebHookCall): Promise<void> {
    await this.db.afterCommit(() => {
      const sending = this.send(call).finally(() => this.pending.delete(sending));
      this.pending.add(sending);
    });
  }

  /** Calls still being sent (shutdown and tests wait for them). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async send(call: WebHookCall): Promise<void> {
    try {
      const answer = await deliver(call, this.config.duration('clients.web_hook.retry_wait', '1s'));
      const fields = { hook_id: call.hookId, status: answer.status };
      if (answer.status >= 400) this.logger.warn('background web hook refused', fields);
      else this.logger.debug('background web hook delivered', fields);
    } catch (error) {
      this.logger.warn('background web hook failed', {
        hook_id: call.hookId,
        reason: (error as Error).message,
      });
    }
  }
}
