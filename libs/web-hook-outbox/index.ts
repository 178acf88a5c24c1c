export { WebHookOutboxModule, type WebHookOutboxModuleOptions } from './web-hook-outbox.module.js';
export { type OutboxCall, WebHookOutbox } from './web-hook-outbox.service.js';
export {
  DELIVERY_STATUSES,
  DeliveryStatus,
  WEB_HOOK_OUTBOX_ENTITIES,
  WebHookDeliveryEntity,
} from './web-hook-delivery.entity.js';
export { WebHookDeliveryRepository, type DeliveryClaim } from './web-hook-delivery.repository.js';
export { WebHookDeliveryCounts } from './web-hook-delivery-counts.js';
export { IDEMPOTENCY_KEY_HEADER } from './web-hook-sender.js';
export { type WebHookOutboxOptions, WEB_HOOK_MAX_ATTEMPTS } from './web-hook-outbox.options.js';
