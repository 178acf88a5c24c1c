/**
 * Tessera's one Jsonnet evaluator: a sandboxed tree-walking interpreter of the whole language
 * (https://jsonnet.org/ref/spec.html) except `import`, `importstr` and `importbin`, which are
 * compile errors. Kratos' mappers, web-hook and courier bodies and tokenizer templates run
 * unchanged: ext vars (`std.extVar`) and top-level arguments (`function(ctx) ...`) are JSON.
 *
 * Where the two reference implementations differ, Kratos' go-jsonnet wins: numbers turn into
 * strings in shortest round-trip form (`"" + 0.1` is `"0.1"`, C++ jsonnet prints
 * 0.10000000000000001). Evaluation never throws: runtime and limit failures come back as values.
 */
export { Jsonnet, type JsonnetProgram } from './jsonnet.js';
export { JsonnetModule } from './jsonnet.module.js';
export type { JsonnetFailure, JsonnetResult } from './failure.js';
export { DEFAULT_JSONNET_LIMITS, type JsonnetLimits } from './limits.js';
export { JsonnetSyntaxError } from './syntax-error.js';
