export { ADMIN_KEY_PREFIX, AdminKeyRing, bearerToken, generateAdminKey, hashAdminKey } from './admin-key.js';
export { ADMIN_KEY_LOCAL, AdminKeyGuard, adminKeyMiddleware, adminKeyRequired } from './admin-key.guard.js';
export { ADMIN_DOCUMENT_PATHS, OPEN_ADMIN_ROUTES } from './admin-routes.js';
