export { Jsonnet, type JsonnetProgram } from './jsonnet.js';
export { JsonnetModule } from './jsonnet.module.js';
export type { JsonnetFailure, JsonnetResult } from './failure.js';
export { DEFAULT_JSONNET_LIMITS, type JsonnetLimits } from './limits.js';
export { JsonnetSyntaxError } from './syntax-error.js';
