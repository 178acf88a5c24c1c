import { Injectable } from '@nestjs/common';
import type { Node } from './ast.js';
import { Evaluator } from './evaluator.js';
import { EvalFailure, type JsonnetFailure, type JsonnetResult } from './failure.js';
import { DEFAULT_JSONNET_LIMITS, type JsonnetLimits } from './limits.js';
import { fromJson, toJson } from './manifest.js';
import { parse } from './parser.js';
import { stdFor } from './std/index.js';
import { Thunk, type Env } from './values.js';

export interface JsonnetProgram {
  /** extVars are JSON values, visible as std.extVar(name). Never throws. */
  evaluate(extVars: Record<string, unknown>): JsonnetResult;
}

class CompiledProgram implements JsonnetProgram {
  private readonly root: Env;

  constructor(
    private readonly ast: Node,
    private readonly name: string,
    private readonly limits: JsonnetLimits,
  ) {
    this.root = {
      vars: new Map([['std', Thunk.of(stdFor(name))]]),
      parent: null,
      self: null,
      layer: -1,
      dollar: null,
    };
  }

  evaluate(extVars: Record<string, unknown>): JsonnetResult {
    const ev = new Evaluator(this.name, this.limits, extVars ?? {}, fromJson);
    try {
      const value = toJson(ev, ev.eval(this.ast, this.root));
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: this.failure(err) };
    }
  }

  private failure(err: unknown): JsonnetFailure {
    if (err instanceof EvalFailure) {
      const where = err.where ?? `${this.name}:1:1`;
      const detail = err.detail.replace(/\s*\n\s*/g, ' ');
      const failure: JsonnetFailure = { kind: err.kind, message: `${where}: ${detail}` };
      if (err.raised !== undefined) failure.raised = err.raised;
      return failure;
    }
    if (err instanceof RangeError) {
      return { kind: 'limit', message: `${this.name}:1:1: evaluation nested too deeply (${err.message})` };
    }
    return { kind: 'runtime', message: `${this.name}:1:1: internal error: ${String(err)}` };
  }
}

/** Tessera's sandboxed Jsonnet: compile once, evaluate many times. */
@Injectable()
export class Jsonnet {
  private readonly limits: JsonnetLimits;

  constructor(limits?: Partial<JsonnetLimits>) {
    this.limits = { ...DEFAULT_JSONNET_LIMITS, ...(limits ?? {}) };
  }

  /** Parses once; throws JsonnetSyntaxError (message names `name`, line and column) on bad source. */
  compile(source: string, name: string): JsonnetProgram {
    return new CompiledProgram(parse(source, name), name, this.limits);
  }
}
