export { HooksModule } from './hooks.module.js';
export { SessionIssuerHook } from './session-issuer.hook.js';
export { SessionRevokerHook } from './session-revoker.hook.js';
export { RequireVerifiedAddressHook } from './require-verified-address.hook.js';
export { ShowVerificationUiHook } from './show-verification-ui.hook.js';
