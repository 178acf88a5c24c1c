import { Injectable } from '@nestjs/common';

/** Set once the process begins to stop: readiness answers 503 from then on, on both ports. */
@Injectable()
export class ShutdownState {
  private stopping = false;

  get shuttingDown(): boolean {
    return this.stopping;
  }

  begin(): void {
    this.stopping = true;
  }
}
