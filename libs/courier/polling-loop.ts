import type { AppLogger } from '../logging/index.js';

export interface PollingLoopSettings {
  /** What the log lines name: `courier`, `web hooks`. */
  label: string;
  /** A full batch means more may be due: poll again at once instead of waiting. */
  batchSize: number;
  waitMs: number;
}

/**
 * The database poller's loop, shared by the courier and the web hook outbox: calls `poll` (which
 * claims and delivers one batch and returns how many it claimed) every `waitMs`, at once again
 * after a full batch, and at once when woken (a row was just committed in this process).
 */
export class PollingLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;

  constructor(
    private readonly settings: PollingLoopSettings,
    private readonly poll: () => Promise<number>,
    private readonly logger: AppLogger,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
    this.logger.debug(`${this.settings.label}: database poller started`, {
      pull_wait_ms: this.settings.waitMs,
    });
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pendingWake = false;
      let claimed = 0;
      try {
        claimed = await this.poll();
      } catch (error) {
        if (!this.running) break;
        this.logger.error(`${this.settings.label}: polling failed`, { err: error });
      }
      if (claimed === this.settings.batchSize || this.pendingWake) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.waitMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
