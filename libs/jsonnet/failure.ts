/** What a failed evaluation reports. */
export interface JsonnetFailure {
  kind: 'runtime' | 'limit';
  /** One line, with `name:line:col` of where it happened. */
  message: string;
  /** The string given to `error "..."` when the program raised it (e.g. 'cancel'). */
  raised?: string;
}

export type JsonnetResult = { ok: true; value: unknown } | { ok: false; error: JsonnetFailure };

/**
 * Thrown inside the evaluator and caught by `evaluate`; not an `Error` (no stack capture, it is
 * control flow). `where` is filled in by the innermost node that knows its location.
 */
export class EvalFailure {
  where: string | undefined;
  constructor(
    readonly kind: 'runtime' | 'limit',
    readonly detail: string,
    readonly raised?: string,
  ) {}
}

export function runtimeError(detail: string, raised?: string): EvalFailure {
  return new EvalFailure('runtime', detail, raised);
}

export function limitError(detail: string): EvalFailure {
  return new EvalFailure('limit', detail);
}
