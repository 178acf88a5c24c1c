export { Courier, TEMPLATE_TYPES, type OutgoingMessage, type TemplateType } from './courier.port.js';
export {
  COURIER_ENTITIES,
  CourierMessageDispatchEntity,
  CourierMessageEntity,
  MessageStatus,
  type MessageType,
} from './courier-message.entity.js';
export { CourierModule, courierUsesRedis, type CourierModuleOptions } from './courier.module.js';
export { CourierService } from './courier.service.js';
export { CourierPoller } from './courier.poller.js';
export { CourierMessageRepository } from './courier-message.repository.js';
export { type CourierOptions } from './courier.options.js';
export { GoTemplate, TemplateSyntaxError } from './go-template.js';
export { type ChannelDeliveries, DeliveryCounts } from './delivery-counts.js';
export { courierOptionsFrom } from './courier.options.js';
export { PollingLoop } from './polling-loop.js';
export { IdJobQueue, withTimeout } from './id-job-queue.js';
export { IdJobWorker } from './id-job-worker.js';
export { RetryLater, SWEEP_GRACE_MS } from './courier.processor.js';
