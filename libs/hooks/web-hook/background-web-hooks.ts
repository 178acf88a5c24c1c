export interface WebHookCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  hookId?: string;
}
export abstract class BackgroundWebHooks {
  abstract enqueue(call: WebHookCall): Promise<void>;
}
