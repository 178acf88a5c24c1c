export { HooksModule } from './hooks.module.js';
export { SessionIssuerHook } from './session-issuer.hook.js';
export { SessionRevokerHook } from './session-revoker.hook.js';
