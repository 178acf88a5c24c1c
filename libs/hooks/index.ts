export { HooksModule } from './hooks.module.js';
export { SessionIssuerHook } from './session-issuer.hook.js';
export { SessionRevokerHook } from './session-revoker.hook.js';
export { RequireVerifiedAddressHook } from './require-verified-address.hook.js';
export { ShowVerificationUiHook } from './show-verification-ui.hook.js';
export { BackgroundWebHooks, type WebHookCall } from './web-hook/background-web-hooks.js';
export { WebHookService } from './web-hook/web-hook.caller.js';
